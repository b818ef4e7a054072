/** Tests for near-duplicates.ts: MinHash determinism and accuracy, LSH index behaviour. */

import { describe, expect, it } from 'vitest';
import { estimateJaccard, MinHasher, NearDuplicateIndex } from './near-duplicates.js';
import { ngramJaccard, normalizeKey } from './normalize.js';

const base =
  '您好，我的订单DD20240315000123三天了还没有发货，请问什么时候能发？我比较着急用，麻烦帮我催一下仓库，谢谢。';

describe('MinHasher', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new MinHasher(64, 3, 1).signature(base)!;
    const b = new MinHasher(64, 3, 1).signature(base)!;
    const c = new MinHasher(64, 3, 2).signature(base)!;
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });

  it('estimates Jaccard similarity within a few points', () => {
    const h = new MinHasher(256, 3, 7);
    const edited = base.replace('三天', '五天').replace('谢谢', '多谢了');
    const truth = ngramJaccard(
      normalizeKey(base).replace(/ /g, ''),
      normalizeKey(edited).replace(/ /g, ''),
      3,
    );
    const est = estimateJaccard(h.signature(base)!, h.signature(edited)!);
    expect(Math.abs(est - truth)).toBeLessThan(0.1);
  });

  it('has no signature for empty text', () => {
    expect(new MinHasher(8, 3, 1).signature('   ')).toBeUndefined();
  });
});

describe('NearDuplicateIndex', () => {
  it('flags small edits and keeps the first of the cluster', () => {
    const idx = new NearDuplicateIndex();
    expect(idx.check('a', base)).toEqual({});
    const hit = idx.check('b', base.replace('谢谢。', '谢谢！'));
    expect(hit.duplicateOf).toBe('a');
    expect(hit.similarity).toBeGreaterThanOrEqual(0.8);
    expect(idx.check('c', base.replace('麻烦', '劳驾')).duplicateOf).toBe('a');
    expect(idx.size).toBe(1);
  });

  it('treats width, spacing and case differences as duplicates', () => {
    const idx = new NearDuplicateIndex();
    idx.check('a', 'iPhone 15 Pro 的电池容量是多少？支持快充吗？');
    expect(idx.check('b', 'ｉＰｈｏｎｅ１５ｐｒｏ的电池容量是多少?支持快充吗?').duplicateOf).toBe('a');
  });

  it('keeps different dialogues on the same topic', () => {
    const idx = new NearDuplicateIndex();
    idx.check('a', base);
    const other = '请问这款XR-2000空气净化器的滤网多久换一次？在哪里可以买到原装滤网？';
    const third = '我的订单DD20240316000999显示已签收，但我没有收到快递，请帮我查一下物流。';
    expect(idx.check('b', other)).toEqual({});
    expect(idx.check('c', third)).toEqual({});
    expect(idx.size).toBe(3);
  });

  it('respects the threshold', () => {
    const edited = `${base.slice(0, 30)}另外我想把收货地址改一下可以吗？`;
    const strict = new NearDuplicateIndex({ threshold: 0.95 });
    strict.check('a', base);
    expect(strict.check('b', edited)).toEqual({});
    const loose = new NearDuplicateIndex({ threshold: 0.2, bands: 32, rowsPerBand: 2 });
    loose.check('a', base);
    expect(loose.check('b', edited).duplicateOf).toBe('a');
  });

  it('never flags or indexes empty text', () => {
    const idx = new NearDuplicateIndex();
    expect(idx.check('a', '')).toEqual({});
    expect(idx.check('b', '')).toEqual({});
    expect(idx.size).toBe(0);
  });

  it('gives the same answers on a second run over the same stream', () => {
    const texts = Array.from({ length: 300 }, (_, i) => `${base.slice(0, 20 + (i % 7) * 5)}${i % 13}号商品`);
    const run = () => {
      const idx = new NearDuplicateIndex();
      return texts.map((t, i) => idx.check(String(i), t).duplicateOf ?? '');
    };
    expect(run()).toEqual(run());
  });

  it('grows past its initial capacity', () => {
    const idx = new NearDuplicateIndex({ bands: 4, rowsPerBand: 2 });
    for (let i = 0; i < 3000; i++) idx.check(String(i), `记录${i * 7919}号：${(i * 104729).toString(36)}`);
    expect(idx.size).toBeGreaterThan(2500);
  });
});
