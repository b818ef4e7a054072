/**
 * Turn builders for the `product` task: specs, stock of a variant, price, available options,
 * usage / troubleshooting from the manual and warranty. Facts are read from the product record
 * and its manual; replies repeat only those.
 */
import type { Product } from '../../types.js';
import { productTypeOf } from '../catalog.js';
import { optionShort, yuan } from '../format.js';
import { optionValues, warrantyText } from '../manuals.js';
import { type Ctx, currentProduct, type Fact, fact, fill, type Mode, type Turn } from './core.js';
import { PRODUCT_REFS, say, styleUser } from './phrases.js';
import type { TurnKind } from './turns-order.js';

function askProduct(
  ctx: Ctx,
  mode: Mode,
  p: Product,
  full: string[],
  ref: string[],
  vars: Record<string, string> = {},
): string {
  const name = mode === 'id_only' ? p.model : ctx.rng.chance(0.6) ? p.model : p.name;
  const tpl = mode === 'ref' ? ctx.rng.pick(ref) : ctx.rng.pick(full);
  return styleUser(fill(tpl, { p: name, ref: ctx.refText ?? ctx.rng.pick(PRODUCT_REFS), ...vars }), ctx.rng);
}

const base = (p: Product): Fact[] => [fact('商品', p.name), fact('型号', p.model)];

export const spec: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const p = currentProduct(ctx);
    const [key, value] = ctx.rng.pick(Object.entries(p.specs));
    const user = askProduct(
      ctx,
      mode,
      p,
      ['{p}的{k}是多少', '{p} {k}怎么样', '想问下{p}的{k}'],
      ['{ref}的{k}呢', '那{ref}{k}是多少'],
      { k: key },
    );
    const facts = [...base(p), fact(key, value)];
    const body = `${p.name}的${key}是${value}。`;
    return { task: 'product', user, facts, reply: say(ctx.rng, body, { follow: mode !== 'full' }) };
  },
};

export const stock: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const p = currentProduct(ctx);
    const v = ctx.rng.pick(p.variants);
    const want = optionShort(v.options) || '默认款';
    const user = askProduct(
      ctx,
      mode,
      p,
      ['{p} {w}还有货吗', '{p}的{w}有现货吗', '{w}的{p}有没有货'],
      ['那{ref}{w}还有货吗', '{ref}{w}有货吗'],
      { w: want },
    );
    const facts: Fact[] = [
      ...base(p),
      fact('规格', want),
      fact('库存', `${v.stock}件`),
      fact('价格', yuan(v.price)),
    ];
    let body: string;
    if (v.stock === 0) {
      const alt = p.variants.find((x) => x.stock > 0);
      if (alt)
        facts.push(fact('有货规格', `${optionShort(alt.options)}（库存${alt.stock}件，${yuan(alt.price)}）`));
      body = `${p.name}的${want}暂时缺货了。${alt ? `目前${optionShort(alt.options)}有货，价格${yuan(alt.price)}，您可以考虑一下～` : '可以点击“到货提醒”，补货后第一时间通知您。'}`;
    } else if (v.stock <= 5) {
      body = `${p.name}的${want}还有货，但仅剩${v.stock}件了，价格${yuan(v.price)}，喜欢的话建议尽快下单哦。`;
    } else {
      body = `${p.name}的${want}有现货（库存${v.stock}件），价格${yuan(v.price)}，付款后48小时内发货。`;
    }
    return { task: 'product', user, facts, reply: say(ctx.rng, body, { follow: mode !== 'full' }) };
  },
};

