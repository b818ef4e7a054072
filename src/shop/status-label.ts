/**
 * An order's status in the words a customer reads. kefu's statuses have their labels
 * (ORDER_STATUS_LABEL); an order imported from τ-bench keeps its own status, whose meaning differs
 * (a τ-bench 'pending' order is paid and not yet processed, not 待付款), so it is worded from the
 * τ-bench status itself. Pure.
 */
import { ORDER_STATUS_LABEL } from './sample/format.js';
import type { Order } from './types.js';

/** τ-bench retail's order statuses, in Chinese. */
export const TAU_STATUS_LABEL: Record<string, string> = {
  pending: '待处理',
  'pending (item modified)': '待处理（商品已修改）',
  processed: '已处理待发货',
  delivered: '已签收',
  cancelled: '已取消',
  'return requested': '已申请退货',
  'exchange requested': '已申请换货',
};

/** The τ-bench status an imported order keeps, if any. */
export function tauStatusOf(order: Order & { source?: Record<string, unknown> }): string | undefined {
  const status = order.source?.status;
  return typeof status === 'string' ? status : undefined;
}

/** "待处理（pending）" for a τ-bench status, with the raw status kept for the τ-bench tools. */
export function tauStatusText(status: string): string {
  const label = TAU_STATUS_LABEL[status];
  return label ? `${label}（${status}）` : status;
}

/** The label of `order`'s status: its τ-bench status worded when it has one, else kefu's label. */
export function orderStatusLabel(order: Order & { source?: Record<string, unknown> }): string {
  const tau = tauStatusOf(order);
  return (tau && TAU_STATUS_LABEL[tau]) || ORDER_STATUS_LABEL[order.status];
}
