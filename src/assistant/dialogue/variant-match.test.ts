import { describe, expect, it } from 'vitest';
import type { Product, Variant } from '../../shop/types.js';
import { asksPrice, mentionsValue, variantsNamed } from './variant-match.js';

const variant = (sku: string, options: Record<string, string>, price = 100): Variant => ({
  sku,
  options,
  price,
  stock: 1,
});

const kettle = {
  id: 'p1',
  name: 'Electric Kettle',
  variants: [
    variant('a', { capacity: '1L', material: 'plastic', color: 'silver' }),
    variant('b', { capacity: '1.5L', material: 'plastic', color: 'silver' }),
    variant('c', { capacity: '1.5L', material: 'glass', color: 'white' }),
    variant('d', { capacity: '2L', material: 'stainless steel', color: 'black' }),
  ],
} as unknown as Product;

describe('variantsNamed: the variant a message names by its option values', () => {
  it('finds the one variant whose every value is named, in a Chinese sentence', () => {
    expect(
      variantsNamed(kettle, 'Electric Kettle（1.5L plastic silver）现在卖多少钱').map((v) => v.sku),
    ).toEqual(['b']);
    expect(
      variantsNamed(kettle, '想问下Electric Kettle 2L stainless steel black的售价').map((v) => v.sku),
    ).toEqual(['d']);
  });

  it('lists every variant that fits a partial description, and none for no option named', () => {
    expect(variantsNamed(kettle, 'Electric Kettle 1.5L的多少钱').map((v) => v.sku)).toEqual(['b', 'c']);
    expect(variantsNamed(kettle, 'Electric Kettle多少钱')).toEqual([]);
  });

  it('matches latin values only as whole words', () => {
    expect(mentionsValue('1.5L plastic', '1L')).toBe(false);
    expect(mentionsValue('要XL码', 'L')).toBe(false);
    expect(mentionsValue('要 L 码', 'L')).toBe(true);
    expect(mentionsValue('星光银 46mm', '星光银')).toBe(true);
    expect(mentionsValue('Hiking Boots12 leather', '12')).toBe(true);
    expect(mentionsValue('128GB', '8GB')).toBe(false);
  });

  it('knows a price question', () => {
    expect(asksPrice('这个规格什么价')).toBe(true);
    expect(asksPrice('保修多久')).toBe(false);
  });
});
