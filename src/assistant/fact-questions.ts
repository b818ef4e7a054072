/**
 * Questions with expected facts, generated from any order book (the sample shop, an imported
 * τ-bench shop): for a deterministic selection of orders, the owner asks about the status, the
 * items, the amount paid and the parcel, and the reply must contain every expected string (any
 * one of each `anyOf` group). Used by the accuracy benchmark and tests; the evaluation (issue 7)
 * has its own larger sets. Does not talk to the assistant.
 */
import type { Task } from '../data/example.js';
import type { OrderBookReader } from '../shop/order-book.js';
import { yuan } from '../shop/sample/format.js';
import { orderStatusLabel, tauStatusOf } from '../shop/status-label.js';

export interface FactQuestion {
  customerId: string;
  message: string;
  task: Task;
  /** Each group: the reply must contain at least one of its strings. */
  expected: string[][];
}

/** Questions about every `step`-th order of `orderIds`, up to `count` in all. */
export async function factQuestions(
  book: OrderBookReader,
  orderIds: readonly string[],
  count: number,
): Promise<FactQuestion[]> {
  const out: FactQuestion[] = [];
  const step = Math.max(1, Math.floor(orderIds.length / Math.max(1, count / 4)));
  for (let i = 0; i < orderIds.length && out.length < count; i += step) {
    const order = await book.order(orderIds[i]!);
    if (!order) continue;
    const raw = tauStatusOf(order);
    const status = [orderStatusLabel(order), ...(raw ? [raw] : [])];
    const who = order.customerId;
    out.push({
      customerId: who,
      task: 'order',
      message: `订单${order.id}现在什么状态`,
      expected: [[order.id], status],
    });
    const item = order.items[0];
    if (item)
      out.push({
        customerId: who,
        task: 'order',
        message: `${order.id}这单都买了啥`,
        expected: [[item.name]],
      });
    out.push({
      customerId: who,
      task: 'order',
      message: `订单${order.id}我一共付了多少钱`,
      expected: [[yuan(order.payment.amount), `${(order.payment.amount / 100).toFixed(2)}`]],
    });
    const shipment = await book.shipmentOf(order.id);
    if (shipment)
      out.push({
        customerId: who,
        task: 'shipping',
        message: `${order.id}的快递到哪了`,
        expected: [[shipment.trackingNumber]],
      });
  }
  return out.slice(0, count);
}

/** Whether `reply` contains one string of every expected group. */
export function answersWith(reply: string, expected: readonly string[][]): boolean {
  const lower = reply.toLowerCase();
  return expected.every((group) => group.some((s) => lower.includes(s.toLowerCase())));
}
