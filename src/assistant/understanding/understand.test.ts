import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopStore } from '../../shop/store/shop-store.js';
import type { Shop } from '../../shop/types.js';
import { sampleBook } from '../sample-order-book.js';
import { ProductMatcher, understand } from './understand.js';

let book: ShopStore;
let shop: Shop;
beforeAll(async () => {
  ({ book, shop } = await sampleBook());
});
afterAll(() => book?.close());

describe('understand', () => {
  it('finds the product a message names by name, model code or id', async () => {
    const product = shop.products[3]!;
    const matcher = new ProductMatcher(book);
    for (const text of [`${product.name}有货吗`, `${product.model} 的参数`, `${product.id}怎么用`]) {
      const u = await understand(matcher, text);
      expect(u.productId).toBe(product.id);
      expect(u.task).toBe('product');
    }
  });

  it('leaves the product out when none is named', async () => {
    const u = await understand(new ProductMatcher(book), '我的订单DD20240315521468到哪了');
    expect(u.productId).toBeUndefined();
    expect(u).toMatchObject({ task: 'shipping', intent: 'shipping_track' });
    expect(u.slots.orderIds).toEqual(['DD20240315521468']);
  });
});
