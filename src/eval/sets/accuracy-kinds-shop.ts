/**
 * Accuracy kinds any imported shop can be asked about from its order book alone (no policy
 * windows, no delivery estimates needed): which options a product comes in, whether a named
 * variant is in stock, whether an order can still be returned, and how an order was paid.
 * τ-bench's products carry option values and an `available` flag and its orders a status and a
 * payment history, so these are what its customers really ask beyond price / status. Pure; each
 * draw returns undefined when the shop has nothing to ask about.
 */
import { orderStatusLabel } from '../../shop/status-label.js';
import type { KindSpec } from './accuracy-kinds.js';
import { fill } from './phrases.js';

/** Option axis names as a Chinese customer says them (τ-bench's axes are English). */
const AXIS_WORDS: Record<string, string> = {
  color: '颜色',
  size: '尺码',
  material: '材质',
  style: '款式',
  capacity: '容量',
  storage: '存储容量',
  type: '类型',
};

export const axisWord = (axis: string): string => AXIS_WORDS[axis.toLowerCase()] ?? axis;

/** Words that say a return can be requested, and words that say it cannot (yet, or any more). */
const CAN_RETURN = ['可以申请', '可申请', '可以退'];
const CANNOT_RETURN = ['不能', '无法', '才能', '无需', '已超过', '已经申请过'];

const IN_STOCK = ['有货', '有现货', '库存充足', '可以购买', '可购买', '在售'];
const OUT_OF_STOCK = ['缺货', '无货', '没货', '售罄', '暂无库存', '没有库存', '无库存', '卖完'];

export const SHOP_KINDS: KindSpec[] = [
  {
    kind: 'product.options',
    task: 'product',
    tool: 'product_lookup',
    draw(rng, pools, t) {
      const choices = pools.products.flatMap((p) => {
        const axes = new Map<string, string[]>();
        for (const v of p.variants)
          for (const [axis, value] of Object.entries(v.options)) {
            const list = axes.get(axis) ?? [];
            if (!list.includes(value)) list.push(value);
            axes.set(axis, list);
          }
        return [...axes]
          .filter(([, values]) => values.length >= 2)
          .map(([axis, values]) => ({ p, axis, values }));
      });
      if (choices.length === 0) return undefined;
      const { p, axis, values } = rng.pick(choices);
      const shown = values.slice(0, 3);
      return {
        customerId: rng.pick(pools.customers).id,
        question: fill(t, { product: p.name, axis: axisWord(axis) }),
        required: shown,
        reference: `${p.name}可选的${axisWord(axis)}有：${values.join('、')}。`,
      };
    },
  },
  {
    kind: 'product.stock',
    task: 'product',
    tool: 'product_lookup',
    draw(rng, pools, t) {
      const sellable = pools.products.filter((x) => x.variants.length > 0);
      if (sellable.length === 0) return undefined;
      const p = rng.pick(sellable);
      const v = rng.pick(p.variants);
      const opts = Object.values(v.options).join(' ');
      const inStock = v.stock > 0;
      return {
        customerId: rng.pick(pools.customers).id,
        question: fill(t, { product: p.name, opts }),
        required: [inStock ? IN_STOCK : OUT_OF_STOCK],
        forbidden: inStock ? OUT_OF_STOCK : [],
        reference: `${p.name}（${opts}）${inStock ? '目前有货，可以下单' : '目前缺货'}。`,
      };
    },
  },
  {
    // Whether an order can still be returned: a delivered order inside the window (every item
    // allowing no-reason returns), or one that cannot be (not delivered yet, or cancelled).
    kind: 'after_sales.eligibility',
    task: 'after_sales',
    tool: 'return_status',
    draw(rng, pools, t) {
      const notYet = ['pending', 'paid', 'shipped', 'cancelled'].flatMap((s) => pools.byStatus.get(s) ?? []);
      const can = pools.returnable.length > 0 && (notYet.length === 0 || rng.chance(0.5));
      const list = can ? pools.returnable : notYet;
      if (list.length === 0) return undefined;
      const o = rng.pick(list);
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [can ? CAN_RETURN : CANNOT_RETURN],
        forbidden: can ? ['不能申请', '已超过'] : ['可以申请', '可申请'],
        reference: can
          ? `订单${o.id}可以申请退货，我这边帮您办理。`
          : `订单${o.id}目前（${orderStatusLabel(o)}）不能申请退货。`,
      };
    },
  },
  {
    kind: 'order.payment',
    task: 'order',
    tool: 'order_lookup',
    draw(rng, pools, t) {
      const paid = pools.orders.filter((o) => o.payment.paidAt !== null);
      if (paid.length === 0) return undefined;
      const o = rng.pick(paid);
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [o.payment.method],
        reference: `订单${o.id}使用${o.payment.method}支付。`,
      };
    },
  },
];
