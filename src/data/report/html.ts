/**
 * The dataset report as ONE self-contained HTML page: inline CSS and inline SVG charts (examples
 * per task, user turns, user vs assistant lengths, cleaning removals per reason, masks per PII
 * kind) plus the tables behind them. Works offline: no scripts, fonts, images or CDNs. Every piece
 * of text from the data is escaped with `escapeHtml`.
 * Does not write the file (the caller does, atomically) and does not compute statistics.
 */
import { TASKS } from '../example.js';
import type { CleanSummary, DatasetStatsReport, Distribution } from '../stats.js';
import {
  escapeHtml,
  formatCount,
  formatShare,
  maskRows,
  percentOf,
  piiLabel,
  removalRows,
  TASK_LABELS,
} from './common.js';
import { columnChart, horizontalBarChart } from './svg.js';

export { escapeHtml } from './common.js';

export interface HtmlReportInput {
  title: string;
  stats: DatasetStatsReport;
  clean?: CleanSummary;
  /** When the report was made; a Date is written as ISO 8601. */
  generatedAt: Date | string;
}

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--card:#f6f8fa;--line:#d0d7de;--s0:#2f81f7;--s1:#f0883e;--s2:#3fb950;--s3:#a371f7}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--card:#161b22;--line:#30363d}}
*{box-sizing:border-box}
body{margin:0;padding:24px;background:var(--bg);color:var(--fg);font:14px/1.5 -apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:1040px;margin:0 auto}
h1{font-size:22px;margin:0 0 4px}h3{font-size:15px;margin:20px 0 8px}h2{font-size:17px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
.meta{color:var(--muted);margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:20px;font-variant-numeric:tabular-nums}.card span{color:var(--muted);font-size:12px}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
figure{margin:0;max-width:100%}figcaption{color:var(--muted);font-size:12px;margin-bottom:4px}
svg.chart{max-width:100%;height:auto;display:block}
svg .bar.s0{fill:var(--s0)}svg .bar.s1{fill:var(--s1)}svg .bar.s2{fill:var(--s2)}svg .bar.s3{fill:var(--s3)}
svg text{fill:var(--fg);font-size:12px}svg .tick,svg .caption,svg .empty{fill:var(--muted)}
svg .grid{stroke:var(--line);stroke-dasharray:2 3}svg .axis{stroke:var(--muted)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;min-width:280px}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{color:var(--muted);font-weight:600}
footer{color:var(--muted);font-size:12px;margin-top:32px}
`;

type Cell = string | number;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cell = (tag: string, c: Cell): string =>
    `<${tag}>${escapeHtml(typeof c === 'number' ? formatCount(c) : c)}</${tag}>`;
  const head = `<tr>${header.map((h) => cell('th', h)).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function figure(caption: string, svg: string): string {
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
}

function card(value: string, label: string): string {
  return `<div class="card"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

function section(title: string, body: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function distributionCells(name: string, d: Distribution): Cell[] {
  return [name, d.count, d.min, d.p50, d.p90, d.p99, d.max, d.mean.toFixed(1)];
}

function shares(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total === 0 ? 0 : v / total));
}

const percentTick = (v: number): string => `${Math.round(v * 1000) / 10}%`;

function overview(stats: DatasetStatsReport, clean: CleanSummary | undefined): string {
  const cards = [
    card(formatCount(stats.total), '样本 examples'),
    card(
      `${formatCount(stats.byKind.sft)} / ${formatCount(stats.byKind.preference)}`,
      'SFT / 偏好 preference',
    ),
    card(formatShare(stats.turns.multiTurnShare), '多轮 multi-turn'),
    card(formatShare(stats.shares.system), '含系统提示 with system'),
    card(formatShare(stats.shares.tools), '含工具 with tools'),
    card(formatShare(stats.shares.input), '含 input'),
  ];
  if (clean) {
    cards.push(
      card(formatCount(clean.kept), `保留 kept of ${formatCount(clean.processed)}`),
      card(formatCount(clean.dropped), `删除 dropped (${percentOf(clean.dropped, clean.processed)})`),
    );
  }
  return `<div class="cards">${cards.join('')}</div>`;
}

function taskSection(stats: DatasetStatsReport): string {
  const items = TASKS.map((t) => ({ label: TASK_LABELS[t], value: stats.byTask[t] }));
  const rows = TASKS.map((t) => [TASK_LABELS[t], stats.byTask[t], percentOf(stats.byTask[t], stats.total)]);
  return section(
    '任务分布 Examples per task',
    `<div class="row">${figure('examples per task', horizontalBarChart('Examples per task', items))}` +
      `${table(['task', 'examples', 'share'], rows)}</div>`,
  );
}

function turnsSection(stats: DatasetStatsReport): string {
  const h = stats.turns.histogram;
  const chart = columnChart(
    'User turns per dialogue',
    h.map((b) => b.label),
    [{ name: 'dialogues', values: h.map((b) => b.count) }],
    { xLabel: '用户轮数 user turns' },
  );
  const rows = h.map((b) => [b.label, b.count, percentOf(b.count, stats.total)]);
  return section(
    '对话轮数 Turns per dialogue',
    `<div class="row">${figure(`mean ${stats.turns.mean}, max ${stats.turns.max}`, chart)}` +
      `${table(['user turns', 'dialogues', 'share'], rows)}</div>`,
  );
}

function lengthSection(stats: DatasetStatsReport): string {
  const { user, assistant } = stats.lengths;
  const chart = columnChart(
    'Message length, user vs assistant',
    user.histogram.map((b) => b.label),
    [
      { name: `用户 user (${formatCount(user.count)})`, values: shares(user.histogram.map((b) => b.count)) },
      {
        name: `客服 assistant (${formatCount(assistant.count)})`,
        values: shares(assistant.histogram.map((b) => b.count)),
      },
    ],
    { format: percentTick, xLabel: '字符数 characters per message' },
  );
  const rows = [distributionCells('用户 user', user), distributionCells('客服 assistant', assistant)];
  return section(
    '长度分布 Message length (characters)',
    `${figure('share of messages per length bucket', chart)}` +
      `${table(['', 'messages', 'min', 'p50', 'p90', 'p99', 'max', 'mean'], rows)}`,
  );
}

function cleanSection(clean: CleanSummary): string {
  const removals = removalRows(clean);
  const masks = maskRows(clean);
  const removalChart = horizontalBarChart(
    'Records removed per reason',
    removals.map((r) => ({ label: r.key, value: r.count })),
  );
  const maskChart = horizontalBarChart(
    'Spans masked per PII kind',
    masks.map((r) => ({ label: piiLabel(r.key), value: r.count })),
  );
  const summaryRows: Cell[][] = [
    ['processed', clean.processed, ''],
    ['kept', clean.kept, percentOf(clean.kept, clean.processed)],
    ['dropped', clean.dropped, percentOf(clean.dropped, clean.processed)],
  ];
  if (clean.modified !== undefined) {
    summaryRows.push(['modified', clean.modified, percentOf(clean.modified, clean.processed)]);
  }
  return section(
    '清洗 Cleaning',
    `${table(['records', 'count', 'share'], summaryRows)}` +
      `<h3>删除原因 Removed per reason</h3><div class="row">${figure('records removed per reason (a record can have several)', removalChart)}` +
      `${table(
        ['reason', 'records', 'share of processed'],
        removals.map((r) => [r.key, r.count, percentOf(r.count, clean.processed)]),
      )}</div>` +
      `<h3>脱敏 Masked personal data</h3><div class="row">${figure('spans masked per kind', maskChart)}` +
      `${table(
        ['kind', 'spans'],
        masks.map((r) => [piiLabel(r.key), r.count]),
      )}</div>`,
  );
}

/** The full page, starting with `<!doctype html>`. */
export function renderReportHtml({ title, stats, clean, generatedAt }: HtmlReportInput): string {
  const when = typeof generatedAt === 'string' ? generatedAt : generatedAt.toISOString();
  const parts = [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${escapeHtml(title)}</h1><p class="meta">生成于 generated ${escapeHtml(when)}</p>`,
    overview(stats, clean),
    taskSection(stats),
    turnsSection(stats),
    lengthSection(stats),
    clean ? cleanSection(clean) : '',
    '<footer>kefu dataset report · 离线可用 works offline</footer>',
    '</main></body></html>',
    '',
  ];
  return parts.join('\n');
}
