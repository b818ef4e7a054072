/**
 * The rest of what a change to a delivered order needs beyond the order (τ-bench's
 * return_delivered_order_items / exchange_delivered_order_items take item ids, new item ids and
 * a payment method): the variant an exchange goes to (the same product with the asked option
 * changed and the other options kept as far as stock allows), the items it covers, and the payment
 * method — the one the customer names ("退到礼品卡", "用PayPal", an id such as gift_card_0000000)
 * among their own, else the order's original one. The tools still check every rule; this only
 * fills their arguments. Pure, over records already read.
 */
import type { Order, OrderItem, Product, Variant } from '../../shop/types.js';
import type { ExchangeSpec } from './exchange-spec.js';

/** The in-stock variant of `product` with `spec`'s options that keeps most of the item's others. */
export function exchangeVariant(item: OrderItem, product: Product, spec: ExchangeSpec): Variant | undefined {
  let best: { variant: Variant; kept: number } | undefined;
  for (const variant of product.variants) {
    if (variant.sku === item.sku || variant.stock <= 0) continue;
    if (Object.entries(spec.options).some(([axis, value]) => variant.options[axis] !== value)) continue;
    const kept = Object.entries(item.options).filter(
      ([axis, value]) => !(axis in spec.options) && variant.options[axis] === value,
    ).length;
    if (kept > (best?.kept ?? -1)) best = { variant, kept };
  }
  return best?.variant;
}

/** Words naming a kind of payment method → τ-bench's `source` of that method. */
const METHOD_WORDS: [RegExp, string][] = [
  [/礼品卡|gift\s*card/i, 'gift_card'],
  [/paypal|贝宝/i, 'paypal'],
  [/信用卡|credit\s*card/i, 'credit_card'],
];

interface PaymentMethodRecord {
  id?: string;
  source?: string;
}

/**
 * The payment method id the message names among the customer's own (an id, or a kind the
 * customer has exactly one of), else the order's original method; undefined for shops without
 * payment-method ids.
 */
export function paymentMethodFor(
  text: string,
  order: { source?: Record<string, unknown> },
  customerSource: Record<string, unknown> | undefined,
): string | undefined {
  const methods = Object.values(
    (customerSource?.payment_methods as Record<string, PaymentMethodRecord> | undefined) ?? {},
  ).filter((m): m is Required<PaymentMethodRecord> => typeof m?.id === 'string');
  const byId = methods.find((m) => text.includes(m.id));
  if (byId) return byId.id;
  for (const [pattern, source] of METHOD_WORDS) {
    if (!pattern.test(text)) continue;
    const ofKind = methods.filter((m) => m.source === source);
    if (ofKind.length === 1) return ofKind[0]!.id;
  }
  const history = (order.source?.payment_history as { payment_method_id?: string }[] | undefined) ?? [];
  return history[0]?.payment_method_id;
}

/** Slots for the change tools: payment method, and for an exchange the items and their targets. */
export function exchangeSlots(
  spec: ExchangeSpec | undefined,
  items: readonly { item: OrderItem; product: Product | undefined }[],
  order: Order & { source?: Record<string, unknown> },
  customer: { source?: Record<string, unknown> } | undefined,
  text: string,
): Record<string, unknown> {
  const slots: Record<string, unknown> = { paymentMethodId: paymentMethodFor(text, order, customer?.source) };
  if (!spec) return slots;
  const chosen = items.find((x) => x.item.sku === spec.sku);
  const target = chosen?.product ? exchangeVariant(chosen.item, chosen.product, spec) : undefined;
  if (target) Object.assign(slots, { skus: [spec.sku], newItemIds: [target.sku] });
  return slots;
}
