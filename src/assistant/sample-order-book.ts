/**
 * A small generated sample shop (kefu's own generator, fixed seed) stored in an SQLite order book,
 * in memory by default: the order book tests, benchmarks and demos run on.
 */
import type Database from 'better-sqlite3';
import { storeShopData } from '../shop/import/shop-data.js';
import { policyDocuments } from '../shop/sample/policies.js';
import { generateShop, type ShopSizes } from '../shop/sample/shop.js';
import type { ShopStore } from '../shop/store/shop-store.js';
import { orderBookOn } from '../shop/store/sqlite-order-book.js';
import type { Shop } from '../shop/types.js';
import { openSqlite } from '../storage/sqlite-open.js';

export const SMALL_SHOP: ShopSizes = { productsPerType: 1, customers: 40, orders: 200 };

export async function sampleBook(
  options: { path?: string; seed?: number; sizes?: ShopSizes } = {},
): Promise<{ db: Database.Database; book: ShopStore; shop: Shop }> {
  const shop = generateShop(options.seed ?? 11, options.sizes ?? SMALL_SHOP);
  const db = openSqlite(options.path ?? ':memory:');
  const book = orderBookOn(db);
  await book.transaction((tx) =>
    storeShopData(tx, {
      info: { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy },
      policyDocuments: policyDocuments(),
      customers: shop.customers,
      products: shop.products,
      orders: shop.orders,
      shipments: shop.shipments,
      returns: shop.returns,
    }),
  );
  return { db, book, shop };
}
