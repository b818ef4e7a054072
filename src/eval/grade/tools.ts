/**
 * Which tool names count as each logical tool kind the eval sets expect: kefu's tool names and
 * τ-bench retail's, the same families the dialogue engine's capability map uses
 * (src/assistant/dialogue/tool-map.ts). A policy question is "looked up" when the reply cites a
 * knowledge passage or calls a policy tool. Pure.
 */
import type { TargetReply, ToolKind } from '../types.js';

export const TOOL_NAMES: Record<ToolKind, readonly string[]> = {
  order_lookup: ['get_order_details', 'order_details', 'get_order'],
  order_list: ['list_my_orders', 'list_orders', 'get_user_details'],
  shipment_track: ['track_shipment', 'get_shipment', 'get_order_details'],
  return_status: [
    'get_order_details',
    'order_details',
    'check_return_eligibility',
    'return_eligibility',
    'check_after_sales',
    'list_returns',
    'get_return_status',
  ],
  product_lookup: [
    'get_product_details',
    'product_details',
    'search_products',
    'find_products',
    'check_stock',
  ],
  policy_lookup: ['get_policy', 'search_policy', 'search_knowledge'],
  order_cancel: ['cancel_order', 'cancel_pending_order'],
  return_create: ['return_items', 'return_order_items', 'return_delivered_order_items'],
  exchange_create: ['exchange_items', 'exchange_order_items', 'exchange_delivered_order_items'],
};

/** Whether the reply used a tool of `kind` (with `outcome` when given). */
export function usedTool(reply: TargetReply, kind: ToolKind, outcome?: string): boolean {
  if (kind === 'policy_lookup' && (reply.sources ?? 0) > 0) return true;
  const names = TOOL_NAMES[kind];
  return reply.toolCalls.some(
    (call) => names.includes(call.name) && (outcome === undefined || call.outcome === outcome),
  );
}

const MUTATING = new Set([
  ...TOOL_NAMES.order_cancel,
  ...TOOL_NAMES.return_create,
  ...TOOL_NAMES.exchange_create,
  'change_address',
  'modify_pending_order_address',
  'modify_pending_order_items',
  'modify_pending_order_payment',
  'modify_user_address',
]);

/** A call that changed data: a mutating tool that returned 'ok'. */
export function mutated(reply: TargetReply): boolean {
  return reply.toolCalls.some((call) => (call.mutates ?? MUTATING.has(call.name)) && call.outcome === 'ok');
}
