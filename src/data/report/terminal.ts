/**
 * Plain-text dataset report for the terminal: compact tables aligned by display width, where
 * East Asian wide characters (Chinese, full-width forms) take two columns. No colours, no escape
 * codes, so the output is the same in a pipe, a log file or a TTY.
 * Does not print: it returns the text. Does not wrap lines to the terminal width.
 */
import { TASKS } from '../example.js';
import type { CleanSummary, DatasetStatsReport, Distribution, HistogramBucket } from '../stats.js';
import {
  formatCount,
  formatShare,
  maskRows,
  percentOf,
  piiLabel,
  removalRows,
  TASK_LABELS,
} from './common.js';

/** True for code points a terminal draws two columns wide (East Asian Wide and Fullwidth). */
export function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Columns `text` takes in a terminal: wide characters 2, combining marks 0, the rest 1. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

export type Align = 'left' | 'right';

function pad(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

/**
 * Rows as aligned columns separated by two spaces; the first row is the header, underlined.
 * `align` per column, default left for the first and right for the rest.
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  if (rows.length === 0) return '';
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))),
  );
  const alignOf = (c: number): Align => align[c] ?? (c === 0 ? 'left' : 'right');
  const line = (r: readonly string[]): string =>
    widths
      .map((w, c) => pad(r[c] ?? '', c === columns - 1 && alignOf(c) === 'left' ? 0 : w, alignOf(c)))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header!), rule, ...body.map(line)].join('\n');
}

/** A bar of `#` up to `width` columns for `value / max`. */
export function textBar(value: number, max: number, width = 20): string {
  if (max <= 0 || value <= 0) return '';
  return '#'.repeat(Math.max(1, Math.round((value / max) * width)));
}

function histogramTable(title: string, buckets: readonly HistogramBucket[], total: number): string {
  const max = Math.max(0, ...buckets.map((b) => b.count));
  const rows = buckets.map((b) => [
    b.label,
    formatCount(b.count),
    percentOf(b.count, total),
    textBar(b.count, max),
  ]);
  return formatTable([[title, 'count', 'share', ''], ...rows], ['left', 'right', 'right', 'left']);
}

function distributionRow(name: string, d: Distribution): string[] {
  return [
    name,
    formatCount(d.count),
    ...[d.min, d.p50, d.p90, d.p99, d.max].map(formatCount),
    d.mean.toFixed(1),
  ];
}

export interface TextReportInput {
  title?: string;
  stats: DatasetStatsReport;
  clean?: CleanSummary;
}

/** The whole report as text, sections separated by blank lines, ending in a newline. */
export function renderReportText({ title, stats, clean }: TextReportInput): string {
  const sections: string[] = [];
  if (title) sections.push(`${title}\n${'='.repeat(Math.min(60, displayWidth(title)))}`);
  sections.push(
    formatTable([
      ['数据集 dataset', 'value'],
      ['examples', formatCount(stats.total)],
      ['sft', formatCount(stats.byKind.sft)],
      ['preference', formatCount(stats.byKind.preference)],
      [
        'multi-turn 多轮',
        `${formatCount(stats.turns.multiTurn)} (${formatShare(stats.turns.multiTurnShare)})`,
      ],
      ['with system prompt', `${formatCount(stats.with.system)} (${formatShare(stats.shares.system)})`],
      ['with tools', `${formatCount(stats.with.tools)} (${formatShare(stats.shares.tools)})`],
      ['with input', `${formatCount(stats.with.input)} (${formatShare(stats.shares.input)})`],
    ]),
  );
  const taskMax = Math.max(0, ...TASKS.map((t) => stats.byTask[t]));
  sections.push(
    formatTable(
      [
        ['任务 task', 'count', 'share', ''],
        ...TASKS.map((t) => [
          TASK_LABELS[t],
          formatCount(stats.byTask[t]),
          percentOf(stats.byTask[t], stats.total),
          textBar(stats.byTask[t], taskMax),
        ]),
      ],
      ['left', 'right', 'right', 'left'],
    ),
  );
  sections.push(histogramTable('轮数 user turns', stats.turns.histogram, stats.total));
  sections.push(
    formatTable([
      ['长度 chars', 'n', 'min', 'p50', 'p90', 'p99', 'max', 'mean'],
      distributionRow('user 用户', stats.lengths.user),
      distributionRow('assistant 客服', stats.lengths.assistant),
    ]),
  );
  if (clean) sections.push(...cleanSections(clean));
  return `${sections.join('\n\n')}\n`;
}

function cleanSections(clean: CleanSummary): string[] {
  const out: string[] = [];
  const summary = [
    ['清洗 cleaning', 'count', 'share'],
    ['processed', formatCount(clean.processed), ''],
    ['kept', formatCount(clean.kept), percentOf(clean.kept, clean.processed)],
    ['dropped', formatCount(clean.dropped), percentOf(clean.dropped, clean.processed)],
  ];
  if (clean.modified !== undefined) {
    summary.push(['modified', formatCount(clean.modified), percentOf(clean.modified, clean.processed)]);
  }
  out.push(formatTable(summary));
  const removals = removalRows(clean);
  if (removals.length > 0) {
    out.push(
      formatTable([
        ['删除原因 reason', 'records', 'share'],
        ...removals.map((r) => [r.key, formatCount(r.count), percentOf(r.count, clean.processed)]),
      ]),
    );
  }
  const masks = maskRows(clean);
  if (masks.length > 0) {
    out.push(
      formatTable([['脱敏 masked', 'spans'], ...masks.map((r) => [piiLabel(r.key), formatCount(r.count)])]),
    );
  }
  return out;
}
