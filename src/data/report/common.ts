/**
 * Shared pieces of the dataset reports: Chinese/English labels for tasks and PII kinds, number
 * and percent formatting, HTML escaping, and the sorted rows of a cleaning summary.
 * Pure functions, no I/O; renders nothing by itself.
 */
import type { Task } from '../example.js';
import { type CleanSummary, isInformationalReason } from '../stats.js';

export const TASK_LABELS: Readonly<Record<Task, string>> = {
  order: '订单 order',
  shipping: '物流 shipping',
  after_sales: '售后 after-sales',
  product: '商品 product',
  other: '其他 other',
};

export const PII_LABELS: Readonly<Record<string, string>> = {
  phone: '手机号 phone',
  id_card: '身份证 ID card',
  bank_card: '银行卡 bank card',
  email: '邮箱 email',
  address: '地址 address',
  name: '姓名 name',
};

export function piiLabel(kind: string): string {
  return PII_LABELS[kind] ?? kind;
}

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.1234 → "12.3%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(1)}%`;
}

/** `part / whole` as a percent, "–" when the whole is 0. */
export function percentOf(part: number, whole: number): string {
  return whole === 0 ? '–' : formatShare(part / whole);
}

export interface CountRow {
  key: string;
  count: number;
}

/** Entries with a count above zero, largest first, ties by key. */
export function sortedCounts(counts: Readonly<Record<string, number | undefined>>): CountRow[] {
  return Object.entries(counts)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Records per dropping reason (informational `pii.*` codes left out), largest first. */
export function removalRows(clean: CleanSummary): CountRow[] {
  return sortedCounts(clean.reasons).filter((r) => !isInformationalReason(r.key));
}

/** Masked occurrences per PII kind, largest first. */
export function maskRows(clean: CleanSummary): CountRow[] {
  return sortedCounts(clean.masked);
}
