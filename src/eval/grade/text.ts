/**
 * Text matching for rule grading: a reply and a fact are compared after normalising width
 * (full-width digits and letters → ASCII, ￥ → ¥), dropping whitespace and thousands separators,
 * so '¥1,626.70' and '1626.70' match and '雪颜保湿精华 SE36' matches '雪颜保湿精华SE36'. Also the
 * heuristics that spot a reply asking for the order number again or asking to confirm. Pure.
 */
import type { Fact } from '../types.js';

export function normalizeForMatch(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** The spellings of a fact. */
export function spellings(fact: Fact): string[] {
  return typeof fact === 'string' ? [fact] : [...fact];
}

export function containsFact(text: string, fact: Fact): boolean {
  const haystack = normalizeForMatch(text);
  return spellings(fact).some((s) => {
    const needle = normalizeForMatch(s);
    return needle.length > 0 && haystack.includes(needle);
  });
}

/** Order numbers of the sample shop (DD + 14 digits) and of τ-bench (#W + 7 digits). */
export const ORDER_ID_PATTERN = /(?<![\w#])(DD\d{14}|#W\d{7})(?!\d)/g;

export function orderIdsIn(text: string): string[] {
  return text.match(ORDER_ID_PATTERN) ?? [];
}

const ORDER_WORD = /(订单号|订单编号|(?<![运快])单号|哪个订单|哪一单|哪笔订单|哪一笔)/;
const ASKING = /(请(您)?(提供|告诉|发|输入|补充)|是多少|发一下|发我|告诉我|麻烦提供|哪个|哪一|哪笔|[?？])/;

/**
 * Whether the reply asks the customer for an order number: a sentence that mentions an order
 * number and asks (提供/告诉/哪个/？…) without naming one. A reply that names an order the
 * customer already gave is not asking.
 */
export function asksForOrderNumber(text: string, knownOrderIds: readonly string[]): boolean {
  if (knownOrderIds.some((id) => text.includes(id))) return false;
  return text
    .split(/(?<=[。！!～\n？?])/)
    .some(
      (sentence) => ORDER_WORD.test(sentence) && ASKING.test(sentence) && orderIdsIn(sentence).length === 0,
    );
}

const CONFIRM = /(确认|是否|确定|要不要|需要我|可以吗|好吗|回复.{0,4}(是|好|确认))/;

/** Whether the reply asks the customer to confirm something. */
export function asksConfirmation(text: string): boolean {
  return CONFIRM.test(text);
}
