/**
 * The fact lines tools return, in the layout and with the labels of the training data's alpaca
 * `input` (src/shop/sample/dialogue/core.ts), so the model sees at serve time what it saw in
 * training: 订单号 / 状态 / 下单时间 / 商品 / 实付金额 / 承运商 / 运单号 / 最新 / 签收时间 …
 * Money goes through the shop's formatter (¥ for kefu shops, $ for τ-bench's dollar prices).
 * Pure functions over records; no order-book access.
 */
import type { ShopInfo } from '../../shop/order-book.js';
import {
  type Fact,
  fact,
  itemsText,
  latestEvent,
  returnFacts,
  shortItems,
} from '../../shop/sample/dialogue/core.js';
import { optionShort, SHIPMENT_STATUS_LABEL, showTime, yuan } from '../../shop/sample/format.js';
import { warrantyText } from '../../shop/sample/manuals.js';
import { maskName, maskPhone } from '../../shop/sample/people.js';
import { orderStatusLabel } from '../../shop/status-label.js';
import type { Customer, Fen, Order, Product, ReturnRequest, Shipment, Variant } from '../../shop/types.js';

export { type Fact, fact, itemsText, returnFacts, shortItems };

export type Money = (fen: Fen) => string;

/** '$12.34' for τ-bench's dollar prices (stored ×100 like fen). */
export function dollars(cents: Fen): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const moneyOf = (info: ShopInfo): Money => (info.flavor === 'tau-bench' ? dollars : yuan);

/** '龚**（159****3638）', or the masked name alone when there is no phone. */
export function accountFact(customer: Customer): Fact {
  const phone = customer.phone ? `（${maskPhone(customer.phone)}）` : '';
  return fact('当前账号', `${maskName(customer.name)}${phone}`);
}

/** The latest shipment event, or '' for a shipment without events (τ-bench imports). */
export function latestText(shipment: Shipment): string {
  return shipment.events.length > 0 ? latestEvent(shipment) : '';
}

/** The training data's orderFacts, with the shipment and money formatter given. */
export function orderFacts(order: Order, shipment: Shipment | undefined, money: Money): Fact[] {
  const facts = [
    fact('订单号', order.id),
    fact('状态', orderStatusLabel(order)),
    fact('下单时间', showTime(order.createdAt)),
    fact('商品', itemsText(order)),
    fact('实付金额', money(order.payment.amount)),
  ];
  if (order.payment.paidAt !== null) facts.push(fact('支付方式', order.payment.method));
  if (shipment) {
    facts.push(fact('承运商', shipment.carrier), fact('运单号', shipment.trackingNumber));
    const latest = latestText(shipment);
    if (latest) facts.push(fact('最新', latest));
  }
  if (order.deliveredAt) facts.push(fact('签收时间', showTime(order.deliveredAt)));
  if (order.cancelledAt) facts.push(fact('取消时间', showTime(order.cancelledAt)));
  return facts;
}

/** The training data's shipmentFacts, tolerating shipments without events or estimate. */
export function shipmentFacts(order: Order, shipment: Shipment): Fact[] {
  const facts = [
    fact('订单号', order.id),
    fact('承运商', shipment.carrier),
    fact('运单号', shipment.trackingNumber),
    fact('物流状态', SHIPMENT_STATUS_LABEL[shipment.status]),
  ];
  const latest = latestText(shipment);
  if (latest) facts.push(fact('最新', latest));
  if (shipment.status !== 'delivered' && shipment.estimatedDelivery)
    facts.push(fact('预计送达', shipment.estimatedDelivery));
  return facts;
}

export const notFoundOrderFacts = (orderId: string): Fact[] => [
  fact('查询订单号', orderId),
  fact('查询结果', '未找到该订单'),
];

/** '1. DD…（已签收，2024-03-15，商品名等2件商品）'. */
export function orderLine(order: Order, index: number): string {
  return `${index + 1}. ${order.id}（${orderStatusLabel(order)}，${order.createdAt.slice(0, 10)}，${shortItems(order)}）`;
}

export const variantText = (variant: Variant): string => optionShort(variant.options) || '默认款';

export function priceRange(product: Product, money: Money): { low: Variant; high: Variant; text: string } {
  const sorted = [...product.variants].sort((a, b) => a.price - b.price);
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  const text = low.price === high.price ? money(low.price) : `${money(low.price)} - ${money(high.price)}`;
  return { low, high, text };
}

/** 商品 / 型号 first (as in training), then brand, type, prices, options, specs, warranty. */
export function productFacts(product: Product, money: Money): Fact[] {
  const facts = [fact('商品', product.name)];
  if (product.model) facts.push(fact('型号', product.model));
  if (product.brand) facts.push(fact('品牌', product.brand));
  if (product.type && product.type !== product.name) facts.push(fact('类型', product.type));
  if (product.variants.length > 0) {
    const { low, high } = priceRange(product, money);
    facts.push(fact('最低价', `${money(low.price)}（${optionShort(low.options) || '默认'}）`));
    if (high.price !== low.price)
      facts.push(fact('最高价', `${money(high.price)}（${optionShort(high.options) || '默认'}）`));
  }
  const axes = new Map<string, string[]>();
  for (const v of product.variants) {
    for (const [axis, value] of Object.entries(v.options)) {
      const list = axes.get(axis) ?? [];
      if (!list.includes(value)) list.push(value);
      axes.set(axis, list);
    }
  }
  for (const [axis, values] of axes) facts.push(fact(`可选${axis}`, values.join('、')));
  const inStock = product.variants.filter((v) => v.stock > 0).length;
  facts.push(fact('有货规格数', `${inStock}/${product.variants.length}`));
  for (const [key, value] of Object.entries(product.specs)) facts.push(fact(key, value));
  if (product.manual) facts.push(fact('保修', warrantyText(product)));
  return facts;
}

/** Return-request facts plus the items it covers. */
export function requestFacts(request: ReturnRequest, order: Order): Fact[] {
  const names = new Map(order.items.map((i) => [i.sku, `${i.name}（${optionShort(i.options) || '默认'}）`]));
  return [
    fact('订单号', order.id),
    ...returnFacts(request),
    fact(
      request.type === 'return' ? '退货商品' : '换货商品',
      request.items.map((i) => `${names.get(i.sku) ?? i.sku}×${i.quantity}`).join('；'),
    ),
  ];
}
