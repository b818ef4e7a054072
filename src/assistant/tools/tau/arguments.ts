/**
 * What several τ-bench tools share: their argument declarations (with τ-bench's own descriptions)
 * and the item-swap check of modify_pending_order_items / exchange_delivered_order_items, in
 * τ-bench's order of checks and error strings. Does not: write.
 */
import { z } from 'zod';
import type { OrderBookReader } from '../../../shop/order-book.js';
import { type TauAddress, type TauOrder, type TauProduct, tauProduct } from './records.js';

export const ORDER_ID = z
  .string()
  .describe(
    "The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.",
  );
export const USER_ID = z.string().describe("The user id, such as 'sara_doe_496'.");

export const PAYMENT_METHOD_ID = z
  .string()
  .describe(
    "The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up from the user or order details.",
  );

export const ADDRESS_ARGS = {
  address1: z.string().describe("The first line of the address, such as '123 Main St'."),
  address2: z.string().describe("The second line of the address, such as 'Apt 1' or ''."),
  city: z.string().describe("The city, such as 'San Francisco'."),
  state: z.string().describe("The province, such as 'CA'."),
  country: z.string().describe("The country, such as 'USA'."),
  zip: z.string().describe("The zip code, such as '12345'."),
};

export const addressOf = (a: TauAddress): TauAddress => ({
  address1: a.address1,
  address2: a.address2,
  city: a.city,
  state: a.state,
  country: a.country,
  zip: a.zip,
});

/** τ-bench's item checks shared by modify and exchange: the summed price difference, or an error. */
export async function itemSwap(
  reader: OrderBookReader,
  order: TauOrder,
  itemIds: string[],
  newItemIds: string[],
): Promise<{ diff: number; products: Map<string, TauProduct> } | { error: string }> {
  const all = order.items.map((i) => i.item_id);
  const count = (list: string[], id: string) => list.filter((x) => x === id).length;
  for (const id of itemIds)
    if (count(itemIds, id) > count(all, id)) return { error: `Error: ${id} not found` };
  if (itemIds.length !== newItemIds.length)
    return { error: 'Error: the number of items to be exchanged should match' };
  let diff = 0;
  const products = new Map<string, TauProduct>();
  for (const [i, id] of itemIds.entries()) {
    const item = order.items.find((x) => x.item_id === id)!;
    const product = products.get(item.product_id) ?? (await tauProduct(reader, item.product_id));
    const next = product?.variants[newItemIds[i]!];
    if (!product || !next?.available)
      return { error: `Error: new item ${newItemIds[i]} not found or available` };
    products.set(item.product_id, product);
    diff += next.price - item.price;
  }
  return { diff, products };
}
