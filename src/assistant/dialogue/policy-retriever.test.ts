import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopStore } from '../../shop/store/shop-store.js';
import { sampleBook } from '../sample-order-book.js';
import { PolicyRetriever } from './policy-retriever.js';

let book: ShopStore;
beforeAll(async () => {
  ({ book } = await sampleBook());
});
afterAll(() => book?.close());

describe('PolicyRetriever over the shop’s policy documents', () => {
  it.each([
    ['退货政策是怎样的', /7天无理由退货/],
    ['可以开发票吗', /发票/],
    ['换货要怎么弄', /换货|可退可换/],
    ['运费怎么算', /包邮/],
  ])('%s', async (query, expected) => {
    const passages = await new PolicyRetriever(book).retrieve(query, { limit: 3 });
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.map((p) => p.text).join('\n')).toMatch(expected);
    expect(passages[0]!.source).toMatch(/^policies\//);
  });

  it('finds nothing for a question no policy covers', async () => {
    expect(await new PolicyRetriever(book).retrieve('今天天气怎么样')).toEqual([]);
  });
});
