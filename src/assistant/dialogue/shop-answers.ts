/**
 * What the dialogue manager reads from the order book to answer or to act, apart from the tools:
 * the arguments a return or exchange needs (the order's items, the exchange target, the payment
 * method: ./exchange-target.ts), the price of the variants a product question names
 * (./variant-match.ts), and the shop's stated rules a rule question asks about
 * (./policy-facts.ts). Reads only the authenticated customer's own order; changes nothing.
 */
import type { OrderBookReader } from '../../shop/order-book.js';
import { yuan } from '../../shop/sample/format.js';
import { moneyOf } from '../tools/facts.js';
import type { Intent } from '../understanding/intent.js';
import { exchangeSpec } from './exchange-spec.js';
import { exchangeSlots } from './exchange-target.js';
import { type PolicyLine, policyLines } from './policy-facts.js';
import { variantsNamed } from './variant-match.js';

/**
 * The items of the customer's own order (a return covers them all unless the tool narrows it),
 * for an exchange the item and spec the message asks for (./exchange-spec.ts) and the variant it
 * goes to, and the payment method; {} for an order that is not the customer's.
 */
export async function changeSlots(
  book: OrderBookReader,
  intent: Intent,
  orderId: string | undefined,
  customerId: string,
  text: string,
): Promise<Record<string, unknown>> {
  const order = orderId ? await book.order(orderId) : undefined;
  if (!order || order.customerId !== customerId) return {};
  const items = await Promise.all(
    order.items.map(async (item) => ({ item, product: await book.product(item.productId) })),
  );
  const spec = exchangeSpec(text, items);
  const customer = await book.customer(customerId);
  return {
    skus: order.items.map((i) => i.sku),
    sku: spec?.sku ?? order.items[0]?.sku,
    ...(spec ? { options: spec.options } : {}),
    ...exchangeSlots(intent === 'exchange' ? spec : undefined, items, order, customer, text),
  };
}

/** The price (and stock) of the variants of `productId` the message names, or undefined. */
export async function variantPriceAnswer(
  book: OrderBookReader,
  templates: {
    variantPrices(
      name: string,
      rows: { options: string; price: string; inStock: boolean }[],
      total: number,
    ): string;
  },
  productId: string,
  text: string,
): Promise<string | undefined> {
  const product = await book.product(productId);
  if (!product) return undefined;
  const named = variantsNamed(product, text);
  if (!named.length) return undefined;
  const info = await book.info().catch(() => undefined);
  const money = info ? moneyOf(info) : yuan;
  const rows = named.slice(0, 4).map((v) => ({
    options: Object.values(v.options).join(' ') || '默认款',
    price: money(v.price),
    inStock: v.stock > 0,
  }));
  return templates.variantPrices(product.name, rows, named.length);
}

/** The shop's stated rules (or "not stated") the question asks about; [] when it asks about none. */
export async function statedRules(book: OrderBookReader, text: string): Promise<PolicyLine[]> {
  const info = await book.info().catch(() => undefined);
  return info ? policyLines(info.policy, text, moneyOf(info)) : [];
}
