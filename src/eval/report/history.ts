/**
 * Evaluation history: one JSON line per run in reports/eval-history.jsonl (the primary variant's
 * headline numbers), and the diff of a run against the previous run of the same shop, so a
 * regression shows. The file is rewritten atomically with the new line appended; a damaged line
 * is skipped, never fatal.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/atomic-file.js';
import type { EvalSummary } from '../summary.js';

export interface HistoryEntry {
  at: string;
  shop: string;
  variant: string;
  sets: string[];
  metrics: Record<string, number>;
}

export interface MetricDiff {
  metric: string;
  previous: number;
  current: number;
  delta: number;
  /** Worse by more than the tolerance (for latency: higher; otherwise lower). */
  regressed: boolean;
}

export interface HistoryDiff {
  previousAt: string;
  rows: MetricDiff[];
  regressions: string[];
}

/** The numbers tracked across runs; latency in milliseconds, the rest as shares. */
export function headlineMetrics(summary: EvalSummary): Record<string, number> {
  const m: Record<string, number> = {};
  const put = (key: string, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) m[key] = value;
  };
  put('accuracy', summary.accuracy?.rate);
  put('bleu-4', summary.accuracy?.similarity['bleu-4']);
  put('rouge-l', summary.accuracy?.similarity['rouge-l']);
  put('latency_ttft_p95_ms', summary.latency?.ttft.p95);
  put('latency_p95_ms', summary.latency?.total.p95);
  put('coherence', summary.coherence?.rate);
  put('replacement', summary.replacement?.rate);
  put('satisfaction', summary.satisfaction?.rate);
  put('safety', summary.safety?.rate);
  return m;
}

export async function readHistory(path: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as HistoryEntry;
      if (entry && typeof entry.at === 'string' && entry.metrics) out.push(entry);
    } catch {
      // a damaged line is skipped
    }
  }
  return out;
}

/** Shares regress when they drop by more than `tolerance` (absolute); latency when it grows by more than 20 %. */
export function diffEntries(previous: HistoryEntry, current: HistoryEntry, tolerance = 0.02): HistoryDiff {
  const rows: MetricDiff[] = [];
  for (const [metric, value] of Object.entries(current.metrics)) {
    const before = previous.metrics[metric];
    if (before === undefined) continue;
    const delta = value - before;
    const latency = metric.endsWith('_ms');
    const scale = metric === 'bleu-4' || metric === 'rouge-l' ? 100 : 1;
    const regressed = latency ? value > before * 1.2 && delta > 50 : delta < -tolerance * scale;
    rows.push({ metric, previous: before, current: value, delta, regressed });
  }
  return { previousAt: previous.at, rows, regressions: rows.filter((r) => r.regressed).map((r) => r.metric) };
}

/** The last entry of the same shop, variant and sets, if any. */
export function previousEntry(
  history: readonly HistoryEntry[],
  current: HistoryEntry,
): HistoryEntry | undefined {
  const same = (e: HistoryEntry) =>
    e.shop === current.shop && e.variant === current.variant && e.sets.join() === current.sets.join();
  return [...history].reverse().find(same);
}

export async function appendHistory(path: string, entry: HistoryEntry): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(path, 'utf8');
  } catch {
    existing = '';
  }
  if (existing && !existing.endsWith('\n')) existing += '\n';
  await writeFileAtomic(path, `${existing}${JSON.stringify(entry)}\n`);
}
