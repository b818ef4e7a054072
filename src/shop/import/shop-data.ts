/**
 * `ShopData`: a whole order book in memory, the common form every format reader produces and
 * every writer consumes. Storing it (`storeShopData`, inside a caller's transaction: clear, then
 * put everything) and reading it back (`readShopData`), plus the cross-record checks a file
 * format cannot express (unique ids, orders pointing at known customers, shipments and returns
 * at known orders), reported as InputErrors naming the file, record and field. No file I/O.
 */
import { InputError } from '../../core/errors.js';
import type { ShopInfo, WithSource } from '../order-book.js';
import type { ShopStoreReader, ShopStoreTx } from '../store/shop-store.js';
import type { Customer, Order, PolicyDocument, Product, ReturnRequest, Shipment } from '../types.js';

export interface ShopData {
  info: ShopInfo;
  policyDocuments: PolicyDocument[];
  customers: WithSource<Customer>[];
  products: WithSource<Product>[];
  orders: WithSource<Order>[];
  shipments: Shipment[];
  returns: ReturnRequest[];
}

export interface ImportCounts {
  customers: number;
  products: number;
  variants: number;
  orders: number;
  shipments: number;
  returns: number;
  policyDocuments: number;
}

export function countShopData(data: ShopData): ImportCounts {
  return {
    customers: data.customers.length,
    products: data.products.length,
    variants: data.products.reduce((n, p) => n + p.variants.length, 0),
    orders: data.orders.length,
    shipments: data.shipments.length,
    returns: data.returns.length,
    policyDocuments: data.policyDocuments.length,
  };
}

/** The file each kind of record came from, for error messages. */
export interface RecordFiles {
  customers: string;
  products: string;
  orders: string;
  shipments: string;
  returns: string;
}

const fail = (file: string, index: number, field: string, message: string): never => {
  throw new InputError(
    `${message} (record ${index})`,
    { file, field },
    {
      code: 'E_SHOP_REFERENCE',
      hint: 'fix the record (see docs/shop-format.md) and import again',
      details: { record: index },
    },
  );
};

function unique<T>(file: string, records: T[], key: (r: T) => string, field: string): Set<string> {
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const value = key(record);
    if (seen.has(value)) fail(file, index, field, `duplicate ${field} "${value}"`);
    seen.add(value);
  });
  return seen;
}

/** Throws on duplicate ids and on references to records that are not in `data`. */
export function checkReferences(data: ShopData, files: RecordFiles): void {
  const customers = unique(files.customers, data.customers, (c) => c.id, 'id');
  unique(files.products, data.products, (p) => p.id, 'id');
  const skus = new Set<string>();
  data.products.forEach((product, index) => {
    product.variants.forEach((variant, v) => {
      if (skus.has(variant.sku))
        fail(files.products, index, `variants[${v}].sku`, `duplicate sku "${variant.sku}"`);
      skus.add(variant.sku);
    });
  });
  const orders = unique(files.orders, data.orders, (o) => o.id, 'id');
  data.orders.forEach((order, index) => {
    if (!customers.has(order.customerId)) {
      fail(files.orders, index, 'customerId', `unknown customer "${order.customerId}"`);
    }
  });
  unique(files.shipments, data.shipments, (s) => s.trackingNumber, 'trackingNumber');
  data.shipments.forEach((shipment, index) => {
    if (!orders.has(shipment.orderId))
      fail(files.shipments, index, 'orderId', `unknown order "${shipment.orderId}"`);
  });
  unique(files.returns, data.returns, (r) => r.id, 'id');
  data.returns.forEach((request, index) => {
    if (!orders.has(request.orderId))
      fail(files.returns, index, 'orderId', `unknown order "${request.orderId}"`);
  });
}

/** Replaces everything in the order book with `data`; call inside `transaction`. */
export async function storeShopData(tx: ShopStoreTx, data: ShopData): Promise<ImportCounts> {
  await tx.clear();
  await tx.setInfo(data.info);
  for (const document of data.policyDocuments) await tx.putPolicyDocument(document);
  for (const customer of data.customers) await tx.putCustomer(customer);
  for (const product of data.products) await tx.putProduct(product);
  for (const order of data.orders) await tx.putOrder(order);
  for (const shipment of data.shipments) await tx.putShipment(shipment);
  for (const request of data.returns) await tx.putReturn(request);
  return countShopData(data);
}

/** The whole order book, in import order. */
export async function readShopData(book: ShopStoreReader): Promise<ShopData> {
  return {
    info: await book.info(),
    policyDocuments: await book.policyDocuments(),
    customers: await book.allCustomers(),
    products: await book.allProducts(),
    orders: await book.allOrders(),
    shipments: await book.allShipments(),
    returns: await book.allReturns(),
  };
}
