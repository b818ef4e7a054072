/**
 * Display helpers shared by the shop generator, documents and dialogues: Beijing-time clock
 * arithmetic and formatting, money in fen to '¥129.90', Chinese status labels, option text.
 * Pure functions; no randomness, no I/O.
 */
import type { Fen, OrderStatus, ReturnStatus, ShipmentStatus } from '../types.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * Times are handled as "Beijing-local milliseconds": a number whose UTC reading is the Beijing
 * wall clock. `bj(2024, 3, 15, 10, 0)` is 2024-03-15 10:00 in Beijing.
 */
export function bj(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** '2024-03-15T10:23:00+08:00'. */
export function iso(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}+08:00`;
}

/** Beijing-local ms from an ISO string written by `iso`. */
export function parseIso(text: string): number {
  return Date.parse(text.replace('+08:00', 'Z'));
}

/** '2024-03-15 10:23'. */
export function showTime(text: string): string {
  return `${text.slice(0, 10)} ${text.slice(11, 16)}`;
}

/** '2024-03-15'. */
export function showDate(text: string): string {
  return text.slice(0, 10);
}

/** '3月15日'. */
export function showMonthDay(text: string): string {
  return `${Number(text.slice(5, 7))}月${Number(text.slice(8, 10))}日`;
}

/** 'yyyymmdd'. */
export function compactDate(t: number): string {
  return iso(t).slice(0, 10).replaceAll('-', '');
}

/** Whole days from `a` to `b` (ISO strings). */
export function daysBetween(a: string, b: string): number {
  return Math.floor((parseIso(b) - parseIso(a)) / DAY);
}

/** 12990 → '¥129.90'. */
export function yuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${pad(abs % 100)}`;
}

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  pending: '待付款',
  paid: '待发货',
  shipped: '已发货',
  delivered: '已签收',
  cancelled: '已取消',
  returned: '已退货退款',
  exchanged: '已换货',
};

export const SHIPMENT_STATUS_LABEL: Record<ShipmentStatus, string> = {
  in_transit: '运输中',
  out_for_delivery: '派送中',
  delivered: '已签收',
};

export const RETURN_STATUS_LABEL: Record<ReturnStatus, string> = {
  requested: '待审核',
  approved: '审核通过，待寄回',
  rejected: '审核未通过',
  received: '仓库已收货，处理中',
  refunded: '已退款',
  completed: '已完成',
};

/** { 颜色: '黑色', 尺码: 'L' } → '颜色: 黑色 / 尺码: L' (or '' when empty). */
export function optionText(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' / ');
}

/** { 颜色: '黑色', 尺码: 'L' } → '黑色 L'. */
export function optionShort(options: Record<string, string>): string {
  return Object.values(options).join(' ');
}
