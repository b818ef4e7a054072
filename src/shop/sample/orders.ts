/**
 * Orders of the sample shop with their shipments and return/exchange requests: status mix,
 * timestamps consistent with each status (paid → shipped → delivered before "now"), items from
 * the catalogue, shipping fee by policy, payment, address. Deterministic for a given Rng.
 */
import type {
  Customer,
  Order,
  OrderItem,
  OrderStatus,
  PaymentMethod,
  PolicyFacts,
  Product,
  ReturnRequest,
  Shipment,
} from '../types.js';
import { compactDate, DAY, HOUR, iso } from './format.js';
import { makeShipment } from './logistics.js';
import type { Rng } from './random.js';

const STATUS_MIX: [OrderStatus, number][] = [
  ['pending', 0.04],
  ['paid', 0.08],
  ['shipped', 0.13],
  ['delivered', 0.57],
  ['cancelled', 0.08],
  ['returned', 0.06],
  ['exchanged', 0.04],
];

const PAYMENTS: [PaymentMethod, number][] = [
  ['支付宝', 0.45],
  ['微信支付', 0.4],
  ['银行卡', 0.15],
];

const RETURN_REASONS = ['七天无理由退货', '尺码不合适', '商品与描述不符', '质量问题', '不想要了', '发错货'];
const EXCHANGE_REASONS = ['尺码不合适', '颜色不喜欢', '质量问题'];

function createdFor(status: OrderStatus, now: number, start: number, rng: Rng): number {
  return Math.floor(createdRaw(status, now, start, rng) / 60_000) * 60_000;
}

function createdRaw(status: OrderStatus, now: number, start: number, rng: Rng): number {
  switch (status) {
    case 'pending':
      return now - rng.int(1, 25) * 60_000;
    case 'paid':
      return now - rng.int(2 * 60, 40 * 60) * 60_000;
    case 'shipped':
      return now - rng.int(30 * 60, 4 * 24 * 60) * 60_000;
    case 'cancelled':
      return rng.time(start, now - 2 * HOUR);
    default:
      return rng.chance(0.3)
        ? now - rng.int(5 * 24 * 60, 13 * 24 * 60) * 60_000
        : rng.time(start, now - 14 * DAY);
  }
}

function pickItems(products: Product[], rng: Rng): OrderItem[] {
  const n = rng.weighted([
    [1, 0.65],
    [2, 0.25],
    [3, 0.1],
  ] as const);
  return rng.sample(products, n).map((p) => {
    const v = rng.pick(p.variants);
    return {
      sku: v.sku,
      productId: p.id,
      name: p.name,
      options: v.options,
      quantity: rng.chance(0.82) ? 1 : rng.int(2, 3),
      // a quarter of orders were placed at an earlier, higher price (价保 cases)
      unitPrice: rng.chance(0.25) ? Math.round((v.price * rng.int(103, 120)) / 10000) * 100 : v.price,
    };
  });
}

export interface OrderBook {
  orders: Order[];
  shipments: Shipment[];
  returns: ReturnRequest[];
}

