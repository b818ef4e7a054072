import { describe, expect, it } from 'vitest';
import { CUSTOMER_SERVICE_SYNONYMS, EXPANSION_WEIGHT, expansionFor } from './query-expansion.js';
import { lexicalQuery } from './retriever.js';

describe('customer-service query expansion', () => {
  it('adds the documents’ words for colloquial cues, each entry once', () => {
    expect(expansionFor('东西坏了怎么处理')).toContain('质量问题');
    expect(expansionFor('钱什么时候退回来')).toContain('退款');
    expect(expansionFor('公司要开专票')).toContain('增值税专用发票');
    expect(expansionFor('ＳＨＩＰ了吗')).toContain('发货'); // NFKC + lower case
    expect(expansionFor('坏了坏了')).toBe(expansionFor('坏了'));
    expect(expansionFor('你好')).toBe('');
  });

  it('the BM25 query keeps the customer’s words at weight 1 and adds the rest at a lower weight', () => {
    const terms = lexicalQuery('东西坏了', expansionFor('东西坏了'));
    expect(terms).toContainEqual({ term: '东西', weight: 1 });
    expect(terms).toContainEqual({ term: '质量', weight: EXPANSION_WEIGHT });
    expect(new Set(terms.map((t) => t.term)).size).toBe(terms.length);
  });

  it('every entry has cues and words to add', () => {
    for (const entry of CUSTOMER_SERVICE_SYNONYMS) {
      expect(entry.cues.length).toBeGreaterThan(0);
      expect(entry.adds.trim()).not.toBe('');
    }
  });
});
