/**
 * Inline SVG charts for the HTML report: a horizontal bar chart (one bar per labelled value) and a
 * column chart (categories on the x axis, one or more series side by side). Output is a string of
 * SVG markup styled by CSS classes the report page defines (`bar`, `s0`, `s1`, `axis`, ...), with a
 * `<title>` on every bar for hover text. All text is escaped here.
 * Does not lay out the page, load fonts or run scripts.
 */
import { escapeHtml, formatCount } from './common.js';
import { displayWidth } from './terminal.js';

export interface BarItem {
  label: string;
  value: number;
}

const WIDTH = 640;

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (1 for 0). */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const base = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * base >= value - 1e-9) return step * base;
  return 10 * base;
}

function truncate(label: string, columns: number): string {
  if (displayWidth(label) <= columns) return label;
  let out = '';
  for (const ch of label) {
    if (displayWidth(`${out}${ch}`) > columns - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function svgOpen(title: string, height: number): string {
  const t = escapeHtml(title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="${WIDTH}" height="${height}" role="img" aria-label="${t}"><title>${t}</title>`
  );
}

function emptyChart(title: string): string {
  return `${svgOpen(title, 48)}<text class="empty" x="${WIDTH / 2}" y="30" text-anchor="middle">无 none</text></svg>`;
}

/** Horizontal bars, one row per item, labels on the left and values at the bar ends. */
export function horizontalBarChart(title: string, items: readonly BarItem[], format = formatCount): string {
  if (items.length === 0) return emptyChart(title);
  const row = 28;
  const labelWidth = 190;
  const valueWidth = 80;
  const top = 8;
  const height = top * 2 + row * items.length;
  const span = WIDTH - labelWidth - valueWidth;
  const max = Math.max(...items.map((i) => i.value), 0) || 1;
  const parts = [svgOpen(title, height)];
  items.forEach((item, i) => {
    const y = top + i * row;
    const w = round1(Math.max(item.value > 0 ? 1 : 0, (item.value / max) * span));
    const label = escapeHtml(truncate(item.label, 26));
    const full = escapeHtml(`${item.label}: ${format(item.value)}`);
    parts.push(
      `<text class="label" x="${labelWidth - 8}" y="${y + row / 2 + 4}" text-anchor="end">${label}</text>`,
      `<rect class="bar s0" x="${labelWidth}" y="${y + 4}" width="${w}" height="${row - 8}" rx="3"><title>${full}</title></rect>`,
      `<text class="value" x="${round1(labelWidth + w + 6)}" y="${y + row / 2 + 4}">${escapeHtml(format(item.value))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Series {
  name: string;
  values: readonly number[];
}

export interface ColumnChartOptions {
  /** Format axis ticks and hover values; default thousands-separated counts. */
  format?: (value: number) => string;
  /** Axis caption under the categories. */
  xLabel?: string;
}

/** Vertical columns per category, series side by side, with a y axis and a legend for 2+ series. */
export function columnChart(
  title: string,
  categories: readonly string[],
  series: readonly Series[],
  options: ColumnChartOptions = {},
): string {
  if (categories.length === 0 || series.length === 0) return emptyChart(title);
  const format = options.format ?? formatCount;
  const height = 260;
  const left = 64;
  const right = 12;
  const top = series.length > 1 ? 32 : 14;
  const bottom = options.xLabel ? 52 : 34;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const max = niceCeil(Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (v: number): number => round1(top + plotH - (v / max) * plotH);
  const parts = [svgOpen(title, height)];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(
      `<line class="grid" x1="${left}" x2="${WIDTH - right}" y1="${y(v)}" y2="${y(v)}"/>`,
      `<text class="tick" x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${escapeHtml(format(v))}</text>`,
    );
  }
  const slot = plotW / categories.length;
  const barW = round1(Math.min(48, (slot * 0.8) / series.length));
  categories.forEach((category, c) => {
    const x0 = left + slot * c + (slot - barW * series.length) / 2;
    series.forEach((s, i) => {
      const v = s.values[c] ?? 0;
      const hover = escapeHtml(`${s.name} · ${category}: ${format(v)}`);
      parts.push(
        `<rect class="bar s${i % 4}" x="${round1(x0 + i * barW)}" y="${y(v)}" width="${barW}" ` +
          `height="${round1(top + plotH - y(v))}"><title>${hover}</title></rect>`,
      );
    });
    parts.push(
      `<text class="tick" x="${round1(left + slot * c + slot / 2)}" y="${top + plotH + 18}" text-anchor="middle">${escapeHtml(category)}</text>`,
    );
  });
  parts.push(
    `<line class="axis" x1="${left}" x2="${WIDTH - right}" y1="${top + plotH}" y2="${top + plotH}"/>`,
  );
  if (options.xLabel) {
    parts.push(
      `<text class="caption" x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`,
    );
  }
  if (series.length > 1) {
    series.forEach((s, i) => {
      const x = left + i * 150;
      parts.push(
        `<rect class="bar s${i % 4}" x="${x}" y="8" width="12" height="12" rx="2"/>`,
        `<text class="legend" x="${x + 18}" y="19">${escapeHtml(s.name)}</text>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
