/** Tests for train.ts: frequent Chinese characters/words become tokens, determinism, id layout, edge cases. */

import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../core/errors.js';
import { toTokenizerJson } from './hf-json.js';
import { sampleShopTexts, seededRandom } from './testing.js';
import { countPieces, trainBpe } from './train.js';

const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];

/** Customer-service word salad: 订 and 单 occur in many words and after many characters. */
function corpus(n: number, seed = 1): string[] {
  const random = seededRandom(seed);
  const words = [
    '订',
    '单',
    '您好',
    '订单',
    '预订',
    '单号',
    '账单',
    '请问',
    '我的',
    '什么',
    '时候',
    '发货',
    '退款',
    '地址',
    '快递',
    '修改',
    '取消',
    '查询',
    '商品',
    '收到',
    '了',
    '吗',
    '，',
    '。',
    '亲',
    'ok',
    '123',
  ];
  return Array.from({ length: n }, () => {
    let s = '';
    for (let k = 3 + Math.floor(random() * 10); k > 0; k--) s += words[Math.floor(random() * words.length)];
    return `${s}<|im_end|>`;
  });
}

describe('trainBpe', () => {
  it('learns frequent Chinese characters and words as single tokens', () => {
    const tok = trainBpe(corpus(3000), { vocabSize: 400, specialTokens: SPECIALS });
    for (const word of ['订', '单', '您好', '订单', '请问']) {
      const id = tok.tokenId(word);
      expect(id, word).toBeDefined();
      expect(tok.encode(word)).toEqual([id]);
    }
    expect(tok.encode('您好请问订单').length).toBeLessThanOrEqual(3);
  });

  it('makes the sample shop frequent words single tokens', () => {
    const tok = trainBpe(sampleShopTexts(0.01), { vocabSize: 1000, specialTokens: SPECIALS });
    for (const word of ['您好', '订单', '退货', '单']) expect(tok.encode(word), word).toHaveLength(1);
  });

  it('is deterministic and independent of text order', () => {
    const texts = corpus(800);
    const a = toTokenizerJson(trainBpe(texts, { vocabSize: 350, specialTokens: SPECIALS }).model);
    const b = toTokenizerJson(trainBpe(texts, { vocabSize: 350, specialTokens: SPECIALS }).model);
    const c = toTokenizerJson(
      trainBpe([...texts].reverse(), { vocabSize: 350, specialTokens: SPECIALS }).model,
    );
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).toBe(JSON.stringify(a));
  });

  it('lays out ids as bytes, merges, then special tokens', () => {
    const tok = trainBpe(corpus(500), { vocabSize: 300, specialTokens: SPECIALS });
    expect(tok.vocabSize).toBe(300);
    expect(tok.tokenId('<|endoftext|>')).toBe(297);
    expect(tok.tokenId('<|im_end|>')).toBe(299);
    expect(tok.tokenId('A')).toBe(65);
    expect(tok.eosId).toBe(299);
    expect(tok.padId).toBe(297);
    expect(tok.bosId).toBeUndefined();
  });

  it('never merges across special tokens and stops at minFrequency', () => {
    const counts = countPieces(['ab<|im_end|>cd'], '\\p{L}+', SPECIALS);
    expect([...counts.keys()]).toEqual(['ab', 'cd']);
    const tok = trainBpe(['aaab', 'aaab'], { vocabSize: 1000, specialTokens: [], minFrequency: 2 });
    expect(tok.vocabSize).toBeLessThan(1000);
    expect(tok.encode('aaab')).toHaveLength(1);
    const rare = trainBpe(['xy'], { vocabSize: 300, specialTokens: [] });
    expect(rare.vocabSize).toBe(256);
  });

  it('gives the same id to two merges that spell the same bytes', () => {
    // 'ab'+'c' and 'a'+'bc' both make "abc"; the vocabulary must stay one id per string.
    const texts = [
      ...Array(5).fill('ab'),
      ...Array(4).fill('abc'),
      ...Array(3).fill('bc'),
      ...Array(3).fill('xbc'),
    ];
    const tok = trainBpe(texts, { vocabSize: 280, specialTokens: [] });
    const ids = [...tok.model.vocab.values()];
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of ['ab', 'abc', 'bc', 'xbc']) expect(tok.decode(tok.encode(t))).toBe(t);
  });

  it('rejects a vocabulary too small for bytes plus specials, and honours abort', () => {
    expect(() => trainBpe([], { vocabSize: 257, specialTokens: SPECIALS })).toThrow(RangeError);
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      trainBpe(corpus(50), { vocabSize: 400, specialTokens: SPECIALS, signal: controller.signal }),
    ).toThrow(AbortedError);
  });
});
