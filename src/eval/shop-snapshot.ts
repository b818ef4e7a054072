/**
 * The shop data eval sets are generated from: customers, their orders, shipments, returns,
 * products and policy numbers, as plain arrays and maps. Built from a sample `Shop` (the
 * generator's output), an importer's `ShopData` (τ-bench retail, kefu JSON/CSV folders), the
 * embedded store's full listings, or the `OrderBookReader` contract for given customers. Reads only; never changes a store.
 */
import type { OrderBookReader, ShopFlavor, ShopInfo } from '../shop/order-book.js';
import type { ShopStoreReader } from '../shop/store/shop-store.js';
import type { Customer, Order, PolicyFacts, Product, ReturnRequest, Shipment } from '../shop/types.js';

export interface ShopSnapshot {
  name: string;
  flavor: ShopFlavor;
  now: string;
  policy: PolicyFacts;
  customers: Customer[];
  /** Oldest first within each customer. */
  ordersOf: Map<string, Order[]>;
  orders: Map<string, Order>;
  shipments: Map<string, Shipment>;
  returnsOf: Map<string, ReturnRequest[]>;
  products: Product[];
}

/** The record lists a snapshot is made from: a sample `Shop`, or an importer's `ShopData`. */
export interface ShopRecords {
  name: string;
  now: string;
  policy: PolicyFacts;
  customers: Customer[];
  orders: Order[];
  shipments: Shipment[];
  returns: ReturnRequest[];
  products: Product[];
}

export function snapshotFromShop(shop: ShopRecords, flavor: ShopFlavor = 'kefu'): ShopSnapshot {
  const ordersOf = new Map<string, Order[]>();
  const sorted = [...shop.orders].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  for (const order of sorted)
    ordersOf.set(order.customerId, [...(ordersOf.get(order.customerId) ?? []), order]);
  const returnsOf = new Map<string, ReturnRequest[]>();
  for (const r of shop.returns) returnsOf.set(r.orderId, [...(returnsOf.get(r.orderId) ?? []), r]);
  return {
    name: shop.name,
    flavor,
    now: shop.now,
    policy: shop.policy,
    customers: shop.customers,
    ordersOf,
    orders: new Map(shop.orders.map((o) => [o.id, o])),
    shipments: new Map(shop.shipments.map((s) => [s.orderId, s])),
    returnsOf,
    products: shop.products,
  };
}

/** A snapshot of an imported shop (`readShop(dir, { format })` from src/shop/import). */
export function snapshotFromShopData(
  data: { info: ShopInfo } & Omit<ShopRecords, 'name' | 'now' | 'policy'>,
): ShopSnapshot {
  return snapshotFromShop(
    { ...data, name: data.info.name, now: data.info.now, policy: data.info.policy },
    data.info.flavor,
  );
}

/** A snapshot of everything in an embedded order book (the workspace's store). */
export async function snapshotFromStore(store: ShopStoreReader): Promise<ShopSnapshot> {
  const [info, customers, orders, shipments, returns, products] = await Promise.all([
    store.info(),
    store.allCustomers(),
    store.allOrders(),
    store.allShipments(),
    store.allReturns(),
    store.allProducts(),
  ]);
  return snapshotFromShopData({ info, customers, orders, shipments, returns, products });
}

export interface OrderBookSnapshotOptions {
  /** Customers to include (the contract has no listing; a `ShopStore` has: use snapshotFromStore). */
  customerIds: readonly string[];
  /** At most this many customers (in id order) to keep generation fast. Default 400. */
  maxCustomers?: number;
  /** Product search limit. Default 5000. */
  maxProducts?: number;
}

/** Read a snapshot through the order-book contract (the store of an imported shop). */
export async function snapshotFromOrderBook(
  reader: OrderBookReader,
  options: OrderBookSnapshotOptions,
): Promise<ShopSnapshot> {
  const info = await reader.info();
  const ids = [...new Set(options.customerIds)].sort().slice(0, options.maxCustomers ?? 400);
  const customers: Customer[] = [];
  const ordersOf = new Map<string, Order[]>();
  const orders = new Map<string, Order>();
  const shipments = new Map<string, Shipment>();
  const returnsOf = new Map<string, ReturnRequest[]>();
  for (const id of ids) {
    const customer = await reader.customer(id);
    if (!customer) continue;
    customers.push(customer);
    const list = [...(await reader.ordersOf(id))].reverse();
    ordersOf.set(id, list);
    for (const order of list) {
      orders.set(order.id, order);
      const shipment = await reader.shipmentOf(order.id);
      if (shipment) shipments.set(order.id, shipment);
      const returns = await reader.returnsOf(order.id);
      if (returns.length > 0) returnsOf.set(order.id, returns);
    }
  }
  const products = await reader.searchProducts({ limit: options.maxProducts ?? 5000 });
  return {
    name: info.name,
    flavor: info.flavor,
    now: info.now,
    policy: info.policy,
    customers,
    ordersOf,
    orders,
    shipments,
    returnsOf,
    products,
  };
}
