/**
 * Building blocks shared by the dialogue generators: the `Turn` a builder returns (user message,
 * looked-up facts, agent reply), the conversation context, and the fact lines every grounded reply
 * quotes (order, items, shipment, return request, product). No phrase tables, no I/O.
 */
import type { Task } from '../../../data/example.js';
import type { Customer, Order, OrderStatus, Product, ReturnRequest, Shipment } from '../../types.js';
import {
  ORDER_STATUS_LABEL,
  optionShort,
  RETURN_STATUS_LABEL,
  SHIPMENT_STATUS_LABEL,
  showTime,
  yuan,
} from '../format.js';
import { maskName, maskPhone } from '../people.js';
import type { Rng } from '../random.js';
import type { ShopIndex } from '../shop.js';

export interface Fact {
  key: string;
  value: string;
}

export interface Turn {
  task: Task;
  user: string;
  /** Looked-up facts for this turn; becomes the alpaca `input`. */
  facts: Fact[];
  reply: string;
}

/**
 * How the user names the thing asked about: in full (order number / model in the message), by
 * reference to an earlier turn ("它", "这单", "上一单"), or by giving just the number after the
 * agent asked for it.
 */
export type Mode = 'full' | 'ref' | 'id_only';

export interface Ctx {
  ix: ShopIndex;
  rng: Rng;
  customer: Customer;
  order?: Order;
  product?: Product;
  /** Text the user uses to refer back (set by the chain runner), e.g. '上一单' or '第二个'. */
  refText?: string;
}

export type Builder = (ctx: Ctx, mode: Mode) => Turn;

export const fact = (key: string, value: string): Fact => ({ key, value });

export function renderFacts(facts: Fact[]): string {
  return facts.map((f) => `${f.key}: ${f.value}`).join('\n');
}

export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

export function itemsText(order: Order): string {
  return order.items
    .map((it) => `${it.name}（${optionShort(it.options) || '默认'}）×${it.quantity}`)
    .join('；');
}

export function shortItems(order: Order): string {
  const first = order.items[0]!;
  return order.items.length > 1 ? `${first.name}等${order.items.length}件商品` : first.name;
}

export function latestEvent(s: Shipment): string {
  const e = s.events[s.events.length - 1]!;
  return `${showTime(e.time)} ${e.location} ${e.description}`;
}

export function orderFacts(ctx: Ctx, order: Order): Fact[] {
  const facts = [
    fact('订单号', order.id),
    fact('状态', ORDER_STATUS_LABEL[order.status]),
    fact('下单时间', showTime(order.createdAt)),
    fact('商品', itemsText(order)),
    fact('实付金额', yuan(order.payment.amount)),
  ];
  const s = ctx.ix.shipment.get(order.id);
  if (s)
    facts.push(fact('承运商', s.carrier), fact('运单号', s.trackingNumber), fact('最新', latestEvent(s)));
  if (order.deliveredAt) facts.push(fact('签收时间', showTime(order.deliveredAt)));
  if (order.cancelledAt) facts.push(fact('取消时间', showTime(order.cancelledAt)));
  return facts;
}

export function accountFact(customer: Customer): Fact {
  return fact('当前账号', `${maskName(customer.name)}（${maskPhone(customer.phone)}）`);
}

export function returnFacts(r: ReturnRequest): Fact[] {
  const facts = [
    fact('售后单号', r.id),
    fact('类型', r.type === 'return' ? '退货退款' : '换货'),
    fact('售后状态', RETURN_STATUS_LABEL[r.status]),
    fact('申请时间', showTime(r.createdAt)),
    fact('原因', r.reason),
  ];
  if (r.type === 'return') facts.push(fact('退款金额', yuan(r.refundAmount)));
  facts.push(fact('更新时间', showTime(r.updatedAt)));
  return facts;
}

export function shipmentFacts(order: Order, s: Shipment): Fact[] {
  const facts = [
    fact('订单号', order.id),
    fact('承运商', s.carrier),
    fact('运单号', s.trackingNumber),
    fact('物流状态', SHIPMENT_STATUS_LABEL[s.status]),
    fact('最新', latestEvent(s)),
  ];
  if (s.status !== 'delivered') facts.push(fact('预计送达', s.estimatedDelivery));
  return facts;
}

/** One of the customer's orders, preferring the given statuses. */
export function pickOrder(ctx: Ctx, prefer: OrderStatus[]): Order {
  const orders = ctx.ix.ordersOf.get(ctx.customer.id) ?? [];
  const good = orders.filter((o) => prefer.includes(o.status));
  return ctx.rng.pick(good.length > 0 && ctx.rng.chance(0.9) ? good : orders);
}

/** The order the conversation is about, choosing one with `prefer` statuses when none yet. */
export function currentOrder(ctx: Ctx, prefer: OrderStatus[]): Order {
  ctx.order ??= pickOrder(ctx, prefer);
  return ctx.order;
}

/** How the user names the current order in this turn. */
export function orderRef(ctx: Ctx, mode: Mode, order: Order): string {
  if (mode === 'ref') return ctx.refText ?? ctx.rng.pick(['它', '这个订单', '这单', '刚才那单']);
  return order.id;
}

export function currentProduct(ctx: Ctx): Product {
  ctx.product ??= ctx.rng.pick(ctx.ix.shop.products);
  return ctx.product;
}
