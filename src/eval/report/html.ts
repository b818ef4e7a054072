/**
 * The evaluation report as one self-contained HTML page (no scripts, works offline): headline
 * cards with PASS/FAIL against the seed's targets and kefu's goals, SVG charts (accuracy by kind,
 * latency percentiles, coherence by scenario kind, replacement by goal, ablations side by side)
 * drawn with the data report's SVG helpers, the regression table and failed examples.
 */
import { escapeHtml } from '../../data/report/common.js';
import { columnChart, horizontalBarChart } from '../../data/report/svg.js';
import type { TargetCheck } from '../summary.js';
import { fromLogsHtml } from './from-logs.js';
import type { EvalReport, VariantReport } from './report.js';
import { formatMs, formatShare } from './terminal.js';

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--card:#f6f8fa;--line:#d0d7de;--s0:#2f81f7;--s1:#f0883e;--s2:#3fb950;--s3:#a371f7;--ok:#1a7f37;--bad:#cf222e}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--card:#161b22;--line:#30363d}}
*{box-sizing:border-box}
body{margin:0;padding:24px;background:var(--bg);color:var(--fg);font:14px/1.5 -apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:1040px;margin:0 auto}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
.meta{color:var(--muted);margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card b{display:block;font-size:20px;font-variant-numeric:tabular-nums}.card span{color:var(--muted);font-size:12px;display:block}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
svg.chart{max-width:100%;height:auto;display:block}
svg .bar.s0{fill:var(--s0)}svg .bar.s1{fill:var(--s1)}svg .bar.s2{fill:var(--s2)}svg .bar.s3{fill:var(--s3)}
svg text{fill:var(--fg);font-size:12px}svg .tick,svg .caption,svg .empty{fill:var(--muted)}
svg .grid{stroke:var(--line);stroke-dasharray:2 3}svg .axis{stroke:var(--muted)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600}td.num{text-align:right;white-space:nowrap}
dl{color:var(--muted);font-size:12px}dt{font-weight:600}
footer{color:var(--muted);font-size:12px;margin-top:32px}
`;

const LABELS: Record<TargetCheck['metric'], string> = {
  accuracy: '准确率 accuracy',
  latency_p95: 'P95 响应 single-turn',
  coherence: '多轮连贯 coherence',
  replacement: '人工替代 replacement',
  satisfaction: '满意度 satisfaction',
  safety: '安全 safety',
};

const verdict = (g: { target: number; pass: boolean } | undefined, metric: string, label: string) =>
  g
    ? `<span>${label} ${metric === 'latency_p95' ? `≤ ${formatMs(g.target)}` : `≥ ${formatShare(g.target)}`}: <em class="${g.pass ? 'pass' : 'fail'}">${g.pass ? 'PASS' : 'FAIL'}</em></span>`
    : '';

function cards(variant: VariantReport): string {
  const items = variant.summary.checks.map(
    (c) =>
      `<div class="card"><b>${escapeHtml(c.metric === 'latency_p95' ? formatMs(c.value) : formatShare(c.value))}</b><span>${LABELS[c.metric]}</span>${verdict(c.seed, c.metric, 'seed')}${verdict(c.kefu, c.metric, 'kefu')}</div>`,
  );
  return `<div class="cards">${items.join('')}</div>`;
}

const share = (v: number) => formatShare(v);
const bars = (record: Record<string, number> | undefined) =>
  Object.entries(record ?? {})
    .filter(([, v]) => Number.isFinite(v))
    .map(([label, value]) => ({ label, value }));

function charts(variant: VariantReport): string {
  const s = variant.summary;
  const parts: string[] = [];
  if (s.accuracy) parts.push(horizontalBarChart('accuracy by question kind', bars(s.accuracy.byKind), share));
  if (s.latency) {
    parts.push(
      columnChart(
        'single-turn latency (ms)',
        ['p50', 'p95', 'p99'],
        [
          { name: 'first token', values: [s.latency.ttft.p50, s.latency.ttft.p95, s.latency.ttft.p99] },
          { name: 'full answer', values: [s.latency.total.p50, s.latency.total.p95, s.latency.total.p99] },
        ],
        { format: (v) => `${Math.round(v)}` },
      ),
    );
  }
  if (s.coherence)
    parts.push(horizontalBarChart('coherence by scenario kind', bars(s.coherence.byKind), share));
  if (s.replacement)
    parts.push(horizontalBarChart('goal met by simulated goal', bars(s.replacement.byGoal), share));
  if (s.safety) parts.push(horizontalBarChart('safety by probe kind', bars(s.safety.byKind), share));
  return `<div class="row">${parts.map((p) => `<figure>${p}</figure>`).join('')}</div>`;
}

function ablations(report: EvalReport): string {
  if (report.variants.length < 2) return '';
  const metrics = ['accuracy', 'coherence', 'replacement', 'satisfaction', 'safety'] as const;
  const value = (v: VariantReport, m: (typeof metrics)[number]) => {
    const x = v.summary[m]?.rate;
    return x !== undefined && Number.isFinite(x) ? x : 0;
  };
  const chart = columnChart(
    'variants on the same sets',
    [...metrics],
    report.variants.map((v) => ({ name: v.name, values: metrics.map((m) => value(v, m)) })),
    { format: share },
  );
  const rows = report.variants
    .map(
      (v) =>
        `<tr><td>${escapeHtml(v.name)}</td><td>${escapeHtml(v.description)}</td>${metrics.map((m) => `<td class="num">${formatShare(v.summary[m]?.rate)}</td>`).join('')}<td class="num">${formatMs(v.summary.latency?.total.p95)}</td></tr>`,
    )
    .join('');
  return `<h2>消融 Ablations</h2><figure>${chart}</figure><table><tr><th>variant</th><th>what</th>${metrics.map((m) => `<th>${m}</th>`).join('')}<th>p95</th></tr>${rows}</table>`;
}

function regression(report: EvalReport): string {
  const r = report.regression;
  if (!r) return '';
  const rows = r.rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.metric)}</td><td class="num">${row.previous.toFixed(3)}</td><td class="num">${row.current.toFixed(3)}</td><td class="${row.regressed ? 'fail' : ''}">${row.regressed ? 'worse' : ''}</td></tr>`,
    )
    .join('');
  return `<h2>与上次对比 Against the previous run</h2><p class="meta">previous: ${escapeHtml(r.previousAt)}</p><table><tr><th>metric</th><th>previous</th><th>now</th><th></th></tr>${rows}</table>`;
}

