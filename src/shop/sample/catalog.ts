/**
 * Builds the product catalogue from the product-type tables: brand, unique model code, specs,
 * variants (cartesian product of option subsets) with prices in fen and stock. Deterministic for
 * a given Rng. Does not write files or manuals (see manuals.ts).
 */
import type { Product, Variant } from '../types.js';
import { ELECTRIC_TYPES } from './catalog-electric.js';
import { HOME_TYPES } from './catalog-home.js';
import { SOFT_TYPES } from './catalog-soft.js';
import { BRANDS, type ProductType } from './catalog-types.js';
import type { Rng } from './random.js';

export const PRODUCT_TYPES: ProductType[] = [...ELECTRIC_TYPES, ...SOFT_TYPES, ...HOME_TYPES];

/** Axes whose later values cost more (bigger capacity, larger size of bedding …). */
const PRICED_AXES = new Set(['容量', '匹数', '规格', '尺寸', '高度']);

function fillModel(pattern: string, rng: Rng): string {
  return pattern.replace(/\{(\d)\}/g, (_, n: string) => {
    const d = rng.digits(Number(n));
    return d[0] === '0' ? `${rng.int(1, 9)}${d.slice(1)}` : d;
  });
}

/** A price in fen that ends like a shop price: ¥x9 or ¥x9.90. */
function shopPrice(yuanValue: number, rng: Rng): number {
  const whole = Math.max(9, Math.round(yuanValue / 10) * 10 - 1);
  return whole * 100 + (rng.chance(0.3) ? 90 : 0);
}

function cartesian(axes: [string, string[]][]): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [axis, values] of axes) {
    const next: Record<string, string>[] = [];
    for (const combo of combos) for (const v of values) next.push({ ...combo, [axis]: v });
    combos = next;
  }
  return combos;
}

function makeVariants(pt: ProductType, productNo: number, baseYuan: number, rng: Rng): Variant[] {
  const axes: [string, string[]][] = Object.entries(pt.options).map(([axis, values]) => {
    if (PRICED_AXES.has(axis) || values.length <= 2) return [axis, values];
    const keep = rng.int(Math.min(3, values.length), values.length);
    // keep the original order so sizes stay sorted
    const chosen = new Set(rng.sample(values, keep));
    return [axis, values.filter((v) => chosen.has(v))];
  });
  const combos = cartesian(axes).slice(0, 40);
  return combos.map((options, i) => {
    let factor = 1;
    for (const [axis, value] of Object.entries(options)) {
      if (PRICED_AXES.has(axis)) factor += 0.18 * (pt.options[axis]?.indexOf(value) ?? 0);
    }
    const stock = rng.weighted<() => number>([
      [() => 0, 0.1],
      [() => rng.int(1, 5), 0.15],
      [() => rng.int(6, 500), 0.75],
    ])();
    return {
      sku: `SK${productNo}${String(i + 1).padStart(2, '0')}`,
      options,
      price: shopPrice(baseYuan * factor, rng),
      stock,
    };
  });
}

/** `perType` products for each product type (24 types × 9 = 216 by default). */
export function generateProducts(rng: Rng, perType = 9): Product[] {
  const products: Product[] = [];
  const models = new Set<string>();
  let no = 10001;
  for (const pt of PRODUCT_TYPES) {
    for (let k = 0; k < perType; k++) {
      const brand = rng.pick(BRANDS[pt.category]);
      let model = fillModel(rng.pick(pt.models), rng);
      while (models.has(model)) model = fillModel(rng.pick(pt.models), rng);
      models.add(model);
      const specs: Record<string, string> = {};
      for (const [key, values] of Object.entries(pt.specs)) specs[key] = rng.pick(values);
      const baseYuan = rng.int(pt.price[0], pt.price[1]);
      const id = `P${no}`;
      products.push({
        id,
        name: `${brand}${pt.type} ${model}`,
        category: pt.category,
        type: pt.type,
        brand,
        model,
        description: `${brand}${pt.type}（型号 ${model}），${pt.blurb}。`,
        specs,
        variants: makeVariants(pt, no, baseYuan, rng),
        warrantyMonths: pt.warrantyMonths,
        sevenDayReturn: pt.sevenDayReturn,
        manual: `docs/manuals/${id}.md`,
      });
      no++;
    }
  }
  return products;
}

export function productTypeOf(product: Product): ProductType {
  const pt = PRODUCT_TYPES.find((t) => t.type === product.type);
  if (!pt) throw new Error(`unknown product type ${product.type}`);
  return pt;
}