export const price: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const p = currentProduct(ctx);
    const user = askProduct(
      ctx,
      mode,
      p,
      ['{p}多少钱', '{p}现在什么价', '{p}的价格是多少'],
      ['{ref}多少钱', '那{ref}什么价格'],
    );
    const sorted = [...p.variants].sort((a, b) => a.price - b.price);
    const lo = sorted[0]!;
    const hi = sorted[sorted.length - 1]!;
    const facts = [
      ...base(p),
      fact('最低价', `${yuan(lo.price)}（${optionShort(lo.options) || '默认'}）`),
      fact('最高价', `${yuan(hi.price)}（${optionShort(hi.options) || '默认'}）`),
    ];
    const body =
      lo.price === hi.price
        ? `${p.name}目前售价${yuan(lo.price)}。`
        : `${p.name}不同规格价格不同：${optionShort(lo.options)}为${yuan(lo.price)}，${optionShort(hi.options)}为${yuan(hi.price)}，具体以下单页为准。`;
    return { task: 'product', user, facts, reply: say(ctx.rng, body, { follow: mode !== 'full' }) };
  },
};

export const options: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const p = currentProduct(ctx);
    const values = optionValues(p);
    const axes = Object.keys(values);
    const axis = axes.length > 0 ? ctx.rng.pick(axes) : '规格';
    const user = askProduct(
      ctx,
      mode,
      p,
      ['{p}有哪些{a}', '{p}有几种{a}', '{p}都有什么{a}可选'],
      ['{ref}有哪些{a}', '{ref}有几个{a}'],
      { a: axis },
    );
    const list = values[axis] ?? [];
    const facts = [...base(p), fact(`可选${axis}`, list.join('、') || '仅一种')];
    const body =
      list.length > 0
        ? `${p.name}的${axis}有${list.length}种可选：${list.join('、')}。`
        : `${p.name}只有一种规格哦。`;
    return { task: 'product', user, facts, reply: say(ctx.rng, body, { follow: mode !== 'full' }) };
  },
};

export const usage: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const p = currentProduct(ctx);
    const pt = productTypeOf(p);
    const trouble = ctx.rng.chance(0.6);
    if (trouble) {
      const [symptom, cause, fix] = ctx.rng.pick(pt.trouble);
      const user = askProduct(
        ctx,
        mode,
        p,
        [`{p}${symptom}怎么办`, `我买的{p}${symptom}，咋回事`],
        [`{ref}${symptom}怎么办`, `{ref}出现${symptom}是什么原因`],
      );
      const facts = [
        ...base(p),
        fact('手册', `${p.manual} 故障排除`),
        fact('现象', symptom),
        fact('可能原因', cause),
        fact('处理方法', fix),
      ];
      const body = `${p.name}出现“${symptom}”，一般是${cause}导致的，处理方法：${fix}。如果仍未解决，可以联系我们申请售后。`;
      return { task: 'product', user, facts, reply: say(ctx.rng, body, { follow: mode !== 'full' }) };
    }
    const care = ctx.rng.chance(0.5);
    const steps = care ? pt.care : pt.usage;
    const user = askProduct(
      ctx,
      mode,
      p,
      care ? ['{p}平时怎么保养', '{p}怎么清洗'] : ['{p}怎么用', '{p}第一次用要注意什么'],
      care ? ['{ref}怎么保养', '{ref}要怎么清洁'] : ['{ref}怎么用啊', '{ref}使用要注意啥'],
    );
    const facts = [
      ...base(p),
      fact('手册', `${p.manual} ${care ? '保养' : '使用'}`),
      fact('要点', steps.join('；')),
    ];
    const body = `${p.name}${care ? '的保养' : '的使用'}要点：${steps.map((s, i) => `${i + 1}. ${s}`).join('；')}。`;
    return {
      task: 'product',
      user,
      facts,
      reply: say(ctx.rng, body, { follow: mode !== 'full' }),
    } satisfies Turn;
  },
};

export const productWarranty: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const p = currentProduct(ctx);
    const user = askProduct(ctx, mode, p, ['{p}保修多久', '{p}有保修吗'], ['{ref}保修多久', '{ref}保修吗']);
    const facts = [...base(p), fact('保修', warrantyText(p))];
    return {
      task: 'product',
      user,
      facts,
      reply: say(ctx.rng, `${p.name}：${warrantyText(p)}`, { follow: mode !== 'full' }),
    };
  },
};
