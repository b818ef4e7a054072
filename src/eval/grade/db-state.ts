/**
 * τ-bench-style outcome checking: capture the order-book state of the orders a conversation may
 * touch (status, items, address, shipping fee, payment method, and their return requests) before
 * and after, diff the two, and compare the diff with the changes the goal needs. A missing change
 * fails the goal; any other change fails it too ("nothing else changed"). Reads only.
 */
import type { OrderBookReader } from '../../shop/order-book.js';
import type { ReturnRequest } from '../../shop/types.js';
import type { ExpectedChange } from '../types.js';

export interface OrderDigest {
  status: string;
  items: string;
  address: string;
  shippingFee: number;
  paymentMethod: string;
}

export interface BookState {
  orders: Map<string, OrderDigest>;
  /** Return requests of the watched orders, by id. */
  returns: Map<string, ReturnRequest>;
}

export type StateChange =
  | { kind: 'order_changed'; orderId: string; fields: (keyof OrderDigest)[]; status?: string }
  | { kind: 'order_removed'; orderId: string }
  | { kind: 'return_created'; orderId: string; returnId: string; type: string; exchangeSkus: string[] }
  | { kind: 'return_changed'; orderId: string; returnId: string };

export async function captureState(reader: OrderBookReader, orderIds: readonly string[]): Promise<BookState> {
  const orders = new Map<string, OrderDigest>();
  const returns = new Map<string, ReturnRequest>();
  for (const id of orderIds) {
    const order = await reader.order(id);
    if (order) {
      orders.set(id, {
        status: order.status,
        items: JSON.stringify(order.items.map((i) => [i.sku, i.quantity])),
        address: JSON.stringify(order.address),
        shippingFee: order.shippingFee,
        paymentMethod: order.payment.method,
      });
    }
    for (const r of await reader.returnsOf(id)) returns.set(r.id, r);
  }
  return { orders, returns };
}

export function diffStates(before: BookState, after: BookState): StateChange[] {
  const changes: StateChange[] = [];
  for (const [orderId, was] of before.orders) {
    const now = after.orders.get(orderId);
    if (!now) {
      changes.push({ kind: 'order_removed', orderId });
      continue;
    }
    const fields = (Object.keys(was) as (keyof OrderDigest)[]).filter((k) => was[k] !== now[k]);
    if (fields.length) changes.push({ kind: 'order_changed', orderId, fields, status: now.status });
  }
  for (const [returnId, r] of after.returns) {
    const was = before.returns.get(returnId);
    if (!was) {
      const exchangeSkus = r.items.map((i) => i.exchangeSku).filter((s): s is string => !!s);
      changes.push({ kind: 'return_created', orderId: r.orderId, returnId, type: r.type, exchangeSkus });
    } else if (JSON.stringify(was) !== JSON.stringify(r)) {
      changes.push({ kind: 'return_changed', orderId: r.orderId, returnId });
    }
  }
  return changes;
}

function satisfies(change: StateChange, expected: ExpectedChange): boolean {
  if (expected.kind === 'order_status') {
    return (
      change.kind === 'order_changed' &&
      change.orderId === expected.orderId &&
      change.status === expected.status &&
      change.fields.every((f) => f === 'status')
    );
  }
  return (
    change.kind === 'return_created' &&
    change.orderId === expected.orderId &&
    change.type === expected.type &&
    (expected.exchangeSku === undefined || change.exchangeSkus.includes(expected.exchangeSku))
  );
}

export interface StateCheck {
  pass: boolean;
  /** Expected changes that did not happen. */
  missing: ExpectedChange[];
  /** Changes nobody asked for. */
  unexpected: StateChange[];
}

export function checkChanges(
  changes: readonly StateChange[],
  expected: readonly ExpectedChange[],
): StateCheck {
  const missing = expected.filter((e) => !changes.some((c) => satisfies(c, e)));
  const unexpected = changes.filter((c) => !expected.some((e) => satisfies(c, e)));
  return { pass: missing.length === 0 && unexpected.length === 0, missing, unexpected };
}

/** One line per problem, for reports. */
export function describeStateCheck(check: StateCheck): string[] {
  return [
    ...check.missing.map((m) =>
      m.kind === 'order_status'
        ? `order ${m.orderId} not ${m.status}`
        : `no ${m.type} request for ${m.orderId}`,
    ),
    ...check.unexpected.map((c) => `unexpected ${c.kind.replace('_', ' ')} on ${c.orderId}`),
  ];
}
