/**
 * zod schemas of kefu's own order-book records (the shapes in ../types.ts), used to validate
 * `shop/*.json` and CSV rows before anything is stored, and `validateRecords`, which turns the
 * first failure into an InputError naming the file, the record index and the field. Strict
 * objects: an unknown field is an error (a typo must not vanish silently on import).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ShopInfo } from '../order-book.js';
import type { Customer, Order, PolicyFacts, Product, ReturnRequest, Shipment } from '../types.js';

const fen = z.number().int().nonnegative();
const text = z.string();
const id = z.string().min(1);
const stringMap = z.record(z.string(), z.string());

export const categorySchema = z.enum(['家电', '手机数码', '服装', '鞋靴', '美妆', '食品', '家居']);

export const variantSchema = z.strictObject({
  sku: id,
  options: stringMap,
  price: fen,
  stock: z.number().int(),
});

export const productSchema = z.strictObject({
  id,
  name: text,
  category: categorySchema,
  type: text,
  brand: text,
  model: text,
  description: text,
  specs: stringMap,
  variants: z.array(variantSchema),
  warrantyMonths: z.number().int().nonnegative(),
  sevenDayReturn: z.boolean(),
  manual: text,
});

export const addressSchema = z.strictObject({
  recipient: text,
  phone: text,
  province: text,
  city: text,
  district: text,
  detail: text,
  isDefault: z.boolean(),
});

export const customerSchema = z.strictObject({
  id,
  name: text,
  phone: text,
  email: text,
  registeredAt: text,
  addresses: z.array(addressSchema),
});

export const orderStatusSchema = z.enum([
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
  'exchanged',
]);

export const orderItemSchema = z.strictObject({
  sku: id,
  productId: id,
  name: text,
  options: stringMap,
  quantity: z.number().int().positive(),
  unitPrice: fen,
});

export const orderSchema = z.strictObject({
  id,
  customerId: id,
  createdAt: text,
  status: orderStatusSchema,
  items: z.array(orderItemSchema).min(1),
  shippingFee: fen,
  payment: z.strictObject({
    method: z.enum(['支付宝', '微信支付', '银行卡', '信用卡', 'PayPal', '礼品卡']),
    amount: fen,
    paidAt: text.nullable(),
  }),
  address: addressSchema,
  shippedAt: text.optional(),
  deliveredAt: text.optional(),
  cancelledAt: text.optional(),
});

export const shipmentSchema = z.strictObject({
  orderId: id,
  carrier: z.enum(['顺丰', '中通', '圆通', '京东', 'EMS', '其他']),
  trackingNumber: id,
  status: z.enum(['in_transit', 'out_for_delivery', 'delivered']),
  shippedAt: text,
  estimatedDelivery: text,
  events: z.array(z.strictObject({ time: text, location: text, description: text })),
});

export const returnSchema = z.strictObject({
  id,
  orderId: id,
  type: z.enum(['return', 'exchange']),
  reason: text,
  status: z.enum(['requested', 'approved', 'rejected', 'received', 'refunded', 'completed']),
  items: z
    .array(z.strictObject({ sku: id, quantity: z.number().int().positive(), exchangeSku: id.optional() }))
    .min(1),
  refundAmount: fen,
  createdAt: text,
  updatedAt: text,
});

export const policyFactsSchema = z.strictObject({
  returnDays: z.number().int().nonnegative(),
  exchangeDays: z.number().int().nonnegative(),
  freeShippingThreshold: fen,
  standardShippingFee: fen,
  shipWithinHours: z.number().nonnegative(),
  priceProtectDays: z.number().int().nonnegative(),
  refundDaysOriginal: text,
  returnShippingByShopIfQuality: z.boolean(),
  invoiceKinds: z.array(text),
  serviceHours: text,
  cancelWindow: text,
});

/** shop/shop.json: the shop's name, snapshot time and policy numbers. */
export const shopFileSchema = z.strictObject({
  name: z.string().min(1),
  now: z.string().min(1),
  policy: policyFactsSchema,
});

// Compile-time checks that the schemas produce kefu's types exactly.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _checks: [
  Same<z.infer<typeof productSchema>, Product>,
  Same<z.infer<typeof customerSchema>, Customer>,
  Same<z.infer<typeof orderSchema>, Order>,
  Same<z.infer<typeof shipmentSchema>, Shipment>,
  Same<z.infer<typeof returnSchema>, ReturnRequest>,
  Same<z.infer<typeof policyFactsSchema>, PolicyFacts>,
  Same<z.infer<typeof shopFileSchema>, Omit<ShopInfo, 'flavor'>>,
] = [true, true, true, true, true, true, true];
void _checks;

/** `a.b[2].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

/**
 * Validates every element of `records` (a parsed JSON array) with `schema`. Throws an InputError
 * naming `file`, the record index (0-based) or key, and the field of the first failure.
 */
export function validateRecords<T>(file: string, records: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(records)) {
    throw new InputError('expected a JSON array of records', { file }, { code: 'E_SHOP_FORMAT' });
  }
  return records.map((record, index) => validateRecord(file, index, record, schema));
}

export function validateRecord<T>(
  file: string,
  index: number | string | undefined,
  record: unknown,
  schema: z.ZodType<T>,
  line?: number,
): T {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldPath(issue.path);
  const recordId = (record as { id?: unknown } | null)?.id;
  const which = [
    index === undefined ? '' : typeof index === 'number' ? `record ${index}` : `record "${index}"`,
    typeof recordId === 'string' ? `id ${recordId}` : '',
  ].filter(Boolean);
  throw new InputError(
    `${issue.message}${which.length ? ` (${which.join(', ')})` : ''}`,
    { file, ...(line === undefined ? {} : { line }), ...(field ? { field } : {}) },
    {
      code: 'E_SHOP_FORMAT',
      hint: 'fix the record (see docs/shop-format.md) and import again',
      ...(index === undefined ? {} : { details: { record: index } }),
    },
  );
}
