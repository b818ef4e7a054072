/**
 * The business tools of a shop: `createToolRegistry(book, { flavor })` gives kefu's tools, and for
 * a τ-bench shop the τ-bench retail tools under their own names and arguments (they replace
 * kefu's tools of the same name, and kefu's changes are left out so every change goes through
 * τ-bench's rules on the τ-bench records). Does not: run a dialogue (../dialogue does).
 */
import type { OrderBook, ShopFlavor } from '../../shop/order-book.js';
import type { ToolRegistry } from '../contracts.js';
import { AFTER_SALES_TOOLS } from './kefu/after-sales-tools.js';
import { CHANGE_TOOLS } from './kefu/change-tools.js';
import { ORDER_READ_TOOLS } from './kefu/order-tools.js';
import { PRODUCT_TOOLS } from './kefu/product-tools.js';
import { registryOf, type ToolDefinition } from './registry.js';
import { TAU_TOOLS } from './tau/index.js';

export type { ChangePlan, ToolDefinition, ToolScope } from './registry.js';
export { registryOf } from './registry.js';

export interface ToolRegistryOptions {
  /** The shop's flavor (`book.info().flavor`); 'tau-bench' adds τ-bench's retail tools. */
  flavor: ShopFlavor | string;
}

/** kefu's own tools, reads first. */
export const KEFU_TOOLS: readonly ToolDefinition[] = [
  ...ORDER_READ_TOOLS,
  ...PRODUCT_TOOLS,
  ...AFTER_SALES_TOOLS,
  ...CHANGE_TOOLS,
];

export function toolDefinitions(flavor: ToolRegistryOptions['flavor']): ToolDefinition[] {
  if (flavor !== 'tau-bench') return [...KEFU_TOOLS];
  const kefuReads = KEFU_TOOLS.filter((t) => !t.mutates);
  const tauNames = new Set(TAU_TOOLS.map((t) => t.name));
  return [...kefuReads.filter((t) => !tauNames.has(t.name)), ...TAU_TOOLS];
}

export function createToolRegistry(book: OrderBook, options: ToolRegistryOptions): ToolRegistry {
  return registryOf(book, toolDefinitions(options.flavor));
}
