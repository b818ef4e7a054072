/**
 * τ-bench records inside kefu's order book: reading a record's `source` (the τ-bench user, order
 * or product as imported, deep-copied before any change), and writing a changed τ-bench order or
 * user back with kefu's columns kept in sync — the same mapping the τ-bench importer applies
 * (src/shop/import/tau-bench.ts: status table, cents, item_id as SKU, address, payment total,
 * requested returns/exchanges as ReturnRequests), so a re-import of the export gives the same rows.
 * Does not: decide anything (the tools in this folder apply τ-bench's rules).
 */

import { tauAddress, tauReturnRequests, toCents } from '../../../shop/import/tau-bench.js';
import { TAU_STATUS, tauPaymentLabel } from '../../../shop/import/tau-bench-schemas.js';
import type { OrderBookReader, OrderBookWriter, WithSource } from '../../../shop/order-book.js';
import type { Customer, Order, ReturnRequest } from '../../../shop/types.js';
import type { ToolContext, ToolResult } from '../../contracts.js';
import { orderNotFound, tauRefused } from './facts.js';

export interface TauAddress {
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
  [extra: string]: unknown;
}

export interface TauPayment {
  transaction_type: 'payment' | 'refund';
  amount: number;
  payment_method_id: string;
}

export interface TauItem {
  name: string;
  product_id: string;
  item_id: string;
  price: number;
  options: Record<string, string>;
}

export interface TauOrder {
  order_id: string;
  user_id: string;
  address: TauAddress;
  items: TauItem[];
  fulfillments: { tracking_id: string[]; item_ids: string[] }[];
  status: string;
  payment_history: TauPayment[];
  [extra: string]: unknown;
}

export interface TauPaymentMethod {
  source: string;
  id: string;
  balance?: number;
  [extra: string]: unknown;
}

export interface TauUser {
  name: { first_name: string; last_name: string };
  address: TauAddress;
  email: string;
  payment_methods: Record<string, TauPaymentMethod>;
  orders: string[];
  [extra: string]: unknown;
}

export interface TauProduct {
  name: string;
  product_id: string;
  variants: Record<
    string,
    { item_id: string; options: Record<string, string>; available: boolean; price: number }
  >;
}

/** Python's round(x, 2) for money values (ties cannot occur on sums of cent amounts). */
export const round2 = (x: number): number => Number(x.toFixed(2));

export interface TauOrderRecord {
  order: WithSource<Order>;
  tau: TauOrder;
}

/** The authenticated customer's order with a deep copy of its τ-bench record, or undefined. */
export async function ownTauOrder(
  reader: OrderBookReader,
  context: ToolContext,
  orderId: string,
): Promise<TauOrderRecord | undefined> {
  const order = await reader.order(orderId);
  if (!order || order.customerId !== context.customerId || !order.source) return undefined;
  return { order, tau: structuredClone(order.source) as TauOrder };
}

const ACTION_WORDS = { cancelled: '取消', modified: '修改', returned: '退货', exchanged: '换货' } as const;

/**
 * The customer's own τ-bench order when its status is `status` (τ-bench lets an agent change a
 * pending order, and return or exchange a delivered one), or the result that refuses: not found,
 * or τ-bench's own error for another status ("Error: non-pending order cannot be cancelled").
 */
export async function ownTauOrderIn(
  reader: OrderBookReader,
  context: ToolContext,
  orderId: string,
  status: 'pending' | 'delivered',
  action: keyof typeof ACTION_WORDS,
): Promise<TauOrderRecord | ToolResult> {
  const record = await ownTauOrder(reader, context, orderId);
  if (!record) return orderNotFound(orderId);
  const { tau } = record;
  if (tau.status === status) return record;
  return tauRefused(
    `Error: non-${status} order cannot be ${action}`,
    `订单${tau.order_id}状态为 ${tau.status}，不能${ACTION_WORDS[action]}。`,
    tau,
  );
}

export interface TauUserRecord {
  customer: WithSource<Customer>;
  tau: TauUser;
}

/** The customer if `userId` is the authenticated one and has a τ-bench record. */
export async function ownTauUser(
  reader: OrderBookReader,
  context: ToolContext,
  userId: string,
): Promise<TauUserRecord | undefined> {
  if (userId !== context.customerId) return undefined;
  const customer = await reader.customer(userId);
  if (!customer?.source) return undefined;
  return { customer, tau: structuredClone(customer.source) as TauUser };
}

export async function tauProduct(
  reader: OrderBookReader,
  productId: string,
): Promise<TauProduct | undefined> {
  const product = await reader.product(productId);
  return product?.source as TauProduct | undefined;
}

export const fullName = (user: TauUser) =>
  [user.name.first_name, user.name.last_name].filter(Boolean).join(' ');

/** kefu's order columns from a (changed) τ-bench order, as the importer maps them. */
export function syncedOrder(order: Order, tau: TauOrder, now: string): WithSource<Order> {
  const status = TAU_STATUS[tau.status] ?? order.status;
  const payments = tau.payment_history.filter((p) => p.transaction_type === 'payment');
  const methodId = payments[0]?.payment_method_id;
  const synced: WithSource<Order> = {
    ...order,
    status,
    items: tau.items.map((item) => ({
      sku: item.item_id,
      productId: item.product_id,
      name: item.name,
      options: item.options,
      quantity: 1,
      unitPrice: toCents(item.price),
    })),
    payment: {
      method: (methodId && tauPaymentLabel(methodId)) || order.payment.method,
      amount: payments.reduce((sum, p) => sum + toCents(p.amount), 0),
      paidAt: payments.length > 0 ? (order.payment.paidAt ?? now) : null,
    },
    address: tauAddress(tau.address, order.address.recipient),
    source: tau,
  };
  if (status === 'cancelled' && order.status !== 'cancelled') synced.cancelledAt = now;
  return synced;
}

/** The ReturnRequest the importer makes of a 'return requested' / 'exchange requested' order. */
export function requestOf(tau: TauOrder, now: string): ReturnRequest | undefined {
  return tauReturnRequests(tau, now)[0];
}

/** Writes the changed τ-bench order (kefu columns in sync, plus its return request if any). */
export async function putTauOrder(
  tx: OrderBookWriter,
  order: Order,
  tau: TauOrder,
  now: string,
): Promise<WithSource<Order>> {
  const synced = syncedOrder(order, tau, now);
  await tx.putOrder(synced);
  const request = requestOf(tau, now);
  if (request) await tx.putReturn(request);
  return synced;
}

/** Writes the changed τ-bench user; the kefu address follows the τ-bench default address. */
export async function putTauUser(tx: OrderBookWriter, customer: Customer, tau: TauUser): Promise<void> {
  await tx.putCustomer({
    ...customer,
    addresses: [tauAddress(tau.address, fullName(tau))],
    source: tau,
  });
}
