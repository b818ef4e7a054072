/**
 * The spec a customer wants an order item exchanged to ("换成L码", "要42码的", a bare "XL"): the
 * option values of the same product's other variants, matched in the message (the longest value
 * wins; latin sizes only as whole words, so "L" is not read inside "XL"; order and tracking numbers
 * are removed first). Returns the item's sku and the options to change, or undefined when the
 * message names none. Pure, over the order's items and their products.
 */
import type { OrderItem, Product } from '../../shop/types.js';

export interface ExchangeSpec {
  sku: string;
  options: Record<string, string>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function mentions(text: string, value: string): boolean {
  const latin = /^[A-Za-z0-9]/.test(value) || /[A-Za-z0-9]$/.test(value);
  if (!latin) return text.includes(value);
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(value)}(?![A-Za-z0-9])`, 'i').test(text);
}

export function exchangeSpec(
  message: string,
  items: readonly { item: OrderItem; product: Product | undefined }[],
): ExchangeSpec | undefined {
  const text = message.normalize('NFKC').replace(/DD\d{14}|#?W\d{7}|[A-Z]{0,2}\d{9,14}(?:CN)?/gi, ' ');
  let best: { spec: ExchangeSpec; length: number } | undefined;
  for (const { item, product } of items) {
    if (!product) continue;
    for (const variant of product.variants) {
      for (const [axis, value] of Object.entries(variant.options)) {
        if (!value || item.options[axis] === value || !mentions(text, value)) continue;
        if (value.length > (best?.length ?? 0))
          best = { spec: { sku: item.sku, options: { [axis]: value } }, length: value.length };
      }
    }
  }
  return best?.spec;
}
