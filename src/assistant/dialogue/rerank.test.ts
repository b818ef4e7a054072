import { describe, expect, it } from 'vitest';
import type { Passage } from '../contracts.js';
import { queryTerms, rerankByOverlap } from './rerank.js';

const passage = (id: string, text: string): Passage => ({
  id,
  text,
  source: `${id}.md`,
  title: id,
  headings: [],
  score: 0.02,
  metadata: {},
});

describe('rerankByOverlap', () => {
  it('puts the passage that repeats the query words first, keeping ties in order', () => {
    const refund = passage('refund', '仓库收到退货并验货通过后1-3个工作日内原路退款。');
    const window = passage('window', '签收后7天内，商品完好的，可申请7天无理由退货。');
    const other = passage('other', '快递客服电话：顺丰 95338。');
    const ranked = rerankByOverlap('收到货后几天之内还能无理由退 签收 天内', [refund, other, window]);
    expect(ranked.map((p) => p.id)).toEqual(['window', 'refund', 'other']);
    expect(rerankByOverlap('完全无关', [refund, other]).map((p) => p.id)).toEqual(['refund', 'other']);
  });

  it('puts a product manual after the policies for a general question', () => {
    const manual = {
      ...passage('manual', '签收后15天内出现质量问题可退可换。'),
      metadata: { productId: 'P1' },
    };
    const policy = passage('policy', '签收后7天内可申请7天无理由退货。');
    expect(rerankByOverlap('退换货规矩 签收', [manual, policy], { general: true }).map((p) => p.id)).toEqual([
      'policy',
      'manual',
    ]);
    expect(rerankByOverlap('15天 签收', [policy, manual]).map((p) => p.id)).toEqual(['manual', 'policy']);
  });

  it('splits Chinese into bigrams and keeps ids and numbers with units whole', () => {
    expect([...queryTerms('退货DD2024，7天')]).toEqual(['DD2024', '7天', '退货']);
  });
});
