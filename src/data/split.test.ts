import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { Example, Task } from './example.js';
import { TASKS } from './example.js';
import {
  allocateSplitCounts,
  assignSplit,
  SPLITS,
  type SplitName,
  type SplitResult,
  splitExamples,
} from './split.js';

function make(task: Task, n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'sft' as const,
    id: `${task}-${i}`,
    task,
    messages: [
      { role: 'user' as const, content: `q ${task} ${i}` },
      { role: 'assistant' as const, content: 'a' },
    ],
  }));
}

const sizes: Record<Task, number> = { order: 101, shipping: 53, after_sales: 27, product: 7, other: 3 };
const dataset = TASKS.flatMap((t) => make(t, sizes[t]));
const ids = (examples: readonly Example[]): string[] => examples.map((e) => e.id!);

/** A deterministic shuffle (LCG) so tests do not depend on Math.random. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function countByTask(result: SplitResult<Example>): Record<Task, Record<SplitName, number>> {
  const counts = Object.fromEntries(TASKS.map((t) => [t, { train: 0, validation: 0, test: 0 }])) as Record<
    Task,
    Record<SplitName, number>
  >;
  for (const name of SPLITS) for (const e of result[name]) counts[e.task!]![name]!++;
  return counts;
}

describe('splitExamples', () => {
  const result = splitExamples(dataset, { seed: 7 });

  it('splits each task in proportion (±1) and totals follow the ratios', () => {
    const counts = countByTask(result);
    const ratios = { train: 0.8, validation: 0.1, test: 0.1 };
    for (const task of ['order', 'shipping', 'after_sales'] as Task[]) {
      for (const name of SPLITS) {
        expect(Math.abs(counts[task]![name]! - sizes[task] * ratios[name])).toBeLessThanOrEqual(1);
      }
    }
    const total = dataset.length;
    for (const name of SPLITS) {
      expect(Math.abs(result[name].length - total * ratios[name])).toBeLessThanOrEqual(1);
    }
  });

  it('puts every task with 3+ examples in every split', () => {
    const counts = countByTask(result);
    for (const task of TASKS) for (const name of SPLITS) expect(counts[task]![name]).toBeGreaterThan(0);
    expect(counts.other).toEqual({ train: 1, validation: 1, test: 1 });
  });

  it('does not leak: splits are disjoint and together are the input', () => {
    const all = [...ids(result.train), ...ids(result.validation), ...ids(result.test)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(ids(dataset).sort());
  });

  it('is deterministic and independent of input order', () => {
    const again = splitExamples(dataset, { seed: 7 });
    const reordered = splitExamples(shuffled(dataset, 99), { seed: 7 });
    const reversed = splitExamples([...dataset].reverse(), { seed: 7 });
    for (const name of SPLITS) {
      expect(ids(again[name])).toEqual(ids(result[name]));
      expect(ids(reordered[name])).toEqual(ids(result[name]));
      expect(ids(reversed[name])).toEqual(ids(result[name]));
    }
  });

  it('changes with the seed', () => {
    const other = splitExamples(dataset, { seed: 8 });
    expect(ids(other.test).sort()).not.toEqual(ids(result.test).sort());
    expect(other.test.length).toBe(result.test.length);
  });

  it('works without ids, by content', () => {
    const anonymous = dataset.map(({ id: _id, ...rest }) => rest);
    const a = splitExamples(anonymous, { seed: 1 });
    const b = splitExamples(shuffled(anonymous, 5), { seed: 1 });
    for (const name of SPLITS) expect(b[name]).toEqual(a[name]);
  });

  it('honours custom ratios, including zero', () => {
    const noTest = splitExamples(dataset, { train: 0.9, validation: 0.1, test: 0, seed: 1 });
    expect(noTest.test).toEqual([]);
    expect(noTest.train.length + noTest.validation.length).toBe(dataset.length);
    const half = splitExamples(make('order', 10), { train: 0.5, validation: 0.25, test: 0.25 });
    expect([half.train.length, half.validation.length, half.test.length].sort()).toEqual([2, 3, 5]);
  });

  it('classifies examples without a task label', () => {
    const unlabelled = make('order', 20).map(({ task: _t, ...e }) => ({ ...e, messages: e.messages }));
    const r = splitExamples(unlabelled);
    expect(r.train.length + r.validation.length + r.test.length).toBe(20);
  });

  it('handles an empty input', () => {
    expect(splitExamples([])).toEqual({ train: [], validation: [], test: [] });
  });

  it('rejects bad ratios with a usage error', () => {
    expect(() => splitExamples(dataset, { train: 0.8, validation: 0.1, test: 0.2 })).toThrow(UsageError);
    expect(() => splitExamples(dataset, { train: -0.1, validation: 0.6, test: 0.5 })).toThrow(UsageError);
    expect(() => splitExamples(dataset, { train: Number.NaN })).toThrow(UsageError);
  });
});

describe('allocateSplitCounts', () => {
  it('gives tiny tasks one per split and never loses examples', () => {
    expect(allocateSplitCounts({ other: 3 }).other).toEqual({ train: 1, validation: 1, test: 1 });
    expect(allocateSplitCounts({ other: 4 }).other).toEqual({ train: 2, validation: 1, test: 1 });
    const two = allocateSplitCounts({ product: 2 }).product;
    expect(two.train + two.validation + two.test).toBe(2);
    expect(allocateSplitCounts({}).order).toEqual({ train: 0, validation: 0, test: 0 });
  });

  it('keeps rows exact, cells within ±1 and totals within ±1 on many random sizes', () => {
    let s = 12345;
    const next = (max: number): number => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % max;
    };
    for (let round = 0; round < 300; round++) {
      const sz = Object.fromEntries(TASKS.map((t) => [t, 10 + next(500)])) as Record<Task, number>;
      const ratios = { train: 0.7, validation: 0.2, test: 0.1 };
      const counts = allocateSplitCounts(sz, ratios);
      const total = TASKS.reduce((a, t) => a + sz[t], 0);
      for (const task of TASKS) {
        const c = counts[task];
        expect(c.train + c.validation + c.test).toBe(sz[task]);
        for (const name of SPLITS) expect(Math.abs(c[name] - sz[task] * ratios[name])).toBeLessThan(1);
      }
      for (const name of SPLITS) {
        const got = TASKS.reduce((a, t) => a + counts[t][name], 0);
        expect(Math.abs(got - total * ratios[name])).toBeLessThan(1);
      }
    }
  });

  it('keeps small tasks in every split on random small sizes', () => {
    let s = 777;
    const next = (max: number): number => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % max;
    };
    for (let round = 0; round < 300; round++) {
      const sz = Object.fromEntries(TASKS.map((t) => [t, next(12)])) as Record<Task, number>;
      const counts = allocateSplitCounts(sz);
      for (const task of TASKS) {
        const c = counts[task];
        expect(c.train + c.validation + c.test).toBe(sz[task]);
        if (sz[task] >= 3) for (const name of SPLITS) expect(c[name]).toBeGreaterThan(0);
      }
    }
  });
});

describe('assignSplit', () => {
  it('is deterministic and roughly proportional', () => {
    const tally = { train: 0, validation: 0, test: 0 };
    for (let i = 0; i < 10_000; i++) tally[assignSplit(`id-${i}`, { seed: 3 })]++;
    expect(tally.train / 10_000).toBeCloseTo(0.8, 1);
    expect(tally.validation / 10_000).toBeCloseTo(0.1, 1);
    expect(tally.test / 10_000).toBeCloseTo(0.1, 1);
    expect(assignSplit('abc', { seed: 3 })).toBe(assignSplit('abc', { seed: 3 }));
    expect(assignSplit('abc', { train: 1, validation: 0, test: 0 })).toBe('train');
  });
});
