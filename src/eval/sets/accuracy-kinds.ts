/**
 * The kinds of single-turn accuracy questions: for each, its task, the tool kind that answers it,
 * and how to draw one question from the shop (the record asked about, the customer who owns it,
 * the facts a correct reply must contain, a reference answer written from the data). A kind the
 * shop cannot ask about (no policy window, no delivery estimate) draws nothing. Pure.
 */
import { ORDER_STATUS_LABEL, RETURN_STATUS_LABEL, SHIPMENT_STATUS_LABEL } from '../../shop/sample/format.js';
import type { Rng } from '../../shop/sample/random.js';
import type { AccuracyCase, EvalTask, Fact, ToolKind } from '../types.js';
import { dateFact, daysFact, hoursFact, moneyFact, monthsFact } from './facts.js';
import { fill } from './phrases.js';
import { type ShopPools, statusFact } from './pools.js';

export type Draft = Omit<AccuracyCase, 'id' | 'kind' | 'task' | 'expect'> & {
  required: Fact[];
  forbidden?: string[];
};

export interface KindSpec {
  kind: string;
  task: EvalTask;
  /** The tool kind that answers it; none where the grader knows no kind for the fitting tool (stock). */
  tool?: ToolKind;
  /** Another task label that honestly fits the question too. */
  alsoTask?: EvalTask;
  draw(rng: Rng, pools: ShopPools, template: string): Draft | undefined;
}

const optionWords = (options: Record<string, string>) => Object.values(options).join(' ');

function pickOrder<T>(rng: Rng, list: readonly T[]): T | undefined {
  return list.length ? rng.pick(list) : undefined;
}

