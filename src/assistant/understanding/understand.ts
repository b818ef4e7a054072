/**
 * One customer message understood: slots (./slots.ts), task and intent (./intent.ts), and the
 * product it names, looked up in the order book by id, model code or name (products are shop
 * data every customer may see). Does not carry state across turns (the policy resolves references).
 */
import type { Task } from '../../data/example.js';
import type { OrderBookReader } from '../../shop/order-book.js';
import { classifyIntent, type Intent } from './intent.js';
import { extractSlots, type Slots } from './slots.js';

export interface Understanding {
  text: string;
  task: Task;
  intent: Intent;
  slots: Slots;
  /** The product the message names, when one matched. */
  productId?: string;
}

/**
 * The catalogue's names and model codes, loaded once (searchProducts with no filter), matched as
 * substrings of the message: the longest match wins ("云帆变频空调 KF-42GW" over "空调").
 */
export class ProductMatcher {
  private names: Promise<{ id: string; keys: string[] }[]> | undefined;

  constructor(private readonly book: OrderBookReader) {}

  private load() {
    this.names ??= this.book.searchProducts({ limit: 200 }).then((products) =>
      products.map((p) => ({
        id: p.id,
        keys: [p.name, p.model, `${p.brand}${p.type}`]
          .filter((k) => k && k.length >= 2)
          .map((k) => k.toLowerCase()),
      })),
    );
    return this.names;
  }

  async match(text: string, slots: Slots): Promise<string | undefined> {
    for (const id of slots.productIds) if (await this.book.product(id)) return id;
    for (const model of slots.models) {
      const [hit] = await this.book.searchProducts({ model, limit: 1 });
      if (hit) return hit.id;
    }
    const lower = text.toLowerCase();
    let best: { id: string; length: number } | undefined;
    for (const product of await this.load()) {
      for (const key of product.keys) {
        if (lower.includes(key) && key.length > (best?.length ?? 0))
          best = { id: product.id, length: key.length };
      }
    }
    return best?.id;
  }
}

export async function understand(products: ProductMatcher, text: string): Promise<Understanding> {
  const slots = extractSlots(text);
  const { task, intent } = classifyIntent(text, {
    hasOrder: slots.orderIds.length > 0,
    hasTracking: slots.trackingNumbers.length > 0,
  });
  const productId = await products.match(text, slots).catch(() => undefined);
  // A named product with no order in sight: "多少钱 / 怎么样" asks about the product, not an order.
  const aboutProduct =
    intent === 'other' ||
    task === 'other' ||
    ((intent === 'order_payment' || intent === 'order_status') && !slots.orderIds.length && !slots.reference);
  const product = productId && aboutProduct ? 'product_info' : undefined;
  return {
    text,
    task: product ? 'product' : task,
    intent: (product as Intent | undefined) ?? intent,
    slots,
    ...(productId ? { productId } : {}),
  };
}
