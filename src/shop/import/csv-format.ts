/**
 * kefu's CSV layout (docs/shop-format.md), for shops kept in spreadsheets: shop.json (name, now,
 * policy numbers), customers.csv (one row per address), products.csv (one row per variant),
 * orders.csv (one row per item), shipments.csv, returns.csv (one row per item) and
 * policies/*.md. Money columns end in `_fen` (integers); maps and lists (options, specs, events)
 * are JSON in a cell. Rows of one record must agree on the record's own columns. Reading
 * validates with the same schemas as the JSON layout and names file, line and column; `source`
 * is not part of this layout. Writing is in ./csv-export.ts. Does not touch the database.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ZodType } from 'zod';
import { InputError, NotFoundError } from '../../core/errors.js';
import { type CsvRow, parseCsv } from './csv.js';
import { readJsonFile, readPolicyDocuments } from './kefu-format.js';
import {
  customerSchema,
  orderSchema,
  productSchema,
  returnSchema,
  shipmentSchema,
  shopFileSchema,
  validateRecord,
} from './kefu-schemas.js';
import { checkReferences, type RecordFiles, type ShopData } from './shop-data.js';

export const CSV_FILES: RecordFiles = {
  customers: 'customers.csv',
  products: 'products.csv',
  orders: 'orders.csv',
  shipments: 'shipments.csv',
  returns: 'returns.csv',
};

export const ADDRESS = [
  'recipient',
  'address_phone',
  'province',
  'city',
  'district',
  'detail',
  'is_default',
] as const;
export const CSV_COLUMNS = {
  customers: ['customer_id', 'name', 'phone', 'email', 'registered_at', ...ADDRESS],
  products: [
    'product_id',
    'name',
    'category',
    'type',
    'brand',
    'model',
    'description',
    'specs',
    'warranty_months',
    'seven_day_return',
    'manual',
    'sku',
    'options',
    'price_fen',
    'stock',
  ],
  orders: [
    'order_id',
    'customer_id',
    'created_at',
    'status',
    'shipping_fee_fen',
    'payment_method',
    'payment_amount_fen',
    'paid_at',
    ...ADDRESS,
    'shipped_at',
    'delivered_at',
    'cancelled_at',
    'sku',
    'product_id',
    'item_name',
    'options',
    'quantity',
    'unit_price_fen',
  ],
  shipments: [
    'tracking_number',
    'order_id',
    'carrier',
    'status',
    'shipped_at',
    'estimated_delivery',
    'events',
  ],
  returns: [
    'return_id',
    'order_id',
    'type',
    'reason',
    'status',
    'refund_amount_fen',
    'created_at',
    'updated_at',
    'sku',
    'quantity',
    'exchange_sku',
  ],
} as const;
/** How many leading columns belong to the record itself (the rest to its address / variant / item). */
const OWN_COLUMNS = { customers: 5, products: 11, orders: 8, returns: 8 } as const;

type Kind = keyof typeof CSV_COLUMNS;

// Cell → value. Invalid text passes through so the schema reports it with its column.
const num = (s: string): unknown => (s.trim() === '' ? undefined : Number.isNaN(Number(s)) ? s : Number(s));
const bool = (s: string): unknown => (s === 'true' ? true : s === 'false' ? false : s === '' ? undefined : s);
const opt = (s: string) => (s === '' ? undefined : s);
/** `record` without its undefined fields (an empty optional cell means "absent"). */
const compact = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;

async function readRows(root: string, kind: Kind): Promise<CsvRow[]> {
  const file = CSV_FILES[kind];
  let text: string;
  try {
    text = await readFile(join(root, file), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    throw new NotFoundError(`${join(root, file)} does not exist`, {
      hint: 'see docs/shop-format.md (CSV layout)',
    });
  }
  const { header, rows } = parseCsv(file, text);
  const missing = CSV_COLUMNS[kind].find((column) => !header.includes(column));
  if (missing) {
    throw new InputError(
      'the header lacks this column',
      { file, line: 1, field: missing },
      { code: 'E_SHOP_FORMAT' },
    );
  }
  return rows;
}

function json(file: string, row: CsvRow, column: string): unknown {
  const text = row.cells[column]!;
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(
      `not valid JSON: ${text.slice(0, 40)}`,
      { file, line: row.line, field: column },
      {
        code: 'E_SHOP_FORMAT',
        hint: 'maps and lists are written as JSON in one cell, e.g. {"颜色":"黑"}',
      },
    );
  }
}

/** Rows grouped by their first column in first-seen order; a group's own columns must agree. */
function groups(kind: Exclude<Kind, 'shipments'>, rows: CsvRow[]): CsvRow[][] {
  const own = CSV_COLUMNS[kind].slice(0, OWN_COLUMNS[kind]);
  const byId = new Map<string, CsvRow[]>();
  for (const row of rows) {
    const id = row.cells[own[0]!]!;
    const group = byId.get(id);
    if (!group) {
      byId.set(id, [row]);
      continue;
    }
    const differs = own.find((column) => row.cells[column] !== group[0]!.cells[column]);
    if (differs) {
      throw new InputError(
        `this row of ${id} disagrees with line ${group[0]!.line}`,
        { file: CSV_FILES[kind], line: row.line, field: differs },
        { code: 'E_SHOP_FORMAT', hint: `every row of one record repeats its ${own.join(', ')}` },
      );
    }
    group.push(row);
  }
  return [...byId.values()];
}

