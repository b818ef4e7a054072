/**
 * The contract every benchmark implements. A benchmark measures kefu and, in the same run, a
 * reference (raw better-sqlite3, OpenBLAS, llama.cpp, a plain loop …) so results are reported as
 * ratios that survive a noisy shared machine. The runner (`npm run bench`) collects results into
 * bench/results/latest.json and the table in BENCHMARKS.md. No timing logic lives here.
 */

export interface Measurement {
  /** What was measured, e.g. "insert rows". */
  name: string;
  /** kefu's figure. */
  value: number;
  /** Unit of `value` and `reference.value`, e.g. "rows/s", "ms", "GFLOP/s". */
  unit: string;
  /** true when bigger is better (throughput), false for latencies. */
  higherIsBetter: boolean;
  /** The same work done by a reference implementation in the same run. */
  reference?: { name: string; value: number };
  /** A goal from an issue, e.g. { value: 60, text: "<= 60 s" }. */
  goal?: { value: number; text: string };
  /** Free-form facts (sizes, counts, peak memory) shown beside the figure. */
  notes?: string;
}

export interface BenchContext {
  /** A scratch folder the benchmark may fill; removed afterwards. */
  scratchDir: string;
  /** true for `npm run bench -- --quick`: smaller sizes, same code paths. */
  quick: boolean;
  log(message: string): void;
}

export interface Benchmark {
  /** Stable id, e.g. "storage.sqlite-insert". */
  id: string;
  /** One line for BENCHMARKS.md. */
  title: string;
  run(context: BenchContext): Promise<Measurement[]>;
}

/** Time `fn` once, in milliseconds. */
export async function timeMs(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Median of `runs` timings of `fn`, in milliseconds, after one warm-up call. */
export async function medianMs(fn: () => unknown | Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeMs(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
