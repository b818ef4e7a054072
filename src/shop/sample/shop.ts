/**
 * Generates the whole sample order book from one seed: products, customers, orders, shipments
 * and return requests, with a fixed snapshot time ("now") so the same seed always gives the same
 * shop. Also an index for lookups by id. Writes nothing; see write.ts.
 */
import type { Customer, Order, Product, ReturnRequest, Shipment, Shop } from '../types.js';
import { generateProducts } from './catalog.js';
import { bj, iso } from './format.js';
import { generateOrders } from './orders.js';
import { generateCustomers } from './people.js';
import { POLICY, SHOP_NAME } from './policies.js';
import { Rng } from './random.js';

/** The snapshot time of every sample shop: 2024-07-01 10:00 Beijing time. */
export const SHOP_NOW = bj(2024, 7, 1, 10, 0);
const SHOP_START = bj(2024, 1, 1);

export interface ShopSizes {
  productsPerType: number;
  customers: number;
  orders: number;
}

export const DEFAULT_SIZES: ShopSizes = { productsPerType: 9, customers: 600, orders: 2400 };

export function generateShop(seed: number, sizes: ShopSizes = DEFAULT_SIZES): Shop {
  const root = new Rng(seed);
  const products = generateProducts(root.fork('products'), sizes.productsPerType);
  const customers = generateCustomers(root.fork('customers'), sizes.customers);
  const book = generateOrders(
    root.fork('orders'),
    sizes.orders,
    customers,
    products,
    POLICY,
    SHOP_NOW,
    SHOP_START,
  );
  return { name: SHOP_NAME, now: iso(SHOP_NOW), policy: POLICY, products, customers, ...book };
}

/** Lookups over a shop. */
export interface ShopIndex {
  shop: Shop;
  product: Map<string, Product>;
  customer: Map<string, Customer>;
  order: Map<string, Order>;
  shipment: Map<string, Shipment>;
  /** Return requests by order id. */
  returnsOf: Map<string, ReturnRequest[]>;
  /** Orders of each customer, oldest first. */
  ordersOf: Map<string, Order[]>;
  /** Variant (with its product) by SKU. */
  sku: Map<string, { product: Product; index: number }>;
}

export function indexShop(shop: Shop): ShopIndex {
  const ordersOf = new Map<string, Order[]>();
  for (const o of shop.orders) {
    const list = ordersOf.get(o.customerId) ?? [];
    list.push(o);
    ordersOf.set(o.customerId, list);
  }
  const returnsOf = new Map<string, ReturnRequest[]>();
  for (const r of shop.returns) returnsOf.set(r.orderId, [...(returnsOf.get(r.orderId) ?? []), r]);
  const sku = new Map<string, { product: Product; index: number }>();
  for (const p of shop.products) {
    p.variants.forEach((v, index) => {
      sku.set(v.sku, { product: p, index });
    });
  }
  return {
    shop,
    product: new Map(shop.products.map((p) => [p.id, p])),
    customer: new Map(shop.customers.map((c) => [c.id, c])),
    order: new Map(shop.orders.map((o) => [o.id, o])),
    shipment: new Map(shop.shipments.map((s) => [s.orderId, s])),
    returnsOf,
    ordersOf,
    sku,
  };
}
