import { describe, expect, it } from 'vitest';
import type { Example, Message } from './example.js';
import {
  charLength,
  cleanSummaryProblems,
  DatasetStats,
  emptyCleanSummary,
  LengthDistribution,
} from './stats.js';

function dialogue(pairs: [string, string][], extra: Partial<Example> = {}): Example {
  const messages: Message[] = pairs.flatMap(([user, assistant]) => [
    { role: 'user' as const, content: user },
    { role: 'assistant' as const, content: assistant },
  ]);
  return { kind: 'sft', messages, ...extra };
}

/** Five hand-made records; the expected numbers below are worked out by hand. */
const examples: Example[] = [
  dialogue([['我的快递到哪了', '亲，已经在派送中了']], { system: '你是客服' }), // shipping, 1 turn
  dialogue([
    ['你好', '您好'],
    ['这件有货吗', '有的'],
  ]), // product, 2 turns
  {
    kind: 'preference',
    messages: [{ role: 'user', content: '我要退款' }],
    chosen: '好的，马上为您处理',
    rejected: '不行',
    tools: '[{"name":"lookup_order"}]',
  }, // after_sales, 1 turn
  dialogue(
    [
      ['a'.repeat(10), 'ok'],
      ['a'.repeat(20), 'ok'],
      ['a'.repeat(30), 'ok'],
      ['a'.repeat(40), 'ok'],
    ],
    { task: 'order', input: 'DD123' },
  ), // order (labelled), 4 turns
  dialogue([
    ['hi', 'xxx'],
    ['hi', 'xxx'],
    ['hi', 'xxx'],
    ['hi', 'x'.repeat(5000)],
    ['hi', 'xxx'],
    ['hi', 'xxx'],
  ]), // other, 6 turns
];

describe('DatasetStats', () => {
  const report = new DatasetStats().addAll(examples).toJSON();

  it('counts kinds and tasks', () => {
    expect(report.total).toBe(5);
    expect(report.byKind).toEqual({ sft: 4, preference: 1 });
    expect(report.byTask).toEqual({ order: 1, shipping: 1, after_sales: 1, product: 1, other: 1 });
  });

  it('buckets user turns per dialogue', () => {
    expect(report.turns.histogram.map((b) => [b.label, b.count])).toEqual([
      ['1', 2],
      ['2', 1],
      ['3', 0],
      ['4-5', 1],
      ['6+', 1],
    ]);
    expect(report.turns.histogram[3]).toMatchObject({ min: 4, max: 5 });
    expect(report.turns.histogram[4]).toMatchObject({ min: 6, max: null });
    expect(report.turns.multiTurn).toBe(3);
    expect(report.turns.multiTurnShare).toBe(0.6);
    expect(report.turns.mean).toBe(2.8);
    expect(report.turns.max).toBe(6);
  });

  it('computes user length percentiles by nearest rank', () => {
    // sorted: 2 ×7, 4, 5, 7, 10, 20, 30, 40
    const { histogram, ...user } = report.lengths.user;
    expect(user).toEqual({ count: 14, min: 2, p50: 2, p90: 30, p99: 40, max: 40, mean: 9.3 });
    expect(histogram.filter((b) => b.count > 0).map((b) => [b.label, b.count])).toEqual([
      ['0-9', 10],
      ['10-19', 1],
      ['20-49', 3],
    ]);
  });

  it('counts chosen and rejected as assistant text', () => {
    // sorted: 2 ×7, 3 ×5, 9, 9, 5000
    const { histogram, ...assistant } = report.lengths.assistant;
    expect(assistant).toEqual({ count: 15, min: 2, p50: 3, p90: 9, p99: 5000, max: 5000, mean: 336.5 });
    expect(histogram.at(-1)).toEqual({ label: '2000+', min: 2000, max: null, count: 1 });
    expect(histogram.reduce((a, b) => a + b.count, 0)).toBe(15);
  });

  it('counts system prompts, tools and input', () => {
    expect(report.with).toEqual({ system: 1, tools: 1, input: 1 });
    expect(report.shares).toEqual({ system: 0.2, tools: 0.2, input: 0.2 });
  });

  it('is all zeros when empty, and JSON-serialisable', () => {
    const empty = new DatasetStats().toJSON();
    expect(empty.total).toBe(0);
    expect(empty.turns.multiTurnShare).toBe(0);
    expect(empty.lengths.user).toMatchObject({ count: 0, min: 0, p50: 0, max: 0, mean: 0 });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('accepts a custom classifier', () => {
    const stats = new DatasetStats({ classify: () => 'product' }).addAll(examples).toJSON();
    expect(stats.byTask.product).toBe(5);
  });
});

describe('LengthDistribution', () => {
  it('is exact for small values', () => {
    const d = new LengthDistribution();
    for (let v = 1; v <= 100; v++) d.add(v);
    expect(d.toJSON()).toMatchObject({ count: 100, min: 1, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
  });

  it('stays within 1% for long values', () => {
    const d = new LengthDistribution();
    for (let v = 1; v <= 200_000; v++) d.add(v);
    const json = d.toJSON();
    expect(Math.abs(json.p50 - 100_000) / 100_000).toBeLessThan(0.01);
    expect(Math.abs(json.p90 - 180_000) / 180_000).toBeLessThan(0.01);
    expect(Math.abs(json.p99 - 198_000) / 198_000).toBeLessThan(0.01);
    expect(json.max).toBe(200_000);
  });
});

describe('charLength', () => {
  it('counts code points', () => {
    expect(charLength('a中')).toBe(2);
    expect(charLength('😀ok')).toBe(3);
    expect(charLength('')).toBe(0);
  });
});

describe('CleanSummary', () => {
  it('reports inconsistent counts', () => {
    expect(cleanSummaryProblems(emptyCleanSummary())).toEqual([]);
    const ok = {
      processed: 10,
      kept: 7,
      dropped: 3,
      reasons: { 'duplicate.exact': 2, 'ad.url': 1 },
      masked: { phone: 4 },
    };
    expect(cleanSummaryProblems(ok)).toEqual([]);
    expect(cleanSummaryProblems({ ...ok, kept: 8 })).toHaveLength(1);
    expect(cleanSummaryProblems({ ...ok, reasons: { 'ad.url': 1 } })).toHaveLength(1);
    // one record can count under several codes; pii.* codes are informational
    expect(
      cleanSummaryProblems({ ...ok, reasons: { 'ad.url': 3, 'junk.mojibake': 1, 'pii.phone': 9 } }),
    ).toEqual([]);
    expect(cleanSummaryProblems({ ...ok, reasons: { 'ad.url': 4 } })).toHaveLength(1);
  });
});
