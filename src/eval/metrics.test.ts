import { describe, expect, test } from 'vitest';
import { choose, latencySummary, passHatK, passHatSeries, percentile, rate } from './metrics.js';
import { stratifiedSample } from './run/runner.js';

describe('percentile', () => {
  test('interpolates between closest ranks like numpy', () => {
    const v = [10, 20, 30, 40, 50];
    expect(percentile(v, 0)).toBe(10);
    expect(percentile(v, 50)).toBe(30);
    expect(percentile(v, 100)).toBe(50);
    // rank = 0.95 * 4 = 3.8 → 40 + 0.8 * 10
    expect(percentile(v, 95)).toBeCloseTo(48, 10);
    // rank = 0.99 * 4 = 3.96
    expect(percentile([50, 10, 40, 30, 20], 99)).toBeCloseTo(49.6, 10);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  test('latency summary of 1..100', () => {
    const s = latencySummary(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(s.count).toBe(100);
    expect(s.mean).toBe(50.5);
    expect(s.p50).toBeCloseTo(50.5, 10);
    expect(s.p95).toBeCloseTo(95.05, 10);
    expect(s.p99).toBeCloseTo(99.01, 10);
    expect(s.max).toBe(100);
  });
});

describe('pass^k', () => {
  test('choose', () => {
    expect(choose(5, 2)).toBe(10);
    expect(choose(4, 4)).toBe(1);
    expect(choose(2, 3)).toBe(0);
  });

  test('matches τ-bench: mean over tasks of C(c,k)/C(n,k)', () => {
    const trials = [
      [true, true, true, true], // c=4
      [true, true, false, false], // c=2
      [false, false, false, false], // c=0
    ];
    expect(passHatK(trials, 1)).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    // k=2: 1, C(2,2)/C(4,2)=1/6, 0
    expect(passHatK(trials, 2)).toBeCloseTo((1 + 1 / 6) / 3, 12);
    // k=4: only the always-passing task counts fully
    expect(passHatK(trials, 4)).toBeCloseTo(1 / 3, 12);
    const series = passHatSeries(trials, 3);
    expect(Object.keys(series)).toEqual(['pass^1', 'pass^2', 'pass^3']);
    expect(series['pass^3']).toBeLessThanOrEqual(series['pass^2'] as number);
  });

  test('tasks with fewer trials than k are left out', () => {
    expect(passHatK([[true]], 2)).toBeNaN();
    expect(passHatK([[true], [true, false]], 2)).toBe(0);
  });

  test('rate', () => {
    expect(rate(3, 4)).toBe(0.75);
    expect(rate(0, 0)).toBeNaN();
  });
});

describe('stratified limit', () => {
  test('takes from every group in turn, keeping order inside a group', () => {
    const items = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'];
    expect(stratifiedSample(items, 4, (x) => x[0] as string)).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(stratifiedSample(items, 10, (x) => x[0] as string)).toHaveLength(6);
  });
});
