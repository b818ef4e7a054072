/**
 * The evaluation's arithmetic: percentiles (linear interpolation between closest ranks, numpy's
 * default), latency summaries, rates, and τ-bench's pass^k — the chance that all k independent
 * trials of a task succeed, estimated per task from n ≥ k trials with c successes as
 * C(c, k) / C(n, k) and averaged over tasks (pass^1 is the plain success rate). Pure.
 */

/** The p-th percentile (0–100) of `values`, linear between closest ranks; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  const n = values.length;
  return {
    count: n,
    mean: n ? values.reduce((s, v) => s + v, 0) / n : Number.NaN,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: n ? Math.max(...values) : Number.NaN,
  };
}

/** passed / total, NaN when nothing was measured. */
export function rate(passed: number, total: number): number {
  return total > 0 ? passed / total : Number.NaN;
}

/** n choose k as a float (exact for the small n used here). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/**
 * τ-bench's pass^k over tasks: `trials[t]` holds task t's outcomes (one per repeat). Tasks with
 * fewer than k trials are left out; NaN when none remain.
 */
export function passHatK(trials: readonly (readonly boolean[])[], k: number): number {
  const usable = trials.filter((t) => t.length >= k && k >= 1);
  if (usable.length === 0) return Number.NaN;
  let sum = 0;
  for (const t of usable) {
    const c = t.filter(Boolean).length;
    sum += choose(c, k) / choose(t.length, k);
  }
  return sum / usable.length;
}

/** pass^1 … pass^maxK, keyed 'pass^1', 'pass^2', …. */
export function passHatSeries(trials: readonly (readonly boolean[])[], maxK: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = 1; k <= maxK; k++) out[`pass^${k}`] = passHatK(trials, k);
  return out;
}
