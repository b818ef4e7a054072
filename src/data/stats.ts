/**
 * Dataset statistics in one streaming pass: `DatasetStats.add(example)` per record, `toJSON()` at
 * the end. Memory stays bounded whatever the dataset size: lengths go into a fixed set of buckets
 * (exact below 4096 characters, 1%-wide log buckets above), so percentiles are exact for ordinary
 * messages and within 1% for very long ones. Also defines `CleanSummary`, the cleaning step's
 * counts that reports show beside the statistics.
 * Does no I/O, keeps no text, and does not compute the cleaning counts itself.
 */

import type { PiiKind } from './clean/pii.js';
import type { Example, Task } from './example.js';
import { TASKS } from './example.js';
import { classifyTask } from './task.js';

export interface HistogramBucket {
  label: string;
  /** Inclusive lower bound. */
  min: number;
  /** Inclusive upper bound; null for the open last bucket. */
  max: number | null;
  count: number;
}

/** A length distribution in characters (Unicode code points). All zero when `count` is 0. */
export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  histogram: HistogramBucket[];
}

export interface DatasetStatsReport {
  total: number;
  byKind: { sft: number; preference: number };
  byTask: Record<Task, number>;
  turns: {
    /** User turns per dialogue, bucketed 1, 2, 3, 4-5, 6+. */
    histogram: HistogramBucket[];
    /** Dialogues with two or more user turns. */
    multiTurn: number;
    multiTurnShare: number;
    mean: number;
    max: number;
  };
  lengths: {
    /** Each user message (without alpaca `input`). */
    user: Distribution;
    /** Each assistant message, plus `chosen` and `rejected` of preference records. */
    assistant: Distribution;
  };
  /** Records with a system prompt, tool definitions, alpaca `input`. */
  with: { system: number; tools: number; input: number };
  /** The same as shares of `total`, rounded to 4 decimals. */
  shares: { system: number; tools: number; input: number };
}

/** Personal-data kinds the cleaner masks (defined by the cleaner). Other kinds may appear; reports show them too. */
export { PII_KINDS, type PiiKind } from './clean/pii.js';

/**
 * What cleaning did, for reports. Same shape as the cleaner's own summary (clean/pipeline.ts), so
 * its `summary()` can be passed in as it is. Reason codes are dotted, family first:
 * 'duplicate.exact', 'duplicate.near', 'junk.mojibake', 'ad.url', ...; a record counts once per
 * code, so a record dropped for two reasons counts under both. 'pii.*' codes are informational
 * (masking never drops) and reports leave them out of the removals.
 */
export interface CleanSummary {
  /** Records read. */
  processed: number;
  kept: number;
  dropped: number;
  /** Records per reason code. */
  reasons: Record<string, number>;
  /** Occurrences masked per PII kind (a record can have several). */
  masked: Partial<Record<PiiKind, number>> & Record<string, number>;
  /** Kept records whose text cleaning changed (masks, whitespace, normalisation), when known. */
  modified?: number;
}

/** Reason codes that do not drop a record. */
export function isInformationalReason(code: string): boolean {
  return code.startsWith('pii.');
}

export function emptyCleanSummary(): CleanSummary {
  return { processed: 0, kept: 0, dropped: 0, reasons: {}, masked: {} };
}

/** Inconsistencies in a summary: kept + dropped != processed, reason counts that cannot be. */
export function cleanSummaryProblems(summary: CleanSummary): string[] {
  const problems: string[] = [];
  if (summary.kept + summary.dropped !== summary.processed) {
    problems.push(
      `kept (${summary.kept}) + dropped (${summary.dropped}) != processed (${summary.processed})`,
    );
  }
  let dropReasons = 0;
  for (const [code, n] of Object.entries(summary.reasons)) {
    if (isInformationalReason(code)) continue;
    dropReasons += n;
    if (n > summary.dropped)
      problems.push(`reason ${code} counts ${n} records, only ${summary.dropped} dropped`);
  }
  if (dropReasons < summary.dropped)
    problems.push(`${summary.dropped} dropped but reasons cover ${dropReasons}`);
  return problems;
}

/** Statistics and (optionally) the cleaning summary, as reports take them. */
export interface DatasetReport {
  stats: DatasetStatsReport;
  clean?: CleanSummary;
}

/** Number of Unicode code points, without allocating an array. */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const EXACT_LIMIT = 4096;
const LOG_RATIO = 1.01;
const LOG_BUCKETS = Math.ceil(Math.log(1e9 / EXACT_LIMIT) / Math.log(LOG_RATIO)) + 1;

/** Display buckets for character lengths: lower bounds, the last one open. */
export const LENGTH_EDGES: readonly number[] = [0, 10, 20, 50, 100, 200, 500, 1000, 2000];
/** Display buckets for user turns per dialogue. */
export const TURN_EDGES: readonly number[] = [1, 2, 3, 4, 6];

function bucketLabel(edges: readonly number[], i: number): string {
  const lo = edges[i]!;
  const next = edges[i + 1];
  if (next === undefined) return `${lo}+`;
  return next - 1 === lo ? String(lo) : `${lo}-${next - 1}`;
}