export const KINDS: KindSpec[] = [
  {
    kind: 'order.status',
    task: 'order',
    tool: 'order_lookup',
    draw(rng, pools, t) {
      const o = pickOrder(rng, pools.orders);
      if (!o) return undefined;
      const label = ORDER_STATUS_LABEL[o.status];
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [statusFact(pools, o)],
        reference: `您的订单${o.id}当前状态是${label}。`,
      };
    },
  },
  {
    kind: 'order.amount',
    task: 'order',
    tool: 'order_lookup',
    draw(rng, pools, t) {
      const o = pickOrder(rng, pools.orders);
      if (!o) return undefined;
      const others = (pools.snapshot.ordersOf.get(o.customerId) ?? [])
        .filter((x) => x.id !== o.id && x.payment.amount !== o.payment.amount)
        .map((x) => moneyFact(x.payment.amount)[0] as string)
        .filter((text) => !(moneyFact(o.payment.amount)[0] as string).includes(text));
      const amount = moneyFact(o.payment.amount);
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [amount],
        forbidden: others,
        reference: `订单${o.id}实付金额为¥${amount[0]}。`,
      };
    },
  },
  {
    kind: 'order.items',
    task: 'order',
    tool: 'order_lookup',
    draw(rng, pools, t) {
      const o = pickOrder(rng, pools.orders);
      const item = o?.items[0];
      if (!o || !item) return undefined;
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [item.name],
        reference: `订单${o.id}购买的商品是${o.items.map((i) => `${i.name}（${optionWords(i.options)}）×${i.quantity}`).join('、')}。`,
      };
    },
  },
  {
    kind: 'order.address',
    task: 'order',
    tool: 'order_lookup',
    alsoTask: 'shipping',
    draw(rng, pools, t) {
      const o = pickOrder(rng, pools.orders);
      if (!o?.address.city) return undefined;
      const a = o.address;
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [a.city],
        reference: `订单${o.id}寄往${a.province}${a.city}${a.district}${a.detail}。`,
      };
    },
  },
  {
    kind: 'order.list',
    task: 'order',
    tool: 'order_list',
    draw(rng, pools, t) {
      const c = pickOrder(rng, pools.buyers);
      const latest = c ? (pools.snapshot.ordersOf.get(c.id) ?? []).at(-1) : undefined;
      if (!c || !latest) return undefined;
      return {
        customerId: c.id,
        question: t,
        required: [latest.id],
        reference: `您最近的订单是${latest.id}，状态${ORDER_STATUS_LABEL[latest.status]}。`,
      };
    },
  },
  {
    kind: 'shipping.where',
    task: 'shipping',
    tool: 'shipment_track',
    draw(rng, pools, t) {
      const s = pickOrder(rng, pools.shipped);
      if (!s) return undefined;
      const others = (pools.snapshot.ordersOf.get(s.order.customerId) ?? [])
        .map((o) => pools.snapshot.shipments.get(o.id)?.trackingNumber)
        .filter((tn): tn is string => !!tn && tn !== s.shipment.trackingNumber);
      const last = s.shipment.events.at(-1);
      return {
        customerId: s.order.customerId,
        question: fill(t, { id: s.order.id }),
        required: [s.shipment.trackingNumber],
        forbidden: others,
        reference: `订单${s.order.id}由${s.shipment.carrier}配送，运单号${s.shipment.trackingNumber}，最新物流：${last ? `${last.location} ${last.description}` : SHIPMENT_STATUS_LABEL[s.shipment.status]}。`,
      };
    },
  },
  {
    kind: 'shipping.tracking',
    task: 'shipping',
    tool: 'shipment_track',
    draw(rng, pools, t) {
      const s = pickOrder(rng, pools.shipped);
      if (!s) return undefined;
      const label = SHIPMENT_STATUS_LABEL[s.shipment.status];
      return {
        customerId: s.order.customerId,
        question: fill(t, { tn: s.shipment.trackingNumber }),
        required: [label],
        reference: `运单${s.shipment.trackingNumber}当前${label}。`,
      };
    },
  },
  {
    kind: 'shipping.eta',
    task: 'shipping',
    tool: 'shipment_track',
    draw(rng, pools, t) {
      const s = pickOrder(rng, pools.inTransit);
      if (!s?.shipment.estimatedDelivery) return undefined;
      const date = dateFact(s.shipment.estimatedDelivery);
      return {
        customerId: s.order.customerId,
        question: fill(t, { id: s.order.id }),
        required: [date],
        reference: `订单${s.order.id}预计${date[1]}送达。`,
      };
    },
  },
  {
    kind: 'shipping.free',
    task: 'shipping',
    tool: 'policy_lookup',
    draw(rng, pools, t) {
      const c = rng.pick(pools.customers);
      const p = pools.snapshot.policy;
      if (!p.freeShippingThreshold) return undefined;
      return {
        customerId: c.id,
        question: t,
        required: [moneyFact(p.freeShippingThreshold)],
        reference: `单笔实付满¥${moneyFact(p.freeShippingThreshold)[0]}包邮，不满收取运费¥${moneyFact(p.standardShippingFee)[0]}。`,
      };
    },
  },
  {
    kind: 'shipping.dispatch',
    task: 'shipping',
    tool: 'policy_lookup',
    draw(rng, pools, t) {
      const c = rng.pick(pools.customers);
      const h = pools.snapshot.policy.shipWithinHours;
      if (!h) return undefined;
      return { customerId: c.id, question: t, required: [hoursFact(h)], reference: `付款后${h}小时内发货。` };
    },
  },
  {
    kind: 'after_sales.return_window',
    task: 'after_sales',
    tool: 'policy_lookup',
    draw(rng, pools, t) {
      const d = pools.snapshot.policy.returnDays;
      if (!d) return undefined;
      return {
        customerId: rng.pick(pools.customers).id,
        question: t,
        required: [daysFact(d)],
        reference: `签收后${d}天内可申请无理由退货。`,
      };
    },
  },
  {
    kind: 'after_sales.exchange_window',
    task: 'after_sales',
    tool: 'policy_lookup',
    draw(rng, pools, t) {
      const d = pools.snapshot.policy.exchangeDays;
      if (!d) return undefined;
      return {
        customerId: rng.pick(pools.customers).id,
        question: t,
        required: [daysFact(d)],
        reference: `签收后${d}天内可申请换货。`,
      };
    },
  },
  {
    kind: 'after_sales.refund_time',
    task: 'after_sales',
    tool: 'policy_lookup',
    draw(rng, pools, t) {
      const span = pools.snapshot.policy.refundDaysOriginal;
      if (!span) return undefined;
      return {
        customerId: rng.pick(pools.customers).id,
        question: t,
        required: [span],
        reference: `仓库验货通过后${span}内原路退款。`,
      };
    },
  },
  {
    kind: 'after_sales.return_status',
    task: 'after_sales',
    tool: 'return_status',
    draw(rng, pools, t) {
      const o = pickOrder(rng, pools.withReturn);
      const r = o ? pools.snapshot.returnsOf.get(o.id)?.at(-1) : undefined;
      if (!o || !r) return undefined;
      const label = RETURN_STATUS_LABEL[r.status];
      // A finished return shows on the order too (已退货退款 / 已换货): either answers the question.
      const finished =
        (r.status === 'completed' || r.status === 'refunded') &&
        (o.status === 'returned' || o.status === 'exchanged');
      return {
        customerId: o.customerId,
        question: fill(t, { id: o.id }),
        required: [finished ? [label, ORDER_STATUS_LABEL[o.status]] : label],
        reference: `订单${o.id}的${r.type === 'exchange' ? '换货' : '退货'}申请${r.id}当前${label}。`,
      };
    },
  },
  {
    kind: 'product.price',
    task: 'product',
    tool: 'product_lookup',
    draw(rng, pools, t) {
      const p = pickOrder(rng, pools.products);
      const v = p ? rng.pick(p.variants) : undefined;
      if (!p || !v) return undefined;
      const opts = optionWords(v.options);
      return {
        customerId: rng.pick(pools.customers).id,
        question: fill(t, { product: p.name, opts }),
        required: [moneyFact(v.price)],
        reference: `${p.name}（${opts}）售价¥${moneyFact(v.price)[0]}。`,
      };
    },
  },
  {
    kind: 'product.warranty',
    task: 'product',
    tool: 'product_lookup',
    alsoTask: 'after_sales',
    draw(rng, pools, t) {
      const p = pickOrder(
        rng,
        pools.products.filter((x) => x.warrantyMonths > 0),
      );
      if (!p) return undefined;
      return {
        customerId: rng.pick(pools.customers).id,
        question: fill(t, { product: p.name }),
        required: [monthsFact(p.warrantyMonths)],
        reference: `${p.name}保修${p.warrantyMonths}个月，自签收之日起计算。`,
      };
    },
  },
  {
    kind: 'product.spec',
    task: 'product',
    tool: 'product_lookup',
    draw(rng, pools, t) {
      const p = pickOrder(rng, pools.withSpecs);
      if (!p) return undefined;
      const [spec, value] = rng.pick(Object.entries(p.specs));
      return {
        customerId: rng.pick(pools.customers).id,
        question: fill(t, { product: p.name, spec }),
        required: [value],
        reference: `${p.name}的${spec}是${value}。`,
      };
    },
  },
];
