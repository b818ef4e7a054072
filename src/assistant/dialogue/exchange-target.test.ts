import { describe, expect, it } from 'vitest';
import type { Order, OrderItem, Product, Variant } from '../../shop/types.js';
import { exchangeSlots, exchangeVariant, paymentMethodFor } from './exchange-target.js';

const v = (sku: string, options: Record<string, string>, stock = 1): Variant => ({
  sku,
  options,
  price: 1,
  stock,
});
const boots = {
  id: 'p',
  name: 'Hiking Boots',
  variants: [
    v('10-leather', { size: '10', material: 'leather' }),
    v('11-leather', { size: '11', material: 'leather' }),
    v('11-synthetic', { size: '11', material: 'synthetic' }),
    v('12-leather', { size: '12', material: 'leather' }, 0),
  ],
} as unknown as Product;
const item: OrderItem = {
  sku: '10-leather',
  productId: 'p',
  name: 'Hiking Boots',
  options: { size: '10', material: 'leather' },
  quantity: 1,
  unitPrice: 1,
};
const order = {
  id: '#W1',
  items: [item],
  source: { payment_history: [{ payment_method_id: 'credit_card_1' }] },
} as unknown as Order & { source: Record<string, unknown> };
const user = {
  payment_methods: {
    credit_card_1: { id: 'credit_card_1', source: 'credit_card' },
    gift_card_2: { id: 'gift_card_2', source: 'gift_card' },
  },
};

describe('exchange target and payment method for a change tool', () => {
  it('keeps the other options of the item and skips variants out of stock', () => {
    expect(exchangeVariant(item, boots, { sku: item.sku, options: { size: '11' } })?.sku).toBe('11-leather');
    expect(exchangeVariant(item, boots, { sku: item.sku, options: { size: '12' } })).toBeUndefined();
  });

  it('takes the payment method the customer names, else the original one', () => {
    expect(paymentMethodFor('退到礼品卡吧', order, user)).toBe('gift_card_2');
    expect(paymentMethodFor('用 gift_card_2', order, user)).toBe('gift_card_2');
    expect(paymentMethodFor('帮我退货', order, user)).toBe('credit_card_1');
    expect(paymentMethodFor('帮我退货', { source: {} }, undefined)).toBeUndefined();
  });

  it('fills item ids and new item ids for an exchange', () => {
    const slots = exchangeSlots(
      { sku: item.sku, options: { size: '11' } },
      [{ item, product: boots }],
      order,
      { source: user },
      '换成11',
    );
    expect(slots).toEqual({
      paymentMethodId: 'credit_card_1',
      skus: ['10-leather'],
      newItemIds: ['11-leather'],
    });
  });
});
