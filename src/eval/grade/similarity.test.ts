import { describe, expect, test } from 'vitest';
import {
  cutSentences,
  lcsLength,
  modifiedPrecision,
  rougeL,
  rougeN,
  rougeWords,
  sentenceBleu4,
  similarityScores,
} from './similarity.js';

const chars = (s: string) => [...s];
const bars = (s: string) => s.split('|');

describe('BLEU-4 as NLTK sentence_bleu with method3 smoothing', () => {
  test('all n-grams match, shorter hypothesis: brevity penalty only', () => {
    // p1..p4 = 5/5, 4/4, 3/3, 2/2; BP = exp(1 - 7/5)
    expect(sentenceBleu4(chars('我的订单已发货'), chars('订单已发货'))).toBeCloseTo(Math.exp(-0.4), 12);
  });

  test('zero 3- and 4-gram matches are smoothed 1/(2^k · count)', () => {
    // p1 = 3/4, p2 = 1/3, p3 = 0/2 → 1/4, p4 = 0/1 → 1/4; BP = 1
    expect(modifiedPrecision(chars('退货七天'), chars('退款七天'), 3)).toEqual({
      numerator: 0,
      denominator: 2,
    });
    expect(sentenceBleu4(chars('退货七天'), chars('退款七天'))).toBeCloseTo((1 / 64) ** 0.25, 12);
  });

  test('no unigram match scores 0, clipped counts', () => {
    expect(sentenceBleu4(chars('退货'), chars('发票'))).toBe(0);
    // "的的的" against "我的": one 的 clipped
    expect(modifiedPrecision(chars('我的'), chars('的的的'), 1)).toEqual({ numerator: 1, denominator: 3 });
  });
});

describe('ROUGE as rouge_chinese', () => {
  test('sentence cutting and word flattening', () => {
    expect(cutSentences('好的。 谢谢！ 再见')).toEqual(['好的。', ' 谢谢！', ' 再见']);
    expect(rougeWords('好的 。 谢谢  ！ 再见')).toEqual(['好的', '。', '谢谢', '！', '再见']);
  });

  test('hand-computed scores', () => {
    const hyp = bars('订单|已经|发货|了');
    const ref = bars('您的|订单|已|发货');
    // unigram sets overlap {订单, 发货}: P = R = 2/4
    expect(rougeN(hyp, ref, 1).f).toBeCloseTo(0.5 / (1 + 1e-8), 12);
    expect(rougeN(hyp, ref, 2).f).toBe(0);
    expect(lcsLength(ref, hyp)).toBe(2);
    expect(rougeL(hyp, ref).p).toBe(0.5);
    // n-grams are sets: a repeated word counts once
    expect(rougeN(bars('好|好|好'), bars('好'), 1)).toMatchObject({ p: 1, r: 1 });
  });
});

describe('LLaMA-Factory ComputeSimilarity', () => {
  test('scores ×100 rounded to 4 decimals, with an injected segmenter', () => {
    const segment = (s: string) =>
      s === '订单已经发货了' ? bars('订单|已经|发货|了') : bars('您的|订单|已|发货');
    const scores = similarityScores('订单已经发货了', '您的订单已发货', segment);
    // BLEU over characters: p = 5/7, 3/6, 1/5, smoothed 1/8; BP = 1 → (1/112)^(1/4)
    expect(scores['bleu-4']).toBe(30.7394);
    expect(scores['rouge-1']).toBe(50);
    expect(scores['rouge-2']).toBe(0);
    expect(scores['rouge-l']).toBe(50);
  });

  test('an empty prediction scores 0 everywhere; jieba runs for real', () => {
    expect(similarityScores('', '您的订单已发货')).toEqual({
      'bleu-4': 0,
      'rouge-1': 0,
      'rouge-2': 0,
      'rouge-l': 0,
    });
    const same = similarityScores('您的订单已经发货了', '您的订单已经发货了');
    expect(same['rouge-1']).toBe(100);
    expect(same['rouge-l']).toBe(100);
    expect(same['bleu-4']).toBe(100);
  });
});
