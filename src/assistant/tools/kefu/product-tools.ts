/**
 * kefu's product tools: get_product_details (by id, model or name), compare_products (2–4
 * products side by side: prices, specs, warranty) and check_stock (by SKU, or product + options).
 * Products are public shop data, so these are not customer-scoped. Does not: change stock.
 */
import { z } from 'zod';
import type { ShopInfo } from '../../../shop/order-book.js';
import { optionShort } from '../../../shop/sample/format.js';
import type { Product, Variant } from '../../../shop/types.js';
import type { ToolResult } from '../../contracts.js';
import { type Fact, fact, type Money, moneyOf, priceRange, productFacts, variantText } from '../facts.js';
import { readTool, type ToolDefinition } from '../registry.js';
import {
  ambiguousProduct,
  findProduct,
  type ProductRef,
  productNotFound,
  productRefArgs,
  variantsMatching,
} from './lookup.js';

const needsRef = (a: ProductRef) => Boolean(a.product_id || a.model || a.name);
const REF_MESSAGE = { message: 'give product_id, model or name', path: ['product_id'] };
const describeRef = (a: ProductRef) => a.product_id ?? a.model ?? a.name ?? '';

export const getProductDetails = readTool({
  name: 'get_product_details',
  description: '查询商品详情：名称、型号、品牌、价格区间、可选规格、参数、库存概况和保修。',
  args: z.strictObject(productRefArgs).refine(needsRef, REF_MESSAGE),
  async run(args, { reader, info }) {
    const match = await findProduct(reader, args);
    if ('missing' in match) return productNotFound(match.missing);
    if ('candidates' in match) return ambiguousProduct(describeRef(args), match.candidates);
    const { product } = match;
    const money = moneyOf(info);
    return {
      outcome: 'ok',
      message: `${product.name}售价${priceRange(product, money).text}。`,
      data: { product: { ...product, source: undefined } },
      facts: productFacts(product, money),
    };
  },
});

const label = (p: Product) => `${p.name}${p.model ? `（${p.model}）` : ''}`;

export const compareProducts = readTool({
  name: 'compare_products',
  description: '对比 2 到 4 款商品的价格、参数和保修；每款用商品编号、型号或名称指定。',
  args: z.strictObject({
    products: z
      .array(z.string().trim().min(1).max(100))
      .min(2)
      .max(4)
      .describe('商品编号、型号或名称，例如 ["KF-35GW", "KF-61GW"]'),
  }),
  async run(args, { reader, info }) {
    const products: Product[] = [];
    for (const ref of args.products) {
      const byId = /^P\d+$/.test(ref) ? await reader.product(ref) : undefined;
      const match = byId ? { product: byId } : await findProduct(reader, { model: ref, name: ref });
      if ('missing' in match) return productNotFound(ref);
      if ('candidates' in match) return ambiguousProduct(ref, match.candidates);
      products.push(match.product);
    }
    const money = moneyOf(info);
    const facts: Fact[] = products.map((p, i) => fact(`商品${i + 1}`, label(p)));
    facts.push(fact('价格', products.map((p) => priceRange(p, money).text).join(' / ')));
    const keys = [...new Set(products.flatMap((p) => Object.keys(p.specs)))];
    for (const key of keys) facts.push(fact(key, products.map((p) => p.specs[key] ?? '—').join(' / ')));
    facts.push(
      fact(
        '保修',
        products.map((p) => (p.warrantyMonths > 0 ? `${p.warrantyMonths}个月` : '无')).join(' / '),
      ),
      fact('7天无理由', products.map((p) => (p.sevenDayReturn ? '支持' : '不支持')).join(' / ')),
    );
    return {
      outcome: 'ok',
      message: `已对比${products.map(label).join('与')}。`,
      data: { products: products.map((p) => ({ ...p, source: undefined })) },
      facts,
    };
  },
});

/**
 * Stock in words: a count where the shop keeps one; τ-bench records only whether an item is
 * available (imported as stock 1 or 0), so there it is 有货 / 缺货 and never a number.
 */
const stockCounted = (info: ShopInfo) => info.flavor !== 'tau-bench';
const stockText = (stock: number, counted: boolean) =>
  stock <= 0 ? '暂时缺货' : counted ? `有货，库存${stock}件` : '有货';
const stockShort = (stock: number, counted: boolean) =>
  counted ? `${stock}件` : stock > 0 ? '有货' : '缺货';

function stockFacts(product: Product, variant: Variant, money: Money, counted: boolean): Fact[] {
  const facts = [fact('商品', product.name)];
  if (product.model) facts.push(fact('型号', product.model));
  facts.push(
    fact('SKU', variant.sku),
    fact('规格', variantText(variant)),
    fact('库存', stockShort(variant.stock, counted)),
    fact('价格', money(variant.price)),
  );
  if (variant.stock === 0) {
    const alt = product.variants.find((x) => x.stock > 0);
    if (alt)
      facts.push(
        fact(
          '有货规格',
          `${optionShort(alt.options)}（${stockText(alt.stock, counted)}，${money(alt.price)}）`,
        ),
      );
  }
  return facts;
}

export const checkStock = readTool({
  name: 'check_stock',
  description: '查询库存：按 SKU，或按商品（编号/型号/名称）加规格（如 {"颜色":"黑色","尺码":"L"}）。',
  args: z
    .strictObject({
      sku: z.string().trim().min(1).max(64).optional().describe('SKU，例如 SK1000102'),
      ...productRefArgs,
      options: z.record(z.string(), z.string()).optional().describe('规格，例如 {"颜色":"黑色"}'),
    })
    .refine((a) => a.sku || needsRef(a), {
      message: 'give sku, or product_id / model / name',
      path: ['sku'],
    }),
  async run(args, { reader, info }): Promise<ToolResult> {
    const money = moneyOf(info);
    const counted = stockCounted(info);
    const variantResult = (product: Product, variant: Variant): ToolResult => ({
      outcome: 'ok',
      message: `${product.name}（${variantText(variant)}）${stockText(variant.stock, counted)}。`,
      data: { productId: product.id, variant },
      facts: stockFacts(product, variant, money, counted),
    });
    if (args.sku) {
      const found = await reader.variant(args.sku);
      if (!found) return productNotFound(args.sku);
      return variantResult(found.product, found.variant);
    }
    const match = await findProduct(reader, args);
    if ('missing' in match) return productNotFound(match.missing);
    if ('candidates' in match) return ambiguousProduct(describeRef(args), match.candidates);
    const { product } = match;
    const variants = variantsMatching(product, args.options ?? {});
    if (variants.length === 0) {
      return {
        outcome: 'not_found',
        message: `${product.name}没有「${optionShort(args.options ?? {})}」这个规格。`,
        facts: [
          fact('商品', product.name),
          fact('查询规格', optionShort(args.options ?? {})),
          fact('查询结果', '无此规格'),
        ],
      };
    }
    if (variants.length === 1) return variantResult(product, variants[0]!);
    const lines = variants.map(
      (v) => `${variantText(v)}：${stockShort(v.stock, counted)}，${money(v.price)}`,
    );
    const inStock = variants.filter((v) => v.stock > 0).length;
    return {
      outcome: 'ok',
      message: `${product.name}共${variants.length}个规格，其中${inStock}个有货。`,
      data: { productId: product.id, variants },
      facts: [
        fact('商品', product.name),
        ...(product.model ? [fact('型号', product.model)] : []),
        fact('各规格库存', lines.join('；')),
      ],
    };
  },
});

export const PRODUCT_TOOLS: ToolDefinition[] = [getProductDetails, compareProducts, checkStock];
