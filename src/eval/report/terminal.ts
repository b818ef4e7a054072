/**
 * The terminal summary of an evaluation: the primary variant's metrics against the seed's targets
 * and kefu's own goals (PASS/FAIL each), latency and pass^k lines, the ablation table when several
 * variants ran, the replacement rate and satisfaction from real conversation logs, the regression diff against the previous run, and the run's notes. Plain text.
 */
import { formatTable } from '../../data/report/terminal.js';
import type { EvalSummary, TargetCheck } from '../summary.js';
import { fromLogsLines } from './from-logs.js';
import type { EvalReport } from './report.js';

export function formatShare(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

const LABEL: Record<TargetCheck['metric'], string> = {
  accuracy: 'accuracy',
  latency_p95: 'p95 single-turn',
  coherence: 'coherence',
  replacement: 'replacement rate',
  satisfaction: 'satisfaction',
  safety: 'safety',
};

function value(check: TargetCheck): string {
  return check.metric === 'latency_p95' ? formatMs(check.value) : formatShare(check.value);
}

function goal(check: TargetCheck, which: 'seed' | 'kefu'): string[] {
  const g = check[which];
  if (!g) return ['', ''];
  const shown = check.metric === 'latency_p95' ? `<= ${formatMs(g.target)}` : `>= ${formatShare(g.target)}`;
  return [shown, g.pass ? 'PASS' : 'FAIL'];
}

export function checksTable(summary: EvalSummary): string {
  const rows = summary.checks.map((c) => [LABEL[c.metric], value(c), ...goal(c, 'seed'), ...goal(c, 'kefu')]);
  return formatTable(
    [['metric', 'value', 'seed target', '', 'kefu goal', ''], ...rows],
    ['left', 'right', 'right', 'left', 'right', 'left'],
  );
}

function passK(name: string, series: Record<string, number> | undefined): string | undefined {
  if (!series || Object.keys(series).length < 2) return undefined;
  return `  ${name}: ${Object.entries(series)
    .map(([k, v]) => `${k} ${formatShare(v)}`)
    .join(', ')}`;
}

export function ablationTable(report: EvalReport): string {
  const rows = report.variants.map(({ name, summary: s }) => [
    name,
    formatShare(s.accuracy?.rate),
    s.accuracy ? s.accuracy.similarity['bleu-4'].toFixed(1) : '—',
    s.accuracy ? s.accuracy.similarity['rouge-l'].toFixed(1) : '—',
    formatMs(s.latency?.total.p95),
    formatShare(s.coherence?.rate),
    formatShare(s.replacement?.rate),
    formatShare(s.satisfaction?.rate),
    formatShare(s.safety?.rate),
    s.accuracy ? formatShare(s.accuracy.origin.model ?? 0) : '—',
  ]);
  return formatTable([
    [
      'variant',
      'accuracy',
      'BLEU-4',
      'ROUGE-L',
      'p95',
      'coherence',
      'replaced',
      'satisfied',
      'safety',
      'model words',
    ],
    ...rows,
  ]);
}

export function renderEvalText(report: EvalReport, paths: { json?: string; html?: string } = {}): string {
  const primary = report.variants[0];
  const lines: string[] = [];
  lines.push(
    `Evaluation of ${report.shop} (seed ${report.seed}, ${report.options.repeat} run${report.options.repeat > 1 ? 's' : ''} per item)`,
  );
  if (!primary) return `${lines.join('\n')}\n`;
  const s = primary.summary;
  lines.push(`target: ${primary.name}${primary.description ? ` — ${primary.description}` : ''}`, '');
  lines.push(checksTable(s), '');
  if (s.latency)
    lines.push(
      `  time to first token p50/p95/p99: ${formatMs(s.latency.ttft.p50)} / ${formatMs(s.latency.ttft.p95)} / ${formatMs(s.latency.ttft.p99)}; full answer: ${formatMs(s.latency.total.p50)} / ${formatMs(s.latency.total.p95)} / ${formatMs(s.latency.total.p99)}`,
    );
  if (s.accuracy) {
    const sim = s.accuracy.similarity;
    lines.push(
      `  accuracy by task: ${Object.entries(s.accuracy.byTask)
        .map(([k, v]) => `${k} ${formatShare(v)}`)
        .join(', ')}`,
    );
    const weakest = Object.entries(s.accuracy.byKind)
      .filter(([, v]) => v < 1)
      .sort((a, b) => a[1] - b[1])
      .slice(0, 5);
    if (weakest.length)
      lines.push(
        `  weakest question kinds: ${weakest.map(([k, v]) => `${k} ${formatShare(v)}`).join(', ')} (all kinds in report.json)`,
      );
    lines.push(
      `  LLaMA-Factory predict metrics: BLEU-4 ${sim['bleu-4'].toFixed(2)}, ROUGE-1 ${sim['rouge-1'].toFixed(2)}, ROUGE-2 ${sim['rouge-2'].toFixed(2)}, ROUGE-L ${sim['rouge-l'].toFixed(2)}`,
    );
    lines.push(
      `  replies written by the model: ${formatShare(s.accuracy.origin.model ?? 0)} (the rest from templates)`,
    );
    if (s.accuracy.judge !== undefined) lines.push(`  judge model: ${formatShare(s.accuracy.judge)} correct`);
  }
  if (s.satisfaction)
    lines.push(
      `  satisfaction from ${s.satisfaction.source === 'feedback' ? `${s.satisfaction.count} stored feedback votes` : 'the simulated customers'}`,
    );
  for (const line of [
    passK('accuracy', s.accuracy?.passK),
    passK('coherence', s.coherence?.passK),
    passK('replacement', s.replacement?.passK),
    passK('safety', s.safety?.passK),
  ]) {
    if (line) lines.push(line);
  }
  if (report.variants.length > 1) lines.push('', 'Ablations (same sets):', ablationTable(report));
  lines.push(...fromLogsLines(report.fromLogs));
  if (report.regression) {
    const r = report.regression;
    lines.push(
      '',
      `Against the previous run (${r.previousAt}): ${r.regressions.length ? `REGRESSED ${r.regressions.join(', ')}` : 'no regression'}`,
    );
    for (const row of r.rows) {
      const ms = row.metric.endsWith('_ms');
      const show = (v: number) =>
        ms ? formatMs(v) : row.metric.includes('-') ? v.toFixed(2) : formatShare(v);
      lines.push(
        `  ${row.metric}: ${show(row.previous)} → ${show(row.current)}${row.regressed ? '  (worse)' : ''}`,
      );
    }
  }
  const notes = report.variants.flatMap((v) => v.summary.notes.map((n) => `${v.name}: ${n}`));
  if (notes.length) lines.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  if (paths.json || paths.html)
    lines.push(
      '',
      ...(paths.json ? [`report: ${paths.json}`] : []),
      ...(paths.html ? [`html:   ${paths.html}`] : []),
    );
  return `${lines.join('\n')}\n`;
}
