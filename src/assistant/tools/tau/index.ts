/**
 * τ-bench retail's tool set, in τ-bench's own order of names: the reads, the pending-order
 * changes, and the delivered-order / user changes. Does not: add kefu's tools (../index.ts does).
 */
import type { ToolDefinition } from '../registry.js';
import { TAU_AFTER_SALES_TOOLS } from './after-sales-tools.js';
import { TAU_ORDER_TOOLS } from './order-tools.js';
import { TAU_READ_TOOLS } from './read-tools.js';

export const TAU_TOOLS: readonly ToolDefinition[] = [
  ...TAU_READ_TOOLS,
  ...TAU_ORDER_TOOLS,
  ...TAU_AFTER_SALES_TOOLS,
];
