/**
 * Train / validation / test splitting, stratified by task and seeded.
 *
 * `splitExamples` decides how many examples of each task go to each split (within one of the exact
 * proportion, overall totals matching the ratios as closely as rounding allows, and every task with
 * three or more examples present in every split whose ratio is above zero), then fills the splits
 * in the order of a hash of seed + id. The result depends only on the set of examples, their ids
 * and the seed: not on input order, not on `Math.random`. Each split comes out in hash order.
 * `assignSplit` is the streaming variant: one example at a time, proportions only on average.
 * Does no I/O and does not deduplicate: two records with the same id are still two records.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import type { Example, Task } from './example.js';
import { TASKS } from './example.js';
import { classifyTask } from './task.js';

export type SplitName = 'train' | 'validation' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];

export interface SplitRatios {
  train: number;
  validation: number;
  test: number;
}

export const DEFAULT_RATIOS: SplitRatios = { train: 0.8, validation: 0.1, test: 0.1 };
export const DEFAULT_SEED = 42;

/** Tasks with at least this many examples get one in every split with a ratio above zero. */
export const MIN_TASK_SIZE_FOR_ALL_SPLITS = 3;

export interface SplitOptions extends Partial<SplitRatios> {
  seed?: string | number;
  /** How to find an example's task; default `classifyTask` (the example's own label wins). */
  taskOf?: (example: Example) => Task;
}

