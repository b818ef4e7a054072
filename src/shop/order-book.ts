/**
 * The order-book contract: what the business tools, the dialogue engine and the evaluation read
 * and change in a shop's data. Methods are async so a PostgreSQL implementation can satisfy it;
 * the embedded one is SQLite (./store). Every record keeps `source`, the record as it was imported
 * (e.g. a τ-bench order with its item ids and payment history), so export round-trips without loss
 * and source-specific tools (the τ-bench retail tools) can work on the original shape.
 * Types only: no I/O, no scoping — tools scope every call to the authenticated customer.
 */
import type {
  Customer,
  Order,
  PolicyDocument,
  PolicyFacts,
  Product,
  ReturnRequest,
  Shipment,
  Variant,
} from './types.js';

/** Where the data came from: kefu's own format (the sample shop) or the τ-bench retail layout. */
export type ShopFlavor = 'kefu' | 'tau-bench';

/** A stored record with the shape it was imported in (absent for kefu's own records). */
export type WithSource<T> = T & { source?: Record<string, unknown> };

export interface ShopInfo {
  name: string;
  flavor: ShopFlavor;
  /** The shop's "now" for policy windows; the sample shop is a snapshot with a fixed time. */
  now: string;
  policy: PolicyFacts;
}

export interface CustomerQuery {
  name?: string;
  phone?: string;
  email?: string;
  /** Postal code (τ-bench identifies users by name + zip). */
  zip?: string;
}

export interface ProductQuery {
  /** Free text matched against name, brand, model, type. */
  text?: string;
  category?: string;
  /** Exact model code, e.g. 'KF-35GW'. */
  model?: string;
  limit?: number;
}

/** One change to the order book, written in the same transaction as the change itself. */
export interface ActionRecord {
  /** Idempotency key: the same key twice applies once and returns the first result. */
  key: string;
  tool: string;
  customerId: string;
  args: Record<string, unknown>;
  result: Record<string, unknown>;
  at: string;
}

export interface OrderBookReader {
  info(): Promise<ShopInfo>;
  policyDocuments(): Promise<PolicyDocument[]>;
  customer(id: string): Promise<WithSource<Customer> | undefined>;
  findCustomers(query: CustomerQuery): Promise<WithSource<Customer>[]>;
  /** Newest first. */
  ordersOf(customerId: string): Promise<WithSource<Order>[]>;
  order(id: string): Promise<WithSource<Order> | undefined>;
  shipmentOf(orderId: string): Promise<Shipment | undefined>;
  shipmentByTracking(trackingNumber: string): Promise<Shipment | undefined>;
  returnsOf(orderId: string): Promise<ReturnRequest[]>;
  product(id: string): Promise<WithSource<Product> | undefined>;
  searchProducts(query: ProductQuery): Promise<WithSource<Product>[]>;
  variant(sku: string): Promise<{ product: WithSource<Product>; variant: Variant } | undefined>;
  /** A recorded action by idempotency key. */
  action(key: string): Promise<ActionRecord | undefined>;
  actions(options?: { customerId?: string; limit?: number }): Promise<ActionRecord[]>;
}

export interface OrderBookWriter {
  /** Replace a stored order (status, items, address, payment, timestamps, source). */
  putOrder(order: WithSource<Order>): Promise<void>;
  putCustomer(customer: WithSource<Customer>): Promise<void>;
  putProduct(product: WithSource<Product>): Promise<void>;
  putShipment(shipment: Shipment): Promise<void>;
  putReturn(request: ReturnRequest): Promise<void>;
  recordAction(action: ActionRecord): Promise<void>;
}

export interface OrderBook extends OrderBookReader {
  /** Run `work` atomically: all writes through `tx` commit together or not at all. Serialised. */
  transaction<T>(work: (tx: OrderBookReader & OrderBookWriter) => Promise<T>): Promise<T>;
  close(): void;
}
