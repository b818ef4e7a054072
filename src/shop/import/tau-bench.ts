/**
 * τ-bench retail ⇄ kefu. Reads users.json / products.json / orders.json (+ policy.md as a policy
 * document) into kefu's records — dollars ×100 to integer cents in the fen fields, item_id as
 * SKU, each fulfillment tracking id as a shipment, names and US addresses mapped, statuses mapped
 * (see TAU_STATUS), requested returns / exchanges as ReturnRequests — keeping every original
 * record in `source`. Export writes the `source` records back (as changed by the τ-bench tools),
 * so export(import(x)) deep-equals x; records without a source are built from kefu's fields.
 * Does not: apply τ-bench's policy (the τ-bench tools do).
 */

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ZodType } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ShopInfo, WithSource } from '../order-book.js';
import type { Address, Customer, Order, PolicyDocument, Product, ReturnRequest, Shipment } from '../types.js';
import { markdownTitle, readJsonFile, writeFilesAtomically } from './kefu-format.js';
import { validateRecord } from './kefu-schemas.js';
import { checkReferences, type RecordFiles, type ShopData } from './shop-data.js';
import { tauOrderOf, tauProductOf, tauUserOf } from './tau-bench-export.js';
import {
  TAU_PAYMENT,
  TAU_STATUS,
  type TauAddress,
  type TauOrder,
  type TauProduct,
  type TauUser,
  tauCategory,
  tauOrderSchema,
  tauPaymentLabel,
  tauProductSchema,
  tauUserSchema,
} from './tau-bench-schemas.js';

export const TAU_FILES: RecordFiles = {
  customers: 'users.json',
  products: 'products.json',
  orders: 'orders.json',
  shipments: 'orders.json',
  returns: 'orders.json',
};

export interface TauBenchImportOptions {
  /** The shop's "now" (τ-bench has no dates); defaults to the time of import. */
  now?: string;
  /** Defaults to 'τ-bench retail'. */
  name?: string;
}

/** Policy numbers: τ-bench states no windows or fees (0 / empty = not stated); its rules go by status. */
export const TAU_POLICY: ShopInfo['policy'] = {
  returnDays: 0,
  exchangeDays: 0,
  freeShippingThreshold: 0,
  standardShippingFee: 0,
  shipWithinHours: 0,
  priceProtectDays: 0,
  refundDaysOriginal: '5-7个工作日（礼品卡即时到账）',
  returnShippingByShopIfQuality: false,
  invoiceKinds: [],
  serviceHours: '',
  cancelWindow: '订单状态为 pending 时',
};

export const toCents = (dollars: number): number => Math.round(dollars * 100);

export function tauAddress(address: TauAddress, recipient: string): Address {
  return {
    recipient,
    phone: '',
    province: address.state,
    city: address.city,
    district: '',
    detail: [address.address1, address.address2, address.zip].filter(Boolean).join(', '),
    isDefault: true,
  };
}

const fullName = (user: TauUser) => [user.name.first_name, user.name.last_name].filter(Boolean).join(' ');

function keyed<T>(file: string, value: unknown, schema: ZodType<T>): [string, T][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('expected a JSON object keyed by id', { file }, { code: 'E_SHOP_FORMAT' });
  }
  // Validated, but the raw record is kept: `source` must be the record exactly as it was.
  return Object.entries(value).map(([key, record]) => {
    validateRecord(file, key, record, schema);
    return [key, record as T];
  });
}

/** `user`: the order's customer — its name, and its first payment method for an order never paid. */
function mapOrder(order: TauOrder, user: TauUser | undefined, now: string) {
  const recipient = user ? fullName(user) : '';
  const status = TAU_STATUS[order.status];
  if (!status) {
    throw new InputError(
      `unknown status "${order.status}" (record "${order.order_id}")`,
      { file: TAU_FILES.orders, field: 'status' },
      { code: 'E_SHOP_FORMAT', hint: `τ-bench statuses: ${Object.keys(TAU_STATUS).join(', ')}` },
    );
  }
  const payments = order.payment_history.filter((p) => p.transaction_type === 'payment');
  const first = Math.max(0, order.payment_history.indexOf(payments[0]!));
  const methodId =
    order.payment_history[first]?.payment_method_id ?? Object.keys(user?.payment_methods ?? {})[0] ?? '';
  const method = tauPaymentLabel(methodId);
  if (!method) {
    throw new InputError(
      `no known payment method (record "${order.order_id}")`,
      { file: TAU_FILES.orders, field: `payment_history[${first}].payment_method_id` },
      {
        code: 'E_SHOP_FORMAT',
        hint: `expected an id starting with ${Object.keys(TAU_PAYMENT).join('_, ')}_`,
      },
    );
  }
  const mapped: WithSource<Order> = {
    id: order.order_id,
    customerId: order.user_id,
    createdAt: now,
    status,
    items: order.items.map((item) => ({
      sku: item.item_id,
      productId: item.product_id,
      name: item.name,
      options: item.options,
      quantity: 1,
      unitPrice: toCents(item.price),
    })),
    shippingFee: 0,
    payment: {
      method,
      amount: payments.reduce((sum, p) => sum + toCents(p.amount), 0),
      paidAt: payments.length > 0 ? now : null,
    },
    address: tauAddress(order.address, recipient),
    source: order,
  };
  const shipments: Shipment[] =
    status === 'cancelled'
      ? []
      : order.fulfillments.flatMap((f) =>
          f.tracking_id.map((trackingNumber) => ({
            orderId: order.order_id,
            carrier: '其他',
            trackingNumber,
            status: status === 'delivered' ? ('delivered' as const) : ('in_transit' as const),
            shippedAt: now,
            estimatedDelivery: '',
            events: [],
          })),
        );
  return { order: mapped, shipments, returns: tauReturnRequests(order, now) };
}

