/**
 * Writing kefu's CSV layout (see ./csv-format.ts and docs/shop-format.md): one row per address,
 * variant, order item and returned item, the record's own columns repeated on each row, maps and
 * lists as JSON cells, money in fen. All files appear at once. No validation (the data comes
 * from the order book).
 */
import type { Address, Customer, Order, Product, ReturnRequest, Shipment } from '../types.js';
import { stringifyCsv } from './csv.js';
import { ADDRESS, CSV_COLUMNS, CSV_FILES } from './csv-format.js';
import { writeFilesAtomically } from './kefu-format.js';
import type { ShopData } from './shop-data.js';

const addressCells = (a: Address | undefined) =>
  a
    ? [a.recipient, a.phone, a.province, a.city, a.district, a.detail, String(a.isDefault)]
    : ADDRESS.map(() => '');
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function customerRows(c: Customer): string[][] {
  const own = [c.id, c.name, c.phone, c.email, c.registeredAt];
  return c.addresses.length === 0
    ? [[...own, ...addressCells(undefined)]]
    : c.addresses.map((a) => [...own, ...addressCells(a)]);
}

function productRows(p: Product): string[][] {
  const own = [
    p.id,
    p.name,
    p.category,
    p.type,
    p.brand,
    p.model,
    p.description,
    JSON.stringify(p.specs),
    String(p.warrantyMonths),
    String(p.sevenDayReturn),
    p.manual,
  ];
  if (p.variants.length === 0) return [[...own, '', '', '', '']];
  return p.variants.map((v) => [...own, v.sku, JSON.stringify(v.options), String(v.price), String(v.stock)]);
}

function orderRows(o: Order): string[][] {
  const own = [
    o.id,
    o.customerId,
    o.createdAt,
    o.status,
    String(o.shippingFee),
    o.payment.method,
    String(o.payment.amount),
    text(o.payment.paidAt),
    ...addressCells(o.address),
    text(o.shippedAt),
    text(o.deliveredAt),
    text(o.cancelledAt),
  ];
  return o.items.map((i) => [
    ...own,
    i.sku,
    i.productId,
    i.name,
    JSON.stringify(i.options),
    String(i.quantity),
    String(i.unitPrice),
  ]);
}

const shipmentRow = (s: Shipment) => [
  s.trackingNumber,
  s.orderId,
  s.carrier,
  s.status,
  s.shippedAt,
  s.estimatedDelivery,
  JSON.stringify(s.events),
];

function returnRows(r: ReturnRequest): string[][] {
  const own = [r.id, r.orderId, r.type, r.reason, r.status, String(r.refundAmount), r.createdAt, r.updatedAt];
  return r.items.map((i) => [...own, i.sku, String(i.quantity), text(i.exchangeSku)]);
}

/** The CSV layout's files for `data`. */
export function csvFiles(data: ShopData): Map<string, string> {
  const files = new Map<string, string>();
  const { name, now, policy } = data.info;
  files.set('shop.json', `${JSON.stringify({ name, now, policy }, null, 2)}\n`);
  files.set(CSV_FILES.customers, stringifyCsv(CSV_COLUMNS.customers, data.customers.flatMap(customerRows)));
  files.set(CSV_FILES.products, stringifyCsv(CSV_COLUMNS.products, data.products.flatMap(productRows)));
  files.set(CSV_FILES.orders, stringifyCsv(CSV_COLUMNS.orders, data.orders.flatMap(orderRows)));
  files.set(CSV_FILES.shipments, stringifyCsv(CSV_COLUMNS.shipments, data.shipments.map(shipmentRow)));
  files.set(CSV_FILES.returns, stringifyCsv(CSV_COLUMNS.returns, data.returns.flatMap(returnRows)));
  for (const doc of data.policyDocuments) files.set(`policies/${doc.slug}.md`, doc.markdown);
  return files;
}

export async function writeCsvShop(root: string, data: ShopData): Promise<void> {
  await writeFilesAtomically(root, csvFiles(data));
}
