/**
 * The shape of a product-type table entry (what a 变频空调 or a 卫衣 looks like: model patterns,
 * price range, option axes, spec values, manual text) and the shared brand list. Data only;
 * the tables live in catalog-*.ts and `catalog.ts` turns them into products.
 */
import type { Category } from '../types.js';

export interface ProductType {
  category: Category;
  type: string;
  /** '{n}' is replaced by n random digits, e.g. 'KF-{2}GW' → 'KF-35GW'. */
  models: string[];
  /** Base price range in yuan. */
  price: [number, number];
  /** Option axes and candidate values; each product draws a subset of each. */
  options: Record<string, string[]>;
  /** Spec name → candidate values; each product draws one value per spec. */
  specs: Record<string, string[]>;
  warrantyMonths: number;
  sevenDayReturn: boolean;
  blurb: string;
  usage: string[];
  care: string[];
  /** [symptom, cause, fix]. */
  trouble: [string, string, string][];
}

export const BRANDS: Record<Category, string[]> = {
  家电: ['云帆', '禾风', '极光', '凌岳', '美居', '青岚'],
  手机数码: ['星野', '极光', '锐科', '朗拓', '羽声'],
  服装: ['素棉', '林间', '简衣', '北纬', '拾光'],
  鞋靴: ['步云', '踏岚', '行野', '轻跃'],
  美妆: ['花漾', '水研', '初禾', '雪颜'],
  食品: ['山谷里', '鲜农', '滋味坊', '茶語'],
  家居: ['木语', '宜舍', '棉棉', '暖窝', '禾木'],
};

export const CATEGORY_SLUG: Record<Category, string> = {
  家电: 'appliance',
  手机数码: 'digital',
  服装: 'apparel',
  鞋靴: 'shoes',
  美妆: 'beauty',
  食品: 'food',
  家居: 'home',
};
