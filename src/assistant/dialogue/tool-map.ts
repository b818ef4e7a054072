/**
 * Which registered tool serves each capability the dialogue policy needs, and how the policy's
 * slot values become that tool's arguments. Tools are found by name (kefu's tool set and the
 * τ-bench retail tool names) and arguments by the names the tool's JSON schema declares
 * (order_id / orderId …), so the policy works on either shop flavor without knowing which.
 * Does not: run tools or decide which capability a turn needs (./policy.ts does).
 */
import type { Tool, ToolRegistry } from '../contracts.js';

export type Capability =
  | 'order_details'
  | 'track_shipment'
  | 'list_orders'
  | 'cancel_order'
  | 'change_address'
  | 'return_eligibility'
  | 'return_items'
  | 'exchange_items'
  | 'product_details'
  | 'check_stock'
  | 'search_products';

/** Tool names per capability, in preference order (kefu names first, then τ-bench's). */
export const CAPABILITY_TOOLS: Record<Capability, readonly string[]> = {
  order_details: ['get_order_details'],
  track_shipment: ['track_shipment', 'get_order_details'],
  list_orders: ['list_my_orders', 'get_user_details'],
  cancel_order: ['cancel_order', 'cancel_pending_order'],
  change_address: ['change_address', 'modify_order_address', 'modify_pending_order_address'],
  return_eligibility: ['check_return_eligibility'],
  return_items: ['request_return', 'return_delivered_order_items'],
  exchange_items: ['request_exchange', 'exchange_delivered_order_items'],
  product_details: ['get_product_details'],
  check_stock: ['check_stock', 'get_product_details'],
  search_products: ['search_products', 'list_all_product_types'],
};

/** Slot names the policy fills → argument names tools may declare for them. */
const ARGUMENT_NAMES: Record<string, readonly string[]> = {
  orderId: ['order_id', 'orderId'],
  trackingNumber: ['tracking_number', 'trackingNumber', 'tracking_id'],
  productId: ['product_id', 'productId'],
  model: ['model'],
  query: ['query', 'text', 'keyword'],
  reason: ['reason'],
  quantity: ['quantity'],
  sku: ['sku', 'item_id'],
  skus: ['skus', 'item_ids', 'items'],
  exchangeSku: ['exchange_sku', 'new_item_id', 'new_item_ids', 'exchangeSku'],
  newItemIds: ['new_item_ids'],
  customerId: ['user_id', 'customer_id', 'customerId'],
  paymentMethodId: ['payment_method_id', 'paymentMethodId'],
  qualityIssue: ['quality_issue', 'qualityIssue'],
};

export function toolFor(registry: ToolRegistry, capability: Capability): Tool | undefined {
  for (const name of CAPABILITY_TOOLS[capability]) {
    const tool = registry.get(name);
    if (tool) return tool;
  }
  return undefined;
}

function properties(tool: Tool): Record<string, { type?: unknown; enum?: unknown[] }> {
  return ((tool.parameters as { properties?: Record<string, { type?: unknown; enum?: unknown[] }> })
    .properties ?? {}) as Record<string, { type?: unknown; enum?: unknown[] }>;
}

export function requiredArgs(tool: Tool): string[] {
  return ((tool.parameters as { required?: string[] }).required ?? []).slice();
}

/**
 * The tool's arguments from slot values: each slot goes under the first name the schema declares;
 * slots the tool does not declare are dropped. Array-typed properties get a one-element array.
 */
export function argumentsFor(tool: Tool, slots: Record<string, unknown>): Record<string, unknown> {
  const props = properties(tool);
  const args: Record<string, unknown> = {};
  for (const [slot, value] of Object.entries(slots)) {
    if (value === undefined) continue;
    const name = (ARGUMENT_NAMES[slot] ?? [slot]).find((n) => n in props);
    if (!name) continue;
    const prop = props[name]!;
    if (prop.type === 'array' && !Array.isArray(value)) args[name] = [value];
    else if (prop.enum && !prop.enum.includes(value)) args[name] = prop.enum[0];
    else args[name] = value;
  }
  return args;
}

/** Whether every required argument of the tool is present. */
export function hasRequired(tool: Tool, args: Record<string, unknown>): boolean {
  return requiredArgs(tool).every((name) => args[name] !== undefined);
}
