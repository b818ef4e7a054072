/**
 * Product manuals as Markdown, one per product (docs/manuals/<id>.md), with 规格 / 使用 / 保养 /
 * 故障排除 / 保修 sections built from the product and its type table. Also the small lookups the
 * FAQ and dialogue generators quote from a manual. No randomness, no I/O.
 */
import type { Product } from '../types.js';
import { productTypeOf } from './catalog.js';
import { RULES } from './policies.js';

/** The option values offered on a product, per axis, in catalogue order. */
export function optionValues(product: Product): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of product.variants) {
    for (const [axis, value] of Object.entries(v.options)) {
      const list = (out[axis] ??= []);
      if (!list.includes(value)) list.push(value);
    }
  }
  return out;
}

export function warrantyText(product: Product): string {
  if (product.warrantyMonths === 0) return '本商品不提供保修服务，质量问题按退换货政策处理。';
  const years =
    product.warrantyMonths % 12 === 0 ? `${product.warrantyMonths / 12}年` : `${product.warrantyMonths}个月`;
  return `本商品保修期为${years}（${product.warrantyMonths}个月），自签收之日起计算。`;
}

export function manualMarkdown(product: Product): string {
  const pt = productTypeOf(product);
  const food = product.category === '食品';
  const soft = product.category === '服装' || product.category === '鞋靴';
  const useTitle = food ? '食用方法' : soft ? '穿着建议' : '使用';
  const careTitle = food ? '储存' : soft ? '洗护保养' : '保养';
  const specRows = [
    ['品牌', product.brand],
    ['型号', product.model],
    ['品类', product.type],
    ...Object.entries(product.specs),
  ];
  for (const [axis, values] of Object.entries(optionValues(product)))
    specRows.push([`可选${axis}`, values.join('、')]);
  const lines = [
    `# ${product.name} 使用说明书`,
    '',
    `${product.description}`,
    '',
    '## 规格',
    '',
    '| 项目 | 参数 |',
    '| --- | --- |',
    ...specRows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `## ${useTitle}`,
    '',
    ...pt.usage.map((s, i) => `${i + 1}. ${s}`),
    '',
    `## ${careTitle}`,
    '',
    ...pt.care.map((s) => `- ${s}`),
    '',
    '## 故障排除',
    '',
    '| 现象 | 可能原因 | 处理方法 |',
    '| --- | --- | --- |',
    ...pt.trouble.map(([a, b, c]) => `| ${a} | ${b} | ${c} |`),
    '',
    '## 保修',
    '',
    warrantyText(product),
    product.warrantyMonths > 0 ? RULES.warrantyHowTo : RULES.qualityRule,
    '',
  ];
  return lines.join('\n');
}
