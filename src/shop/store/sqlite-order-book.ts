/**
 * The embedded order book: the `OrderBook` contract (plus the import/export extras of
 * `ShopStore`) on SQLite through better-sqlite3, tables in the 'shop' migration area of the
 * workspace database. Reads are plain async methods; writes happen only inside `transaction`,
 * which is serialised through a promise queue and wrapped in BEGIN IMMEDIATE / COMMIT / ROLLBACK,
 * so a failed unit of work (an import, a tool's change plus its action record) changes nothing.
 * Does not: scope reads to a customer (the tools do), validate imported files (../import).
 */
import type Database from 'better-sqlite3';
import { KefuError, NotFoundError, RuntimeFailure } from '../../core/errors.js';
import { migrateArea, openSqlite, serialTransactions } from '../../storage/sqlite-open.js';
import type { CustomerQuery, ProductQuery } from '../order-book.js';
import {
  type AddressRow,
  type CustomerRow,
  type ItemRow,
  type ProductRow,
  type ReturnItemRow,
  toAction,
  toCustomer,
  toInfo,
  toOrder,
  toProduct,
  toReturn,
  toShipment,
  toVariant,
  type VariantRow,
} from './rows.js';
import { SHOP_AREA, shopMigrations } from './schema.js';
import type { ShopCounts, ShopStore, ShopStoreReader, ShopStoreTx } from './shop-store.js';
import { prepareStatements } from './statements.js';
import { orderBookWriter } from './store-writer.js';

export interface OpenOrderBookOptions {
  /** Milliseconds a writer waits on a lock. Defaults to 5000. */
  busyTimeoutMs?: number;
}

