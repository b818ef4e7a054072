/**
 * What the embedded order book offers beyond the `OrderBook` contract: the writes an import
 * needs (shop info, policy documents, clearing everything) and the full listings and counts an
 * export and `kefu shop status` need. Tools and the dialogue engine should depend on `OrderBook`
 * only; importers, exporters and the CLI use `ShopStore`. Types only.
 */
import type { OrderBook, OrderBookReader, OrderBookWriter, ShopInfo, WithSource } from '../order-book.js';
import type { Customer, Order, PolicyDocument, Product, ReturnRequest, Shipment } from '../types.js';

export interface ShopCounts {
  customers: number;
  products: number;
  variants: number;
  orders: number;
  shipments: number;
  returns: number;
  policyDocuments: number;
  actions: number;
}

export interface ShopStoreReader extends OrderBookReader {
  /** The shop info, or undefined before the first import (`info()` throws then). */
  infoIfAny(): Promise<ShopInfo | undefined>;
  counts(): Promise<ShopCounts>;
  /** Full listings in import order (rowid order: a replaced record keeps its place). */
  allCustomers(): Promise<WithSource<Customer>[]>;
  allProducts(): Promise<WithSource<Product>[]>;
  allOrders(): Promise<WithSource<Order>[]>;
  allShipments(): Promise<Shipment[]>;
  allReturns(): Promise<ReturnRequest[]>;
}

export interface ShopStoreWriter extends OrderBookWriter {
  setInfo(info: ShopInfo): Promise<void>;
  putPolicyDocument(document: PolicyDocument): Promise<void>;
  /** Remove every record, the action log and the shop info. */
  clear(): Promise<void>;
}

export type ShopStoreTx = ShopStoreReader & ShopStoreWriter;

export interface ShopStore extends OrderBook, ShopStoreReader {
  /** Serialised; `work` must not call `transaction` again (it would wait on itself). */
  transaction<T>(work: (tx: ShopStoreTx) => Promise<T>): Promise<T>;
}