function bucketIndex(edges: readonly number[], value: number): number {
  let i = 0;
  while (i + 1 < edges.length && value >= edges[i + 1]!) i++;
  return i;
}

function histogram(edges: readonly number[], counts: readonly number[]): HistogramBucket[] {
  return edges.map((min, i) => ({
    label: bucketLabel(edges, i),
    min,
    max: i + 1 < edges.length ? edges[i + 1]! - 1 : null,
    count: counts[i] ?? 0,
  }));
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Bounded-memory distribution of non-negative integers. Percentiles use the nearest-rank rule
 * (the smallest value with at least p·n values at or below it): exact below 4096, otherwise the
 * geometric middle of a 1%-wide bucket, clamped to the observed min and max.
 */
export class LengthDistribution {
  private readonly exact = new Float64Array(EXACT_LIMIT);
  private readonly log = new Float64Array(LOG_BUCKETS);
  private readonly display: number[];
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;

  constructor(private readonly edges: readonly number[] = LENGTH_EDGES) {
    this.display = edges.map(() => 0);
  }

  add(value: number): void {
    const v = Math.max(0, Math.floor(value));
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v < EXACT_LIMIT) this.exact[v]!++;
    else this.log[Math.min(LOG_BUCKETS - 1, Math.floor(Math.log(v / EXACT_LIMIT) / Math.log(LOG_RATIO)))]!++;
    this.display[bucketIndex(this.edges, v)]!++;
  }

  quantile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let v = 0; v < EXACT_LIMIT; v++) {
      seen += this.exact[v]!;
      if (seen >= rank) return v;
    }
    for (let i = 0; i < LOG_BUCKETS; i++) {
      seen += this.log[i]!;
      if (seen >= rank) {
        const lo = EXACT_LIMIT * LOG_RATIO ** i;
        const mid = Math.round(Math.sqrt(lo * lo * LOG_RATIO));
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  toJSON(): Distribution {
    const empty = this.count === 0;
    return {
      count: this.count,
      min: empty ? 0 : this.min,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.max,
      mean: empty ? 0 : round(this.sum / this.count, 1),
      histogram: histogram(this.edges, this.display),
    };
  }
}

export interface DatasetStatsOptions {
  /** How to find an example's task; default `classifyTask` (the example's own label wins). */
  classify?: (example: Example) => Task;
}

/** Streaming accumulator: `add` each example once, read `toJSON()` whenever. */
export class DatasetStats {
  private total = 0;
  private readonly byKind = { sft: 0, preference: 0 };
  private readonly byTask = Object.fromEntries(TASKS.map((t) => [t, 0])) as Record<Task, number>;
  private readonly turnCounts = TURN_EDGES.map(() => 0);
  private multiTurn = 0;
  private turnSum = 0;
  private turnMax = 0;
  private readonly user = new LengthDistribution();
  private readonly assistant = new LengthDistribution();
  private readonly withCounts = { system: 0, tools: 0, input: 0 };
  private readonly classify: (example: Example) => Task;

  constructor(options: DatasetStatsOptions = {}) {
    this.classify = options.classify ?? classifyTask;
  }

  add(example: Example): void {
    this.total++;
    this.byKind[example.kind]++;
    this.byTask[this.classify(example)]++;
    let turns = 0;
    for (const message of example.messages) {
      if (message.role === 'user') {
        turns++;
        this.user.add(charLength(message.content));
      } else if (message.role === 'assistant') {
        this.assistant.add(charLength(message.content));
      }
    }
    if (example.chosen !== undefined) this.assistant.add(charLength(example.chosen));
    if (example.rejected !== undefined) this.assistant.add(charLength(example.rejected));
    // A dialogue without a user turn should not get past the loader; it counts in the first bucket.
    this.turnCounts[bucketIndex(TURN_EDGES, turns)]!++;
    if (turns >= 2) this.multiTurn++;
    this.turnSum += turns;
    this.turnMax = Math.max(this.turnMax, turns);
    if (example.system) this.withCounts.system++;
    if (example.tools) this.withCounts.tools++;
    if (example.input) this.withCounts.input++;
  }

  addAll(examples: Iterable<Example>): this {
    for (const example of examples) this.add(example);
    return this;
  }

  toJSON(): DatasetStatsReport {
    const share = (n: number): number => (this.total === 0 ? 0 : round(n / this.total, 4));
    return {
      total: this.total,
      byKind: { ...this.byKind },
      byTask: { ...this.byTask },
      turns: {
        histogram: histogram(TURN_EDGES, this.turnCounts),
        multiTurn: this.multiTurn,
        multiTurnShare: share(this.multiTurn),
        mean: this.total === 0 ? 0 : round(this.turnSum / this.total, 2),
        max: this.turnMax,
      },
      lengths: { user: this.user.toJSON(), assistant: this.assistant.toJSON() },
      with: { ...this.withCounts },
      shares: {
        system: share(this.withCounts.system),
        tools: share(this.withCounts.tools),
        input: share(this.withCounts.input),
      },
    };
  }
}