const addressOf = (c: Record<string, string>) => ({
  recipient: c.recipient,
  phone: c.address_phone,
  province: c.province,
  city: c.city,
  district: c.district,
  detail: c.detail,
  isDefault: bool(c.is_default!),
});
const hasAddress = (c: Record<string, string>) => ADDRESS.some((column) => c[column] !== '');

export async function readCsvShop(root: string): Promise<ShopData> {
  const [info, customerRows, productRows, orderRows, shipmentRows, returnRows, policyDocuments] =
    await Promise.all([
      readJsonFile(root, 'shop.json').then((v) => validateRecord('shop.json', undefined, v, shopFileSchema)),
      readRows(root, 'customers'),
      readRows(root, 'products'),
      readRows(root, 'orders'),
      readRows(root, 'shipments'),
      readRows(root, 'returns'),
      readPolicyDocuments(root, 'policies'),
    ]);
  /** Validates one record; a failing child (variant, item, address) is reported at its own row. */
  const check = <T>(
    kind: Kind,
    rows: CsvRow[],
    value: unknown,
    schema: ZodType<T>,
    children?: { key: string; rows: CsvRow[] },
  ): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const [key, index] = parsed.error.issues[0]!.path;
    const row =
      children && key === children.key && typeof index === 'number' ? children.rows[index] : rows[0];
    return validateRecord(CSV_FILES[kind], undefined, value, schema, (row ?? rows[0]!).line);
  };

  const customers = groups('customers', customerRows).map((rows) => {
    const c = rows[0]!.cells;
    const addresses = rows.filter((r) => hasAddress(r.cells)).map((r) => addressOf(r.cells));
    const record = {
      id: c.customer_id,
      name: c.name,
      phone: c.phone,
      email: c.email,
      registeredAt: c.registered_at,
      addresses,
    };
    return check('customers', rows, record, customerSchema, {
      key: 'addresses',
      rows: rows.filter((r) => hasAddress(r.cells)),
    });
  });
  const products = groups('products', productRows).map((rows) => {
    const c = rows[0]!.cells;
    const file = CSV_FILES.products;
    const variants = rows
      .filter((r) => r.cells.sku !== '')
      .map((r) => ({
        sku: r.cells.sku,
        options: json(file, r, 'options'),
        price: num(r.cells.price_fen!),
        stock: num(r.cells.stock!),
      }));
    const record = {
      id: c.product_id,
      name: c.name,
      category: c.category,
      type: c.type,
      brand: c.brand,
      model: c.model,
      description: c.description,
      specs: json(file, rows[0]!, 'specs'),
      variants,
      warrantyMonths: num(c.warranty_months!),
      sevenDayReturn: bool(c.seven_day_return!),
      manual: c.manual,
    };
    return check('products', rows, record, productSchema, {
      key: 'variants',
      rows: rows.filter((r) => r.cells.sku !== ''),
    });
  });
  const orders = groups('orders', orderRows).map((rows) => {
    const c = rows[0]!.cells;
    const record = compact({
      id: c.order_id,
      customerId: c.customer_id,
      createdAt: c.created_at,
      status: c.status,
      items: rows.map((r) => ({
        sku: r.cells.sku,
        productId: r.cells.product_id,
        name: r.cells.item_name,
        options: json(CSV_FILES.orders, r, 'options'),
        quantity: num(r.cells.quantity!),
        unitPrice: num(r.cells.unit_price_fen!),
      })),
      shippingFee: num(c.shipping_fee_fen!),
      payment: {
        method: c.payment_method,
        amount: num(c.payment_amount_fen!),
        paidAt: c.paid_at === '' ? null : c.paid_at,
      },
      address: addressOf(c),
      shippedAt: opt(c.shipped_at!),
      deliveredAt: opt(c.delivered_at!),
      cancelledAt: opt(c.cancelled_at!),
    });
    return check('orders', rows, record, orderSchema, { key: 'items', rows });
  });
  const shipments = shipmentRows.map((row) => {
    const c = row.cells;
    const record = {
      orderId: c.order_id,
      carrier: c.carrier,
      trackingNumber: c.tracking_number,
      status: c.status,
      shippedAt: c.shipped_at,
      estimatedDelivery: c.estimated_delivery,
      events: json(CSV_FILES.shipments, row, 'events'),
    };
    return check('shipments', [row], record, shipmentSchema);
  });
  const returns = groups('returns', returnRows).map((rows) => {
    const c = rows[0]!.cells;
    const record = {
      id: c.return_id,
      orderId: c.order_id,
      type: c.type,
      reason: c.reason,
      status: c.status,
      items: rows.map((r) => ({
        sku: r.cells.sku,
        quantity: num(r.cells.quantity!),
        exchangeSku: opt(r.cells.exchange_sku!),
      })),
      refundAmount: num(c.refund_amount_fen!),
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    };
    return check('returns', rows, record, returnSchema, { key: 'items', rows });
  });
  const data: ShopData = {
    info: { ...info, flavor: 'kefu' },
    policyDocuments,
    customers,
    products,
    orders,
    shipments,
    returns,
  };
  checkReferences(data, CSV_FILES);
  return data;
}