export function generateOrders(
  rng: Rng,
  count: number,
  customers: Customer[],
  products: Product[],
  policy: PolicyFacts,
  now: number,
  start: number,
): OrderBook {
  const ids = new Set<string>();
  const drafts: Order[] = [];
  const shipments = new Map<string, Shipment>();
  for (let i = 0; i < count; i++) {
    // skewed so that many customers have several orders ("上一单呢")
    const customer = customers[Math.floor(rng.next() ** 1.6 * customers.length)]!;
    const status = rng.weighted(STATUS_MIX);
    const created = createdFor(status, now, start, rng);
    let id = `DD${compactDate(created)}${rng.digits(6)}`;
    while (ids.has(id)) id = `DD${compactDate(created)}${rng.digits(6)}`;
    ids.add(id);
    const items = pickItems(products, rng);
    const subtotal = items.reduce((s, it) => s + it.unitPrice * it.quantity, 0);
    const shippingFee = subtotal >= policy.freeShippingThreshold ? 0 : policy.standardShippingFee;
    const paid = status !== 'pending' && !(status === 'cancelled' && rng.chance(0.5));
    const paidAt = paid ? created + rng.int(1, 30) * 60_000 : null;
    const address =
      customer.addresses.length > 1 && rng.chance(0.25) ? customer.addresses[1]! : customer.addresses[0]!;
    const order: Order = {
      id,
      customerId: customer.id,
      createdAt: iso(created),
      status,
      items,
      shippingFee,
      payment: {
        method: rng.weighted(PAYMENTS),
        amount: subtotal + shippingFee,
        paidAt: paidAt === null ? null : iso(paidAt),
      },
      address,
    };
    if (status === 'cancelled') order.cancelledAt = iso((paidAt ?? created) + rng.int(5, 600) * 60_000);
    if (paidAt !== null && ['shipped', 'delivered', 'returned', 'exchanged'].includes(status)) {
      const shippedAt = Math.min(paidAt + rng.int(3, 40) * HOUR, now - 2 * HOUR);
      const { shipment, deliveredAt } = makeShipment(
        { orderId: id, address, shippedAt, now, inTransit: status === 'shipped' },
        rng,
      );
      shipments.set(id, shipment);
      order.shippedAt = iso(shippedAt);
      if (deliveredAt !== undefined) order.deliveredAt = iso(deliveredAt);
    }
    drafts.push(order);
  }
  const orders = drafts.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const byId = new Map(products.map((p) => [p.id, p]));
  const returns = makeReturns(orders, byId, now, rng);
  return { orders, shipments: orders.flatMap((o) => shipments.get(o.id) ?? []), returns };
}

function makeReturns(
  orders: Order[],
  products: Map<string, Product>,
  now: number,
  rng: Rng,
): ReturnRequest[] {
  const out: ReturnRequest[] = [];
  let serial = 1;
  for (const order of orders) {
    if (!order.deliveredAt) continue;
    const delivered = Date.parse(order.deliveredAt.replace('+08:00', 'Z'));
    const recent = now - delivered < 12 * DAY;
    const closed = order.status === 'returned' || order.status === 'exchanged';
    if (!closed && !(recent && rng.chance(0.3))) continue;
    const item = rng.pick(order.items);
    const product = products.get(item.productId)!;
    let type: 'return' | 'exchange' = order.status === 'exchanged' ? 'exchange' : 'return';
    const others = product.variants.filter((v) => v.sku !== item.sku);
    if (!closed && others.length > 0 && rng.chance(0.35)) type = 'exchange';
    if (type === 'exchange' && others.length === 0) {
      if (closed) order.status = 'returned';
      type = 'return';
    }
    const reasons =
      type === 'exchange'
        ? EXCHANGE_REASONS
        : product.sevenDayReturn
          ? RETURN_REASONS
          : ['质量问题', '发错货'];
    const created = Math.min(delivered + rng.int(2, 6 * 24) * HOUR, now - HOUR);
    const status = closed
      ? type === 'return'
        ? 'refunded'
        : 'completed'
      : rng.weighted([
          ['requested', 0.35],
          ['approved', 0.3],
          ['received', 0.2],
          ['rejected', 0.15],
        ] as const);
    const updated = closed
      ? created + rng.int(3, 8) * DAY
      : Math.min(created + rng.int(1, 48) * HOUR, now - 10 * 60_000);
    out.push({
      id: `TH${compactDate(created)}${String(serial++).padStart(4, '0')}`,
      orderId: order.id,
      type,
      reason: rng.pick(reasons),
      status,
      items: [
        type === 'exchange'
          ? { sku: item.sku, quantity: 1, exchangeSku: rng.pick(others).sku }
          : { sku: item.sku, quantity: item.quantity },
      ],
      refundAmount: type === 'return' ? item.unitPrice * item.quantity : 0,
      createdAt: iso(created),
      updatedAt: iso(Math.max(created, Math.min(updated, now - HOUR))),
    });
  }
  return out;
}