/** A requested return or exchange (set by the τ-bench tools) as a kefu ReturnRequest. */
export function tauReturnRequests(
  order: Pick<TauOrder, 'order_id' | 'status'> & { items: readonly { item_id: string; price: number }[] },
  now: string,
): ReturnRequest[] {
  const o = order as typeof order & Record<string, unknown>;
  const price = new Map(order.items.map((i) => [i.item_id, toCents(i.price)]));
  const ids = (value: unknown) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);
  const base = {
    orderId: order.order_id,
    reason: '',
    status: 'requested' as const,
    createdAt: now,
    updatedAt: now,
  };
  if (order.status === 'return requested') {
    const items = ids(o.return_items);
    return [
      {
        ...base,
        id: `${order.order_id}-return`,
        type: 'return',
        items: items.map((sku) => ({ sku, quantity: 1 })),
        refundAmount: items.reduce((sum, sku) => sum + (price.get(sku) ?? 0), 0),
      },
    ];
  }
  if (order.status === 'exchange requested') {
    const from = ids(o.exchange_items);
    const to = ids(o.exchange_new_items);
    return [
      {
        ...base,
        id: `${order.order_id}-exchange`,
        type: 'exchange',
        items: from.map((sku, i) => ({ sku, quantity: 1, ...(to[i] ? { exchangeSku: to[i] } : {}) })),
        refundAmount: 0,
      },
    ];
  }
  return [];
}

function mapProduct(product: TauProduct): WithSource<Product> {
  return {
    id: product.product_id,
    name: product.name,
    category: tauCategory(product.name),
    type: product.name,
    brand: '',
    model: '',
    description: '',
    specs: {},
    variants: Object.values(product.variants).map((v) => ({
      sku: v.item_id,
      options: v.options,
      price: toCents(v.price),
      stock: v.available ? 1 : 0,
    })),
    warrantyMonths: 0,
    sevenDayReturn: true,
    manual: '',
    source: product,
  };
}

export async function readTauBenchShop(root: string, options: TauBenchImportOptions = {}): Promise<ShopData> {
  const now = options.now ?? new Date().toISOString();
  const [users, products, orders] = await Promise.all([
    readJsonFile(root, TAU_FILES.customers).then((v) => keyed(TAU_FILES.customers, v, tauUserSchema)),
    readJsonFile(root, TAU_FILES.products).then((v) => keyed(TAU_FILES.products, v, tauProductSchema)),
    readJsonFile(root, TAU_FILES.orders).then((v) => keyed(TAU_FILES.orders, v, tauOrderSchema)),
  ]);
  const customers: WithSource<Customer>[] = users.map(([id, user]) => ({
    id,
    name: fullName(user),
    phone: '',
    email: user.email,
    registeredAt: '',
    addresses: [tauAddress(user.address, fullName(user))],
    source: user,
  }));
  const byId = new Map(users);
  const mapped = orders.map(([, order]) => mapOrder(order, byId.get(order.user_id), now));
  const policyDocuments: PolicyDocument[] = [];
  if (existsSync(join(root, 'policy.md'))) {
    const markdown = await readFile(join(root, 'policy.md'), 'utf8');
    policyDocuments.push({ slug: 'policy', title: markdownTitle(markdown, 'policy'), markdown });
  }
  const data: ShopData = {
    info: { name: options.name ?? 'τ-bench retail', flavor: 'tau-bench', now, policy: TAU_POLICY },
    policyDocuments,
    customers,
    products: products.map(([, product]) => mapProduct(product)),
    orders: mapped.map((m) => m.order),
    shipments: mapped.flatMap((m) => m.shipments),
    returns: mapped.flatMap((m) => m.returns),
  };
  checkReferences(data, TAU_FILES);
  return data;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;

/** users.json, products.json, orders.json (and policy.md) from the order book. */
export async function writeTauBenchShop(root: string, data: ShopData): Promise<void> {
  const files = new Map<string, string>();
  files.set(
    TAU_FILES.customers,
    json(Object.fromEntries(data.customers.map((c) => [c.id, tauUserOf(c, data)]))),
  );
  files.set(TAU_FILES.products, json(Object.fromEntries(data.products.map((p) => [p.id, tauProductOf(p)]))));
  files.set(TAU_FILES.orders, json(Object.fromEntries(data.orders.map((o) => [o.id, tauOrderOf(o, data)]))));
  const policy = data.policyDocuments.find((d) => d.slug === 'policy');
  if (policy) files.set('policy.md', policy.markdown);
  await writeFilesAtomically(root, files);
}
