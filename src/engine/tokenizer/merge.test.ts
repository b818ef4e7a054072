/** Tests for merge.ts: the scan and heap merge orders agree; lowest rank, leftmost first. */

import { describe, expect, it } from 'vitest';
import { LONG_PIECE, mergeLong, mergeShort, mergeSymbols } from './merge.js';
import { seededRandom } from './testing.js';

/** A random but well-formed merge table over a few symbols: rank r makes id 10 + r. */
function table(seed: number) {
  const random = seededRandom(seed);
  const pairs = new Map<string, number>();
  let next = 10;
  const ids = [0, 1, 2, 3];
  for (let r = 0; r < 40; r++) {
    const a = ids[Math.floor(random() * ids.length)]!;
    const b = ids[Math.floor(random() * ids.length)]!;
    if (pairs.has(`${a},${b}`)) continue;
    pairs.set(`${a},${b}`, next - 10);
    ids.push(next++);
  }
  return {
    rankOf: (a: number, b: number) => pairs.get(`${a},${b}`) ?? Infinity,
    mergedId: (rank: number) => 10 + rank,
    random,
  };
}

describe('mergeSymbols', () => {
  it('gives the same result with the scan and the heap, short and long', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { rankOf, mergedId, random } = table(seed);
      for (const n of [0, 1, 2, 5, 17, LONG_PIECE + 50, 700]) {
        const ids = Array.from({ length: n }, () => Math.floor(random() * 4));
        const expected = mergeShort([...ids], rankOf, mergedId);
        expect(mergeLong([...ids], rankOf, mergedId)).toEqual(expected);
        expect(mergeSymbols([...ids], rankOf, mergedId)).toEqual(expected);
      }
    }
  });

  it('merges the lowest rank first, leftmost on ties', () => {
    // a b → x (rank 0), b b → y (rank 1): "a b b" → [x, b]; "b b b" → [y, b].
    const rankOf = (l: number, r: number) => (l === 0 && r === 1 ? 0 : l === 1 && r === 1 ? 1 : Infinity);
    const mergedId = (rank: number) => (rank === 0 ? 7 : 8);
    expect(mergeShort([0, 1, 1], rankOf, mergedId)).toEqual([7, 1]);
    expect(mergeLong([1, 1, 1], rankOf, mergedId)).toEqual([8, 1]);
  });
});
