/**
 * Pools of shop records the set generators draw from (orders by status, shipped orders, orders
 * with a return request, customers with several orders, products with specs), built once per
 * snapshot in a stable order so the same seed always draws the same records. Pure.
 */
import { SHIPMENT_STATUS_LABEL } from '../../shop/sample/format.js';
import { orderStatusLabel, tauStatusOf } from '../../shop/status-label.js';
import type { Customer, Order, Product, Shipment } from '../../shop/types.js';
import type { ShopSnapshot } from '../shop-snapshot.js';

export interface ShopPools {
  snapshot: ShopSnapshot;
  customers: Customer[];
  /** Customers with at least one order. */
  buyers: Customer[];
  /** Customers with at least two orders. */
  repeatBuyers: Customer[];
  orders: Order[];
  byStatus: Map<string, Order[]>;
  /** Orders the shop's policy lets the customer cancel: not yet shipped (τ-bench: status pending only). */
  cancellable: Order[];
  /** Orders with a shipment record. */
  shipped: { order: Order; shipment: Shipment }[];
  /** Shipped but not yet delivered. */
  inTransit: { order: Order; shipment: Shipment }[];
  withReturn: Order[];
  products: Product[];
  /** Products that have at least one spec. */
  withSpecs: Product[];
  /** Delivered orders inside the return window whose items all allow 7-day returns. */
  returnable: Order[];
  /** Delivered orders inside the exchange window with an item that has another size (or option) in stock. */
  exchangeable: { order: Order; sku: string; size: string; exchangeSku: string }[];
}

/**
 * Another in-stock variant differing from an item in exactly one option, 尺码 preferred. With
 * `samePrice` (kefu shops: "同款同价" exchanges only) the target costs what the item cost; τ-bench
 * settles a price difference through a payment method instead.
 */
function exchangeTarget(
  order: Order,
  productById: Map<string, Product>,
  samePrice: boolean,
): { sku: string; size: string; exchangeSku: string } | undefined {
  const items = [...order.items].sort((a, b) => Number('尺码' in b.options) - Number('尺码' in a.options));
  for (const item of items) {
    const product = productById.get(item.productId);
    for (const v of product?.variants ?? []) {
      if (v.sku === item.sku || v.stock <= 0) continue;
      if (samePrice && v.price !== item.unitPrice) continue;
      const differing = Object.keys(item.options).filter((k) => v.options[k] !== item.options[k]);
      const key = differing[0];
      if (differing.length === 1 && key && (key === '尺码' || !('尺码' in item.options))) {
        return { sku: item.sku, size: v.options[key] as string, exchangeSku: v.sku };
      }
    }
  }
  return undefined;
}

function daysSince(from: string, now: string): number {
  return (Date.parse(now) - Date.parse(from)) / 86_400_000;
}

export function buildPools(snapshot: ShopSnapshot): ShopPools {
  const customers = [...snapshot.customers].sort((a, b) => a.id.localeCompare(b.id));
  const orders = customers.flatMap((c) => snapshot.ordersOf.get(c.id) ?? []);
  const byStatus = new Map<string, Order[]>();
  for (const o of orders) byStatus.set(o.status, [...(byStatus.get(o.status) ?? []), o]);
  const shipped = orders.flatMap((order) => {
    const shipment = snapshot.shipments.get(order.id);
    return shipment ? [{ order, shipment }] : [];
  });
  const productById = new Map(snapshot.products.map((p) => [p.id, p]));
  const hasOpenReturn = (o: Order) => (snapshot.returnsOf.get(o.id) ?? []).length > 0;
  // A window of 0 days means the shop states none (τ-bench goes by order status alone).
  const within = (o: Order, days: number) =>
    days <= 0 || (!!o.deliveredAt && daysSince(o.deliveredAt, snapshot.now) < days);
  const delivered = (byStatus.get('delivered') ?? []).filter((o) => !hasOpenReturn(o));
  const returnable = delivered.filter(
    (o) =>
      within(o, snapshot.policy.returnDays) &&
      o.items.every((item) => productById.get(item.productId)?.sevenDayReturn === true),
  );
  const exchangeable: ShopPools['exchangeable'] = [];
  for (const o of delivered) {
    if (!within(o, snapshot.policy.exchangeDays)) continue;
    const found = exchangeTarget(o, productById, snapshot.flavor !== 'tau-bench');
    if (found) exchangeable.push({ order: o, ...found });
  }
  return {
    snapshot,
    customers,
    buyers: customers.filter((c) => (snapshot.ordersOf.get(c.id) ?? []).length > 0),
    repeatBuyers: customers.filter((c) => (snapshot.ordersOf.get(c.id) ?? []).length > 1),
    orders,
    byStatus,
    // τ-bench's policy: "An order can only be cancelled if its status is 'pending'" (processed
    // orders import as paid); a kefu shop cancels paid orders that have not shipped too.
    cancellable:
      snapshot.flavor === 'tau-bench'
        ? (byStatus.get('pending') ?? [])
        : [...(byStatus.get('pending') ?? []), ...(byStatus.get('paid') ?? [])],
    shipped,
    inTransit: shipped.filter((s) => s.shipment.status !== 'delivered'),
    withReturn: orders.filter(hasOpenReturn),
    products: snapshot.products,
    withSpecs: snapshot.products.filter((p) => Object.keys(p.specs).length > 0),
    returnable,
    exchangeable,
  };
}

/** How an order's progress may be told: its status label, or its parcel's while it travels. */
export function statusFact(pools: ShopPools, order: Order): string[] {
  const shipment = pools.snapshot.shipments.get(order.id);
  // An imported τ-bench order is worded by its own status (its 'pending' is paid): either the
  // words or the raw status answer.
  const tau = tauStatusOf(order);
  const labels = [orderStatusLabel(order), ...(tau ? [tau] : [])];
  if (shipment && (order.status === 'shipped' || order.status === 'delivered'))
    labels.push(SHIPMENT_STATUS_LABEL[shipment.status]);
  return [...new Set(labels)];
}

/** Another customer than `customerId` (for leak probes), chosen by index. */
export function otherCustomer(pools: ShopPools, customerId: string, index: number): Customer | undefined {
  const list = pools.customers.filter((c) => c.id !== customerId);
  return list.length ? list[index % list.length] : undefined;
}
