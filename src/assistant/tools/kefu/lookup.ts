/**
 * Scoped look-ups the kefu tools share: the authenticated customer's own order (another
 * customer's order reads exactly like a missing one), a product by id / model / name, a variant
 * by SKU or by product + options, and the zod pieces several tools declare (order id, address).
 * Does not: write, or format replies beyond the not-found result.
 */
import { z } from 'zod';
import type { OrderBookReader, WithSource } from '../../../shop/order-book.js';
import type { Order, Product, Variant } from '../../../shop/types.js';
import type { ToolContext, ToolResult } from '../../contracts.js';
import { fact, notFoundOrderFacts } from '../facts.js';

export const orderIdArg = z.string().trim().min(1).max(64).describe('订单号，例如 DD20240315000123');

export const addressArgs = {
  province: z.string().trim().min(1).max(32).describe('省份，例如 广东省'),
  city: z.string().trim().min(1).max(32).describe('城市，例如 广州市'),
  district: z.string().trim().min(1).max(32).describe('区县，例如 天河区'),
  detail: z.string().trim().min(1).max(120).describe('详细地址：街道、门牌号'),
  recipient: z.string().trim().min(1).max(32).optional().describe('收货人（默认不变）'),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, 'expected an 11-digit mobile number')
    .optional()
    .describe('收货手机号（默认不变）'),
};

export function orderNotFound(orderId: string): ToolResult {
  return {
    outcome: 'not_found',
    message: `没有查到订单号${orderId}的订单，请核对订单号是否正确。`,
    facts: notFoundOrderFacts(orderId),
  };
}

/** The order if it exists and belongs to the authenticated customer; undefined otherwise. */
export async function ownOrder(
  reader: OrderBookReader,
  context: ToolContext,
  orderId: string,
): Promise<WithSource<Order> | undefined> {
  const order = await reader.order(orderId);
  return order && order.customerId === context.customerId ? order : undefined;
}

export const productRefArgs = {
  product_id: z.string().trim().min(1).max(64).optional().describe('商品编号，例如 P10023'),
  model: z.string().trim().min(1).max(64).optional().describe('型号，例如 KF-35GW'),
  name: z.string().trim().min(1).max(100).optional().describe('商品名称或关键词'),
};

export interface ProductRef {
  product_id?: string | undefined;
  model?: string | undefined;
  name?: string | undefined;
}

export type ProductMatch =
  | { product: WithSource<Product> }
  | { candidates: WithSource<Product>[] }
  | { missing: string };

/** One product by id, exact model, exact name, or the only name match; else candidates or missing. */
export async function findProduct(reader: OrderBookReader, ref: ProductRef): Promise<ProductMatch> {
  if (ref.product_id) {
    const product = await reader.product(ref.product_id);
    return product ? { product } : { missing: ref.product_id };
  }
  if (ref.model) {
    const [product] = await reader.searchProducts({ model: ref.model, limit: 1 });
    if (product) return { product };
    if (!ref.name) return { missing: ref.model };
  }
  const text = ref.name ?? '';
  const found = await reader.searchProducts({ text, limit: 10 });
  const exact = found.find((p) => p.name === text || p.model.toLowerCase() === text.toLowerCase());
  if (exact) return { product: exact };
  if (found.length === 1) return { product: found[0]! };
  if (found.length === 0) {
    // A model code inside the text ("KF-35GW 空调") still names the product.
    for (const word of text.split(/\s+/)) {
      const [byModel] = await reader.searchProducts({ model: word, limit: 1 });
      if (byModel) return { product: byModel };
    }
    return { missing: text };
  }
  return { candidates: found };
}

export function productNotFound(what: string): ToolResult {
  return {
    outcome: 'not_found',
    message: `没有找到「${what}」对应的商品，请提供准确的商品名称或型号。`,
    facts: [fact('查询商品', what), fact('查询结果', '未找到该商品')],
  };
}

export function ambiguousProduct(what: string, candidates: Product[]): ToolResult {
  const list = candidates.map((p) => `${p.name}${p.model ? `（${p.model}）` : ''}`).join('、');
  return {
    outcome: 'ok',
    message: `「${what}」对应多款商品，请告诉我具体是哪一款：${list}`,
    data: { candidates: candidates.map((p) => ({ id: p.id, name: p.name, model: p.model })) },
    facts: [fact('查询商品', what), fact('匹配商品', list)],
  };
}

/** Variants whose options include every given option (values compared without spaces). */
export function variantsMatching(product: Product, options: Record<string, string>): Variant[] {
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const wanted = Object.entries(options);
  return product.variants.filter((v) =>
    wanted.every(([axis, value]) => {
      const have = v.options[axis];
      return have !== undefined && norm(have) === norm(value);
    }),
  );
}
