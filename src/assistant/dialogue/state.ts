/**
 * The dialogue state the engine keeps between turns (the contract's DialogueState plus the last
 * intent and the orders last listed), and reference resolution: "它 / 这单" is the current order,
 * "上一单" the order discussed before the current one (else, as the training dialogues use it, the customer's
 * order placed before the current one), "刚才那单" the
 * latest mentioned, "第二个" the second of the last list shown. Pure, except `resolveOrder`, which
 * reads the authenticated customer's own orders for "上一单".
 */
import type { OrderBookReader } from '../../shop/order-book.js';
import type { DialogueState } from '../contracts.js';
import type { Intent } from '../understanding/intent.js';
import type { OrderReference } from '../understanding/slots.js';

export interface EngineState extends DialogueState {
  /** The intent of the last answered turn, for follow-ups that only name an order ("那上一单呢"). */
  intent?: Intent;
  /** Orders of the last list shown, in the order shown ("第二个" resolves here). */
  listed?: string[];
  /** The question we asked an order number for; a bare number next turn answers it. */
  awaiting?: Intent;
  /** A change (return / exchange / cancel) we just said is possible; "帮我提交吧" next turn asks for it. */
  offered?: Intent;
  /** We asked for the order or the new address of an address change; the next message continues it. */
  changingAddress?: boolean;
}

export function asEngineState(state: DialogueState | undefined): EngineState {
  return { orderHistory: [], failures: 0, ...(state ?? {}) };
}

/** The state with `orderId` as the current order, appended to (or moved to the end of) the history. */
export function withCurrentOrder(state: EngineState, orderId: string): EngineState {
  const history = state.orderHistory.filter((id) => id !== orderId);
  history.push(orderId);
  return { ...state, orderId, orderHistory: history.slice(-20) };
}

export async function resolveOrder(
  reference: OrderReference,
  state: EngineState,
  book: OrderBookReader,
  customerId: string,
): Promise<string | undefined> {
  switch (reference.kind) {
    case 'current':
      return state.orderId ?? state.orderHistory.at(-1);
    case 'recent':
      return state.orderHistory.at(-1) ?? state.orderId;
    case 'ordinal':
      return (state.listed ?? state.orderHistory)[reference.index];
    case 'previous': {
      // In a conversation that already went through two orders, "上一单" is the one discussed
      // before the current one. Otherwise, as the training dialogues mean it: the customer's order
      // placed before the current one (another of their orders when the current is the oldest).
      const current = state.orderId;
      const at = current ? state.orderHistory.indexOf(current) : -1;
      if (at > 0) return state.orderHistory[at - 1];
      const orders = await book.ordersOf(customerId); // newest first
      if (!current) return orders[1]?.id ?? orders[0]?.id;
      const index = orders.findIndex((o) => o.id === current);
      if (index >= 0) return orders[index + 1]?.id ?? orders.find((o) => o.id !== current)?.id;
      return undefined;
    }
  }
}
