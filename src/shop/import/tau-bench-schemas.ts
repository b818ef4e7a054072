/**
 * zod schemas of τ-bench retail's records (users.json, products.json, orders.json: objects keyed
 * by id) and the status / payment / category vocabularies kefu maps them to. Loose objects: the
 * τ-bench tools add fields to orders (return_items, exchange_new_items, …) and those must survive
 * in `source`. Types and tables only; the mapping is in ./tau-bench.ts.
 */
import { z } from 'zod';
import type { Category, OrderStatus, PaymentMethod } from '../types.js';

const money = z.number().nonnegative();

export const tauAddressSchema = z.looseObject({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});

export const tauUserSchema = z.looseObject({
  name: z.looseObject({ first_name: z.string(), last_name: z.string() }),
  address: tauAddressSchema,
  email: z.string(),
  payment_methods: z.record(z.string(), z.looseObject({ source: z.string(), id: z.string() })),
  orders: z.array(z.string()),
});

export const tauProductSchema = z.looseObject({
  name: z.string(),
  product_id: z.string().min(1),
  variants: z.record(
    z.string(),
    z.looseObject({
      item_id: z.string().min(1),
      options: z.record(z.string(), z.string()),
      available: z.boolean(),
      price: money,
    }),
  ),
});

export const tauOrderSchema = z.looseObject({
  order_id: z.string().min(1),
  user_id: z.string().min(1),
  address: tauAddressSchema,
  items: z.array(
    z.looseObject({
      name: z.string(),
      product_id: z.string(),
      item_id: z.string(),
      price: money,
      options: z.record(z.string(), z.string()),
    }),
  ),
  fulfillments: z.array(z.looseObject({ tracking_id: z.array(z.string()), item_ids: z.array(z.string()) })),
  status: z.string(),
  payment_history: z.array(
    z.looseObject({
      transaction_type: z.enum(['payment', 'refund']),
      amount: money,
      payment_method_id: z.string(),
    }),
  ),
});

export type TauUser = z.infer<typeof tauUserSchema>;
export type TauProduct = z.infer<typeof tauProductSchema>;
export type TauOrder = z.infer<typeof tauOrderSchema>;
export type TauAddress = z.infer<typeof tauAddressSchema>;

/**
 * τ-bench order status → kefu's. 'processed' is paid and being prepared; a requested return or
 * exchange leaves the order delivered (the request itself becomes a ReturnRequest).
 */
export const TAU_STATUS: Record<string, OrderStatus> = {
  pending: 'pending',
  'pending (item modified)': 'pending',
  processed: 'paid',
  delivered: 'delivered',
  cancelled: 'cancelled',
  'return requested': 'delivered',
  'exchange requested': 'delivered',
};

/**
 * Payment-method kinds (the prefix of a τ-bench payment_method_id) → kefu's PaymentMethod. The
 * first three are τ-bench's; the others let a kefu shop exported in this layout come back.
 */
export const TAU_PAYMENT: Record<string, PaymentMethod> = {
  credit_card: '信用卡',
  paypal: 'PayPal',
  gift_card: '礼品卡',
  alipay: '支付宝',
  wechat_pay: '微信支付',
  bank_card: '银行卡',
};

export const tauPaymentLabel = (paymentMethodId: string): PaymentMethod | undefined =>
  TAU_PAYMENT[paymentMethodId.replace(/_\d+$/, '')];

/** τ-bench product names → kefu's categories; anything else is 家居 (household). */
export const TAU_CATEGORY: Record<string, Category> = {
  'T-Shirt': '服装',
  'Fleece Jacket': '服装',
  'Running Shoes': '鞋靴',
  'Hiking Boots': '鞋靴',
  Sneakers: '鞋靴',
  Perfume: '美妆',
  'Makeup Kit': '美妆',
  'Electric Toothbrush': '美妆',
  Laptop: '手机数码',
  Smartphone: '手机数码',
  Tablet: '手机数码',
  'E-Reader': '手机数码',
  'Portable Charger': '手机数码',
  'Bluetooth Speaker': '手机数码',
  'Gaming Mouse': '手机数码',
  'Mechanical Keyboard': '手机数码',
  'Wireless Earbuds': '手机数码',
  Headphones: '手机数码',
  'Action Camera': '手机数码',
  'Digital Camera': '手机数码',
  'Smart Watch': '手机数码',
  Wristwatch: '手机数码',
  'Coffee Maker': '家电',
  'Espresso Machine': '家电',
  'Electric Kettle': '家电',
  'Air Purifier': '家电',
  'Vacuum Cleaner': '家电',
  'Smart Thermostat': '家电',
  'Indoor Security Camera': '家电',
  Grill: '家电',
};

export const tauCategory = (productName: string): Category => TAU_CATEGORY[productName] ?? '家居';
