/**
 * Which variants of a product a message names by their option values ("Electric Kettle（1.5L
 * plastic silver）", "Watch 9 星光银 46mm"): each variant scores the option values of its own the
 * message mentions (latin values only as whole words, so "1L" is not read inside "1.5L" and "L"
 * not inside "XL", though a number may follow a word: "Boots12"); the best score wins, and among equals a variant all of whose values were named
 * goes first. Works on any shop's option names and values, in any language. Also whether a
 * message asks for a price. Pure.
 */
import type { Product, Variant } from '../../shop/types.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` mentions the option value `value` (case-insensitive; latin as whole words). */
export function mentionsValue(text: string, value: string): boolean {
  const v = value.trim();
  if (!v) return false;
  const latinStart = /^[A-Za-z0-9]/.test(v);
  const latinEnd = /[A-Za-z0-9]$/.test(v);
  if (!latinStart && !latinEnd) return text.includes(v);
  // A number may follow a word directly ("Boots12"); a word may not continue another word.
  const before = !latinStart ? '' : /^\d/.test(v) ? '(?<![0-9.])' : '(?<![A-Za-z0-9])';
  const after = latinEnd ? '(?![A-Za-z0-9]|\\.\\d)' : '';
  return new RegExp(`${before}${escapeRegExp(v)}${after}`, 'i').test(text);
}

/** Words asking what something costs. */
const PRICE_ASK = /多少钱|价格|价钱|售价|什么价|啥价|卖多少|几块|多少刀|多少美元|price|cost|how much/i;

export function asksPrice(text: string): boolean {
  return PRICE_ASK.test(text.normalize('NFKC'));
}

/**
 * The variants of `product` the message names, best first; [] when it names no option value of
 * any variant.
 */
export function variantsNamed(product: Product, message: string): Variant[] {
  const text = message.normalize('NFKC');
  const scored = product.variants.map((variant) => {
    const values = Object.values(variant.options).filter(Boolean);
    const named = values.filter((v) => mentionsValue(text, v)).length;
    return { variant, named, complete: values.length > 0 && named === values.length };
  });
  const best = Math.max(0, ...scored.map((s) => s.named));
  if (best === 0) return [];
  const top = scored.filter((s) => s.named === best);
  const complete = top.filter((s) => s.complete);
  return (complete.length ? complete : top).map((s) => s.variant);
}
