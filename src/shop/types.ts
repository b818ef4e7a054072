/**
 * The order-book types of a shop (products, customers, orders, shipments, return requests,
 * policy documents) and the record types of the sample datasets built on them. These shapes are
 * what `kefu sample` writes to `shop/*.json` and what the SQLite import reads.
 *
 * Money: every amount is an integer number of **fen** (1/100 yuan, 分), never a float yuan value;
 * ¥129.90 is stored as 12990. Times: ISO 8601 strings in Beijing time with an explicit offset,
 * e.g. `2024-03-15T10:23:00+08:00`. Types only: no I/O, no logic.
 */
import type { Task } from '../data/example.js';

/** Integer amount in fen (分). */
export type Fen = number;

export type Category = '家电' | '手机数码' | '服装' | '鞋靴' | '美妆' | '食品' | '家居';

export interface Variant {
  sku: string;
  /** Option axis → value, e.g. { 颜色: '曜石黑', 容量: '256GB' } or { 尺码: 'L' }. */
  options: Record<string, string>;
  price: Fen;
  stock: number;
}

export interface Product {
  /** e.g. 'P10023'. */
  id: string;
  name: string;
  category: Category;
  /** Product type inside the category, e.g. '变频空调'. */
  type: string;
  brand: string;
  /** Model code, e.g. 'KF-35GW' or 'XR-2000'. */
  model: string;
  description: string;
  specs: Record<string, string>;
  variants: Variant[];
  /** Manufacturer warranty in months (0 for consumables). */
  warrantyMonths: number;
  /** Whether the 7-day no-reason return applies (false e.g. for food and opened cosmetics). */
  sevenDayReturn: boolean;
  /** Path of the product manual relative to the output root, e.g. 'docs/manuals/P10023.md'. */
  manual: string;
}

export interface Address {
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  isDefault: boolean;
}

export interface Customer {
  /** e.g. 'C100042'. */
  id: string;
  name: string;
  phone: string;
  email: string;
  registeredAt: string;
  addresses: Address[];
}

export type OrderStatus =
  | 'pending'
  | 'paid'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'returned'
  | 'exchanged';

/** The sample shop uses the first three; τ-bench imports bring credit card, PayPal and gift card. */
export type PaymentMethod = '支付宝' | '微信支付' | '银行卡' | '信用卡' | 'PayPal' | '礼品卡';

export interface OrderItem {
  sku: string;
  productId: string;
  /** Product name at order time (denormalised for display). */
  name: string;
  options: Record<string, string>;
  quantity: number;
  unitPrice: Fen;
}

export interface Payment {
  method: PaymentMethod;
  /** Paid total: items plus shipping fee. */
  amount: Fen;
  /** null while the order is unpaid (`pending`). */
  paidAt: string | null;
}

export interface Order {
  /** 'DD' + yyyymmdd of `createdAt` + 6 digits, e.g. 'DD20240315000123'. */
  id: string;
  customerId: string;
  createdAt: string;
  status: OrderStatus;
  items: OrderItem[];
  shippingFee: Fen;
  payment: Payment;
  address: Address;
  shippedAt?: string;
  deliveredAt?: string;
  cancelledAt?: string;
}

/** '其他' when the source names no carrier (τ-bench). */
export type Carrier = '顺丰' | '中通' | '圆通' | '京东' | 'EMS' | '其他';

export interface ShipmentEvent {
  time: string;
  location: string;
  description: string;
}

export type ShipmentStatus = 'in_transit' | 'out_for_delivery' | 'delivered';

export interface Shipment {
  orderId: string;
  carrier: Carrier;
  /** Per carrier: 顺丰 'SF'+13 digits, 中通 '7'+13 digits, 圆通 'YT'+13 digits, 京东 'JD'+13 digits, EMS 'E?'+9 digits+'CN'. */
  trackingNumber: string;
  status: ShipmentStatus;
  shippedAt: string;
  estimatedDelivery: string;
  /** Oldest first. */
  events: ShipmentEvent[];
}

export type ReturnKind = 'return' | 'exchange';
export type ReturnStatus = 'requested' | 'approved' | 'rejected' | 'received' | 'refunded' | 'completed';

export interface ReturnItem {
  sku: string;
  quantity: number;
  /** For exchanges: the SKU sent in replacement. */
  exchangeSku?: string;
}

export interface ReturnRequest {
  /** e.g. 'TH202403200012'. */
  id: string;
  orderId: string;
  type: ReturnKind;
  reason: string;
  status: ReturnStatus;
  items: ReturnItem[];
  /** Refund for returns (0 for exchanges). */
  refundAmount: Fen;
  createdAt: string;
  updatedAt: string;
}

/** The policy numbers every document and dialogue quotes; one source of truth. */
export interface PolicyFacts {
  returnDays: number;
  exchangeDays: number;
  freeShippingThreshold: Fen;
  standardShippingFee: Fen;
  shipWithinHours: number;
  priceProtectDays: number;
  refundDaysOriginal: string;
  returnShippingByShopIfQuality: boolean;
  invoiceKinds: string[];
  serviceHours: string;
  cancelWindow: string;
}

export interface PolicyDocument {
  /** File slug, e.g. 'returns' → docs/policies/returns.md. */
  slug: string;
  title: string;
  markdown: string;
}

export interface FaqEntry {
  question: string;
  answer: string;
  /** The policy slug or manual path the answer comes from. */
  source: string;
  task: Task;
}

export interface Shop {
  name: string;
  /** The snapshot time: every dialogue happens "now". */
  now: string;
  policy: PolicyFacts;
  products: Product[];
  customers: Customer[];
  orders: Order[];
  shipments: Shipment[];
  returns: ReturnRequest[];
}

/** Alpaca SFT record with the task label (the seed's format plus `task`). */
export interface SftRecord {
  instruction: string;
  input: string;
  output: string;
  system?: string;
  /** Earlier turns as [user, assistant] pairs. */
  history?: [string, string][];
  task: Task;
}

export type Rejection =
  | 'wrong_fact'
  | 'rude'
  | 'off_topic'
  | 're_ask'
  | 'invented_policy'
  | 'leak_other_customer';

/** The seed's flat preference format plus task and why `rejected` is worse. */
export interface PreferenceRecord {
  prompt: string;
  chosen: string;
  rejected: string;
  task: Task;
  rejection: Rejection;
}

export type NoiseKind =
  | 'duplicate_exact'
  | 'duplicate_near'
  | 'mojibake'
  | 'ad'
  | 'pii_phone'
  | 'pii_id_card'
  | 'pii_bank_card'
  | 'pii_email'
  | 'pii_address';

export type NoiseCounts = Record<NoiseKind, number>;

export interface SampleManifest {
  seed: number;
  scale: number;
  shopName: string;
  now: string;
  counts: {
    products: number;
    variants: number;
    customers: number;
    orders: number;
    shipments: number;
    returns: number;
    policies: number;
    manuals: number;
    faqDocEntries: number;
    sft: number;
    sftMultiTurn: number;
    faq: number;
    preference: number;
  };
  tasks: { sft: Partial<Record<Task, number>>; faq: Partial<Record<Task, number>> };
  rejections: Partial<Record<Rejection, number>>;
  /** How many records of each dataset had each kind of noise injected (records are not marked). */
  noise: { sft: NoiseCounts; faq: NoiseCounts };
  files: string[];
}