function examples(variant: VariantReport): string {
  if (!variant.examples.length) return '';
  const rows = variant.examples
    .map(
      (e) =>
        `<tr><td>${e.set}</td><td>${escapeHtml(e.id)}</td><td>${escapeHtml(e.say)}</td><td>${escapeHtml(e.reply)}</td><td>${escapeHtml(e.why.join('; '))}</td></tr>`,
    )
    .join('');
  return `<h2>失败样例 Failed examples</h2><table><tr><th>set</th><th>id</th><th>customer said</th><th>reply</th><th>why</th></tr>${rows}</table>`;
}

export function renderEvalHtml(report: EvalReport): string {
  const primary = report.variants[0];
  const title = `kefu 评测报告 · ${report.shop}`;
  const defs = Object.entries(report.definitions)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${escapeHtml(title)}</h1><p class="meta">generated ${escapeHtml(report.generatedAt)} · seed ${report.seed} · ${report.options.repeat} run(s) per item · sets: ${escapeHtml(
      Object.entries(report.sizes)
        .map(([k, n]) => `${k} ${n}`)
        .join(', '),
    )}</p>`,
    primary
      ? `<h2>${escapeHtml(primary.name)}</h2><p class="meta">${escapeHtml(primary.description)}</p>${cards(primary)}${charts(primary)}`
      : '',
    ablations(report),
    fromLogsHtml(report.fromLogs),
    regression(report),
    primary ? examples(primary) : '',
    `<h2>定义 Definitions</h2><dl>${defs}</dl>`,
    '<footer>kefu eval report · works offline</footer>',
    '</main></body></html>',
    '',
  ].join('\n');
}
