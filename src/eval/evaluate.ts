/**
 * Evaluating several variants on the same eval sets, in one report: generate the sets once from
 * the shop snapshot (seeded), run each variant (open → run → restore its order book → close),
 * summarise each, and — when an output folder is given — write report.json / report.html /
 * records.jsonl and a history line, with the diff against the previous run of the same shop,
 * variant and sets. The first variant is the primary one (checked against the targets).
 */
import { UsageError } from '../core/errors.js';
import { type Progress, silentProgress } from '../core/progress.js';
import type { ConversationStats } from '../server/stats/conversation-stats.js';
import type { OrderBookReader } from '../shop/order-book.js';
import type { Judge } from './grade/judge.js';
import {
  diffEntries,
  type HistoryEntry,
  headlineMetrics,
  previousEntry,
  readHistory,
} from './report/history.js';
import { DEFINITIONS, type EvalReport, failureExamples } from './report/report.js';
import { renderEvalText } from './report/terminal.js';
import { type WrittenReport, writeEvalReport } from './report/write.js';
import type { RunRecords } from './results.js';
import { runEvalSets } from './run/runner.js';
import { generateEvalSets, type SetSizes } from './sets/generate.js';
import type { ShopSnapshot } from './shop-snapshot.js';
import { type EvalSummary, type Feedback, summarize } from './summary.js';
import { EVAL_SET_NAMES, type EvalSetName, type EvalSets, type EvalTarget } from './types.js';

export interface OpenedVariant {
  target: EvalTarget;
  /** Order-book access for the state checks. */
  orderBook?: OrderBookReader;
  close(): Promise<void>;
}

export interface VariantSpec {
  name: string;
  description: string;
  open(): Promise<OpenedVariant>;
}

export interface EvaluateVariantsOptions {
  snapshot: ShopSnapshot;
  variants: readonly VariantSpec[];
  /** Default 20240701. */
  seed?: number;
  sizes?: Partial<SetSizes>;
  sets?: readonly EvalSetName[];
  repeat?: number;
  concurrency?: number;
  limit?: number;
  judge?: Judge;
  feedback?: Feedback;
  /** Replacement rate and satisfaction from real conversation logs, for the report's own section. */
  fromLogs?: ConversationStats;
  /** Write the report files here (a folder); nothing is written without it. */
  outDir?: string;
  /** reports/eval-history.jsonl; read for the regression diff and appended to. */
  historyPath?: string;
  /** Added to the primary variant's notes (e.g. ablation variants that could not run). */
  notes?: string[];
  signal?: AbortSignal;
  progress?: Progress;
  now?: () => Date;
}

export interface EvaluationResult {
  report: EvalReport;
  /** The primary variant's summary. */
  summary: EvalSummary;
  sets: EvalSets;
  records: { variant: string; records: RunRecords }[];
  written?: WrittenReport;
  /** The terminal summary. */
  text: string;
}

export const DEFAULT_EVAL_SEED = 20240701;

export async function evaluateVariants(options: EvaluateVariantsOptions): Promise<EvaluationResult> {
  if (options.variants.length === 0)
    throw new UsageError('nothing to evaluate: no variant given', {
      hint: 'pass --url, --model or --variants',
    });
  const seed = options.seed ?? DEFAULT_EVAL_SEED;
  const progress = options.progress ?? silentProgress;
  const sets = generateEvalSets(options.snapshot, seed, options.sizes);
  const chosen = [...(options.sets ?? EVAL_SET_NAMES)];
  const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const all: { variant: string; records: RunRecords }[] = [];
  const variants: EvalReport['variants'] = [];
  for (const spec of options.variants) {
    const opened = await spec.open();
    try {
      const records = await runEvalSets(opened.target, sets, {
        sets: chosen,
        repeat,
        concurrency,
        progress,
        ...(options.limit ? { limit: options.limit } : {}),
        ...(opened.orderBook ? { orderBook: opened.orderBook } : {}),
        ...(options.judge ? { judge: options.judge } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // Leave the order book as it was found.
      if (chosen.includes('replacement')) await opened.target.reset?.();
      records.target = spec.name;
      all.push({ variant: spec.name, records });
      variants.push({
        name: spec.name,
        description: spec.description,
        summary: summarize(records, options.feedback ? { feedback: options.feedback } : {}),
        examples: failureExamples(records),
      });
    } finally {
      await opened.close();
    }
  }
  const size = (list: readonly unknown[]) =>
    options.limit ? Math.min(options.limit, list.length) : list.length;
  const report: EvalReport = {
    version: 1,
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    shop: options.snapshot.name,
    seed,
    sizes: {
      accuracy: chosen.includes('accuracy') ? size(sets.accuracy) : 0,
      coherence: chosen.includes('coherence') ? size(sets.coherence) : 0,
      replacement: chosen.includes('replacement') ? size(sets.replacement) : 0,
      safety: chosen.includes('safety') ? size(sets.safety) : 0,
    },
    options: {
      repeat,
      concurrency,
      sets: chosen,
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.judge ? { judge: options.judge.model } : {}),
    },
    definitions: DEFINITIONS,
    variants,
    ...(options.fromLogs ? { fromLogs: options.fromLogs } : {}),
  };
  const primary = variants[0];
  if (primary && options.notes?.length) primary.summary.notes.push(...options.notes);
  let history: { path: string; entry: HistoryEntry } | undefined;
  if (primary && options.historyPath) {
    const entry: HistoryEntry = {
      at: report.generatedAt,
      shop: report.shop,
      variant: primary.name,
      sets: chosen,
      metrics: headlineMetrics(primary.summary),
    };
    const previous = previousEntry(await readHistory(options.historyPath), entry);
    if (previous) report.regression = diffEntries(previous, entry);
    history = { path: options.historyPath, entry };
  }
  const written = options.outDir ? await writeEvalReport(options.outDir, report, all, history) : undefined;
  const text = renderEvalText(report, written ? { json: written.json, html: written.html } : {});
  return {
    report,
    summary: (primary as NonNullable<typeof primary>).summary,
    sets,
    records: all,
    ...(written ? { written } : {}),
    text,
  };
}