export interface SplitResult<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/** Ratios from options, defaulted and checked: finite, non-negative, summing to 1 (±1e-6). */
export function resolveRatios(options: Partial<SplitRatios> = {}): SplitRatios {
  const ratios: SplitRatios = {
    train: options.train ?? DEFAULT_RATIOS.train,
    validation: options.validation ?? DEFAULT_RATIOS.validation,
    test: options.test ?? DEFAULT_RATIOS.test,
  };
  for (const name of SPLITS) {
    const r = ratios[name];
    if (!Number.isFinite(r) || r < 0 || r > 1) {
      throw new UsageError(`split ratio ${name}=${r} is not a number between 0 and 1`, {
        hint: 'give ratios such as --train 0.8 --validation 0.1 --test 0.1',
      });
    }
  }
  const sum = ratios.train + ratios.validation + ratios.test;
  if (Math.abs(sum - 1) > 1e-6) {
    throw new UsageError(`split ratios sum to ${round6(sum)}, not 1`, {
      hint: 'make train + validation + test add up to 1, e.g. 0.8 / 0.1 / 0.1',
    });
  }
  return ratios;
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Hex SHA-256 of seed and key: the ordering key. */
export function splitHash(key: string, seed: string | number = DEFAULT_SEED): string {
  return createHash('sha256').update(`${seed}\u0000${key}`).digest('hex');
}

/** A stable key for an example: its id, else a digest of its content. */
export function exampleKey(example: Example): string {
  if (example.id !== undefined && example.id !== '') return `id:${example.id}`;
  const content = JSON.stringify([
    example.kind,
    example.system ?? null,
    example.tools ?? null,
    example.messages,
    example.input ?? null,
    example.chosen ?? null,
    example.rejected ?? null,
  ]);
  return `content:${createHash('sha256').update(content).digest('hex')}`;
}

/**
 * How many examples of each task go to each split. Per task each count is the floor or the
 * ceiling of its exact share, except where the every-split minimum for small tasks forces more
 * (the biggest split gives way). The extra ones are handed out so overall totals sit as close to
 * the ratios as possible. Depends only on the task sizes and ratios, so it is deterministic.
 */
export function allocateSplitCounts(
  sizes: Readonly<Partial<Record<Task, number>>>,
  ratios: SplitRatios = DEFAULT_RATIOS,
): Record<Task, Record<SplitName, number>> {
  const tasks = TASKS.filter((t) => (sizes[t] ?? 0) > 0);
  const total = tasks.reduce((a, t) => a + (sizes[t] ?? 0), 0);
  const lo = new Map<Task, number[]>();
  const hi = new Map<Task, number[]>();
  const frac = new Map<Task, number[]>();
  for (const task of tasks) {
    const n = sizes[task]!;
    const quotas = SPLITS.map((s) => n * ratios[s]);
    const low = quotas.map(Math.floor);
    const high = quotas.map(Math.ceil);
    if (n >= MIN_TASK_SIZE_FOR_ALL_SPLITS) {
      SPLITS.forEach((s, i) => {
        if (ratios[s] > 0) {
          low[i] = Math.max(low[i]!, 1);
          high[i] = Math.max(high[i]!, 1);
        }
      });
    }
    let excess = low.reduce((a, b) => a + b, 0) - n;
    while (excess > 0) {
      // The minimum pushed the row over its size: take from the largest split, pinning it.
      let big = 0;
      for (let i = 1; i < low.length; i++) if (low[i]! > low[big]!) big = i;
      low[big]!--;
      high[big] = low[big]!;
      excess--;
    }
    lo.set(task, low);
    hi.set(task, high);
    frac.set(
      task,
      quotas.map((q, i) => q - low[i]!),
    );
  }
  // Choose which splits get each task's extra one: try every combination (at most 3^5 for five
  // tasks) and keep the one whose totals sit closest to the ratios, then the largest remainders.
  const options = tasks.map((task) => {
    const open = SPLITS.map((_, i) => i).filter((i) => hi.get(task)![i]! > lo.get(task)![i]!);
    const extra = sizes[task]! - lo.get(task)!.reduce((a, b) => a + b, 0);
    return combinations(open, Math.min(extra, open.length));
  });
  let best: { picks: number[][]; deviation: number; remainder: number } | undefined;
  const walk = (row: number, picks: number[][]): void => {
    if (row === tasks.length) {
      const totals = SPLITS.map((_, i) =>
        tasks.reduce((a, t, r) => a + lo.get(t)![i]! + (picks[r]!.includes(i) ? 1 : 0), 0),
      );
      const deviation = totals.reduce((a, n, i) => a + Math.abs(n - total * ratios[SPLITS[i]!]), 0);
      const remainder = picks.reduce((a, p, r) => a + p.reduce((b, i) => b + frac.get(tasks[r]!)![i]!, 0), 0);
      if (
        !best ||
        deviation < best.deviation - 1e-9 ||
        (Math.abs(deviation - best.deviation) <= 1e-9 && remainder > best.remainder + 1e-9)
      ) {
        best = { picks: [...picks], deviation, remainder };
      }
      return;
    }
    for (const pick of options[row]!) walk(row + 1, [...picks, pick]);
  };
  walk(0, []);
  const result = {} as Record<Task, Record<SplitName, number>>;
  tasks.forEach((task, r) => {
    const counts = lo.get(task)!.map((n, i) => n + (best!.picks[r]!.includes(i) ? 1 : 0));
    result[task] = { train: counts[0]!, validation: counts[1]!, test: counts[2]! };
  });
  for (const task of TASKS) result[task] ??= { train: 0, validation: 0, test: 0 };
  return result;
}

/** All `k`-element subsets of `items`, in lexicographic order. */
function combinations(items: readonly number[], k: number): number[][] {
  if (k <= 0) return [[]];
  if (k > items.length) return [];
  const out: number[][] = [];
  items.forEach((first, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([first, ...rest]);
  });
  return out;
}

/** Split examples stratified by task; see the module header for the guarantees. */
export function splitExamples<T extends Example>(
  examples: readonly T[],
  options: SplitOptions = {},
): SplitResult<T> {
  const ratios = resolveRatios(options);
  const seed = options.seed ?? DEFAULT_SEED;
  const taskOf = options.taskOf ?? classifyTask;
  const byTask = new Map<Task, { example: T; hash: string; key: string }[]>();
  for (const example of examples) {
    const key = exampleKey(example);
    const task = taskOf(example);
    let group = byTask.get(task);
    if (!group) byTask.set(task, (group = []));
    group.push({ example, key, hash: splitHash(key, seed) });
  }
  const sizes: Partial<Record<Task, number>> = {};
  for (const [task, group] of byTask) sizes[task] = group.length;
  const counts = allocateSplitCounts(sizes, ratios);
  const tagged: Record<SplitName, { example: T; hash: string; key: string }[]> = {
    train: [],
    validation: [],
    test: [],
  };
  for (const [task, group] of byTask) {
    group.sort(compareEntries);
    const c = counts[task];
    tagged.train.push(...group.slice(0, c.train));
    tagged.validation.push(...group.slice(c.train, c.train + c.validation));
    tagged.test.push(...group.slice(c.train + c.validation));
  }
  const pick = (name: SplitName): T[] => tagged[name].sort(compareEntries).map((e) => e.example);
  return { train: pick('train'), validation: pick('validation'), test: pick('test') };
}

function compareEntries(a: { hash: string; key: string }, b: { hash: string; key: string }): number {
  if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return 0;
}

/**
 * Streaming assignment: the split for one id, from a uniform draw hashed from seed + id. Every
 * task is split in proportion on average (the draw does not depend on the task), but counts are
 * not exact and need not agree with `splitExamples`.
 */
export function assignSplit(id: string, options: Omit<SplitOptions, 'taskOf'> = {}): SplitName {
  const ratios = resolveRatios(options);
  const u = Number.parseInt(splitHash(`id:${id}`, options.seed ?? DEFAULT_SEED).slice(0, 13), 16) / 16 ** 13;
  if (u < ratios.train) return 'train';
  if (u < ratios.train + ratios.validation || ratios.test === 0) return 'validation';
  return 'test';
}
