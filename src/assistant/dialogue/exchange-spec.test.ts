import { describe, expect, it } from 'vitest';
import type { OrderItem, Product } from '../../shop/types.js';
import { exchangeSpec } from './exchange-spec.js';

const variant = (sku: string, size: string) => ({
  sku,
  options: { 颜色: '黑色', 尺码: size },
  price: 100,
  stock: 5,
});
const product = {
  id: 'P1',
  variants: [variant('S1', 'L'), variant('S2', 'XL'), variant('S3', 'M')],
} as unknown as Product;
const item: OrderItem = {
  sku: 'S3',
  productId: 'P1',
  name: 'T恤',
  options: { 颜色: '黑色', 尺码: 'M' },
  quantity: 1,
  unitPrice: 100,
};

describe('exchangeSpec', () => {
  it('finds the size the customer names, as a whole word', () => {
    expect(exchangeSpec('换成XL吧', [{ item, product }])).toEqual({ sku: 'S3', options: { 尺码: 'XL' } });
    expect(exchangeSpec('L', [{ item, product }])).toEqual({ sku: 'S3', options: { 尺码: 'L' } });
  });

  it('ignores the current spec, order numbers and messages naming no spec', () => {
    expect(exchangeSpec('我穿M偏小', [{ item, product }])).toBeUndefined();
    expect(exchangeSpec('订单号DD20240620658929', [{ item, product }])).toBeUndefined();
    expect(exchangeSpec('我要换货', [{ item, product: undefined }])).toBeUndefined();
  });
});