/** Opens (creating and migrating as needed) the order book in the SQLite file at `path`. */
export function openOrderBook(path: string, options: OpenOrderBookOptions = {}): ShopStore {
  const db = openSqlite(path, options);
  try {
    return orderBookOn(db, { ownsConnection: true });
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The order book on an already open connection (say, the one the rest of the workspace uses).
 * `close()` then leaves the connection open unless `ownsConnection` is true.
 */
export function orderBookOn(db: Database.Database, options: { ownsConnection?: boolean } = {}): ShopStore {
  try {
    migrateArea(db, SHOP_AREA, shopMigrations);
  } catch (error) {
    if (error instanceof KefuError) throw error;
    throw new RuntimeFailure(`cannot create the order book tables: ${(error as Error).message}`, {
      code: 'E_DB_OPEN',
      cause: error,
      hint: 'check that the database is writable',
    });
  }
  const s = prepareStatements(db);

  const groupBy = <R, K extends keyof R>(rows: R[], key: K): Map<R[K], R[]> => {
    const out = new Map<R[K], R[]>();
    for (const row of rows) {
      const list = out.get(row[key]);
      if (list) list.push(row);
      else out.set(row[key], [row]);
    }
    return out;
  };
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  const reader: ShopStoreReader = {
    async info() {
      const row = s.info.get();
      if (!row) {
        throw new NotFoundError('no shop has been imported into this order book', {
          hint: 'run `kefu shop import <dir>` (for example on the folder `kefu sample` wrote)',
        });
      }
      return toInfo(row);
    },
    async infoIfAny() {
      const row = s.info.get();
      return row && toInfo(row);
    },
    async policyDocuments() {
      return s.policyDocuments.all();
    },
    async customer(id) {
      const row = s.customer.get(id);
      return row && toCustomer(row, s.addressesOf.all(id));
    },
    async findCustomers(query: CustomerQuery) {
      const where: string[] = [];
      const params: string[] = [];
      const add = (sql: string, value: string | undefined) => {
        if (value === undefined || value.trim() === '') return;
        where.push(sql);
        params.push(value.trim());
      };
      add('name = ? COLLATE NOCASE', query.name);
      add('phone = ?', query.phone?.replace(/[\s-]/g, ''));
      add('email = ? COLLATE NOCASE', query.email);
      add('zip = ?', query.zip);
      if (where.length === 0) return [];
      const rows = db
        .prepare<string[], CustomerRow>(
          `SELECT * FROM shop_customers WHERE ${where.join(' AND ')} ORDER BY rowid LIMIT 50`,
        )
        .all(...params);
      return rows.map((row) => toCustomer(row, s.addressesOf.all(row.id)));
    },
    async ordersOf(customerId) {
      return s.ordersOf.all(customerId).map((row) => toOrder(row, s.itemsOf.all(row.id)));
    },
    async order(id) {
      const row = s.order.get(id);
      return row && toOrder(row, s.itemsOf.all(id));
    },
    async shipmentOf(orderId) {
      const row = s.shipmentOf.get(orderId);
      return row && toShipment(row);
    },
    async shipmentByTracking(trackingNumber) {
      const row = s.shipmentByTracking.get(trackingNumber.trim());
      return row && toShipment(row);
    },
    async returnsOf(orderId) {
      return s.returnsOf.all(orderId).map((row) => toReturn(row, s.returnItemsOf.all(row.id)));
    },
    async product(id) {
      const row = s.product.get(id);
      return row && toProduct(row, s.variantsOf.all(id));
    },
    async searchProducts(query: ProductQuery) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.model?.trim()) {
        where.push('model = ? COLLATE NOCASE');
        params.push(query.model.trim());
      }
      if (query.category?.trim()) {
        where.push('category = ?');
        params.push(query.category.trim());
      }
      for (const word of (query.text ?? '').split(/\s+/).filter(Boolean)) {
        const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        where.push(
          `(name LIKE ? ESCAPE '\\' OR brand LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\' OR type LIKE ? ESCAPE '\\')`,
        );
        params.push(like, like, like, like);
      }
      params.push(Math.max(1, Math.min(query.limit ?? 20, 200)));
      const rows = db
        .prepare<(string | number)[], ProductRow>(
          `SELECT * FROM shop_products ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY rowid LIMIT ?`,
        )
        .all(...params);
      return rows.map((row) => toProduct(row, s.variantsOf.all(row.id)));
    },
    async variant(sku) {
      const row = s.variant.get(sku);
      if (!row) return undefined;
      const product = s.product.get(row.product_id)!;
      return { product: toProduct(product, s.variantsOf.all(product.id)), variant: toVariant(row) };
    },
    async action(key) {
      const row = s.action.get(key);
      return row && toAction(row);
    },
    async actions(options = {}) {
      return s.actions
        .all({ customerId: options.customerId ?? null, limit: options.limit ?? 100 })
        .map(toAction);
    },
    async counts(): Promise<ShopCounts> {
      return {
        customers: count('shop_customers'),
        products: count('shop_products'),
        variants: count('shop_variants'),
        orders: count('shop_orders'),
        shipments: count('shop_shipments'),
        returns: count('shop_returns'),
        policyDocuments: count('shop_policy_documents'),
        actions: count('shop_actions'),
      };
    },
    async allCustomers() {
      const addresses = groupBy<AddressRow, 'customer_id'>(s.allAddresses.all(), 'customer_id');
      return s.allCustomers.all().map((row) => toCustomer(row, addresses.get(row.id) ?? []));
    },
    async allProducts() {
      const variants = groupBy<VariantRow, 'product_id'>(s.allVariants.all(), 'product_id');
      return s.allProducts.all().map((row) => toProduct(row, variants.get(row.id) ?? []));
    },
    async allOrders() {
      const items = groupBy<ItemRow, 'order_id'>(s.allItems.all(), 'order_id');
      return s.allOrders.all().map((row) => toOrder(row, items.get(row.id) ?? []));
    },
    async allShipments() {
      return s.allShipments.all().map(toShipment);
    },
    async allReturns() {
      const items = groupBy<ReturnItemRow, 'return_id'>(s.allReturnItems.all(), 'return_id');
      return s.allReturns.all().map((row) => toReturn(row, items.get(row.id) ?? []));
    },
  };

  const writer = orderBookWriter(db, s);
  const tx: ShopStoreTx = { ...reader, ...writer };
  const inTransaction = serialTransactions(db);
  return {
    ...reader,
    transaction: <T>(work: (tx: ShopStoreTx) => Promise<T>): Promise<T> => inTransaction(() => work(tx)),
    close() {
      if (options.ownsConnection && db.open) db.close();
    },
  };
}
