/**
 * Conversation plans: which turn kinds follow each other in single- and multi-turn dialogues
 * for each task, and the runner that plays a plan against a customer's data (asking for a missing
 * order number, "上一单呢", "第二个呢", "我买的这个" references). Returns turns; formatting into
 * dataset records happens in sft.ts and preference.ts.
 */
import type { Task } from '../../../data/example.js';
import type { Customer } from '../../types.js';
import type { Rng } from '../random.js';
import type { ShopIndex } from '../shop.js';
import type { Ctx, Mode, Turn } from './core.js';
import { canReturn, exchange, returnProgress, warranty } from './turns-after-sales.js';
import { complaint, invoice, priceProtect } from './turns-after-sales-more.js';
import {
  askForId,
  orderAddress,
  orderCancel,
  orderItems,
  orderList,
  orderNotFound,
  orderPayment,
  orderStatus,
  previousOrder,
  type TurnKind,
} from './turns-order.js';
import { options, price, productWarranty, spec, stock, usage } from './turns-product.js';
import { eta, shippingProblem, track, trackingNo } from './turns-shipping.js';

/** 'ASK' = agent asks for the order number first; 'PREV' = the customer's previous order; 'MINE' = product of the order. */
type Step = TurnKind | 'ASK' | 'PREV' | 'MINE';

type Plan = readonly Step[];

export type SftTask = Exclude<Task, 'other'>;
export const SFT_TASKS: readonly SftTask[] = ['order', 'shipping', 'after_sales', 'product'];

const SINGLE: Record<SftTask, [TurnKind, number][]> = {
  order: [
    [orderStatus, 4],
    [orderItems, 1],
    [orderPayment, 1],
    [orderCancel, 1.5],
    [orderAddress, 1],
    [orderNotFound, 0.8],
  ],
  shipping: [
    [track, 4],
    [eta, 2],
    [trackingNo, 1.5],
    [shippingProblem, 1.2],
  ],
  after_sales: [
    [canReturn, 3],
    [returnProgress, 2],
    [exchange, 1.5],
    [warranty, 1],
    [priceProtect, 1],
    [invoice, 1],
    [complaint, 0.5],
  ],
  product: [
    [spec, 3],
    [stock, 3],
    [price, 1.5],
    [options, 1.5],
    [usage, 2],
    [productWarranty, 1],
  ],
};

const MULTI: Record<SftTask, [Plan, number][]> = {
  order: [
    [['ASK', orderStatus], 2],
    [[orderStatus, 'PREV'], 2],
    [[orderList, orderStatus], 1.5],
    [[orderStatus, orderPayment], 1],
    [[orderStatus, orderItems], 1],
    [[track, orderCancel], 1],
    [[orderStatus, orderAddress], 1],
    [[orderStatus, track, orderPayment], 0.7],
  ],
  shipping: [
    [[orderStatus, eta], 2.5],
    [['ASK', track], 2],
    [[track, eta], 1],
    [[orderStatus, trackingNo], 1],
    [[track, shippingProblem], 1],
    [[orderList, track], 1],
    [[orderStatus, 'PREV', track], 0.8],
  ],
  after_sales: [
    [[orderStatus, canReturn], 2.5],
    [[track, canReturn], 1],
    [[canReturn, exchange], 1.2],
    [['ASK', returnProgress], 1.2],
    [[orderStatus, invoice], 0.8],
    [[orderItems, warranty], 0.8],
    [[orderStatus, priceProtect], 0.8],
    [[canReturn, complaint], 0.5],
  ],
  product: [
    [[spec, stock], 2],
    [[stock, price], 1.5],
    [[spec, spec], 1],
    [[options, stock], 1.5],
    [[usage, productWarranty], 1],
    [[price, options, stock], 0.7],
    [[orderItems, 'MINE'], 1.2],
  ],
};

export interface Cast {
  ix: ShopIndex;
  /** Customers with at least one order, and with at least two. */
  buyers: Customer[];
  repeatBuyers: Customer[];
}

export function makeCast(ix: ShopIndex): Cast {
  const buyers = ix.shop.customers.filter((c) => (ix.ordersOf.get(c.id)?.length ?? 0) > 0);
  const repeatBuyers = buyers.filter((c) => (ix.ordersOf.get(c.id)?.length ?? 0) > 1);
  return { ix, buyers, repeatBuyers };
}

function play(cast: Cast, rng: Rng, plan: Plan): Turn[] {
  const needsPrev = plan.includes('PREV') || plan.includes(orderList);
  const ctx: Ctx = { ix: cast.ix, rng, customer: rng.pick(needsPrev ? cast.repeatBuyers : cast.buyers) };
  const turns: Turn[] = [];
  let nextMode: Mode | undefined;
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    if (step === 'ASK') {
      const next = plan[i + 1] as TurnKind;
      // the task is fixed up once the answering turn is built
      turns.push(askForId(ctx, rng.pick(next.intents), 'order'));
      nextMode = 'id_only';
      continue;
    }
    const mode: Mode = i === 0 ? 'full' : (nextMode ?? (rng.chance(0.85) ? 'ref' : 'full'));
    nextMode = undefined;
    if (step === 'PREV') {
      const orders = cast.ix.ordersOf.get(ctx.customer.id)!;
      const at = orders.indexOf(ctx.order!);
      ctx.order = at > 0 ? orders[at - 1]! : orders.find((o) => o !== ctx.order)!;
      turns.push(previousOrder.build(ctx, 'ref'));
      continue;
    }
    if (step === 'MINE') {
      const item = ctx.order!.items[0]!;
      ctx.product = cast.ix.product.get(item.productId)!;
      ctx.refText = rng.pick(['我买的这个', '这个', '它', `这个${ctx.product.type}`]);
      turns.push(rng.pick([usage, spec, productWarranty]).build(ctx, 'ref'));
      continue;
    }
    const turn = step.build(ctx, mode);
    if (i > 0 && plan[i - 1] === 'ASK') turns[i - 1]!.task = turn.task;
    turns.push(turn);
    if (step !== orderList) ctx.refText = undefined;
  }
  return turns;
}

/** One dialogue whose last turn is of `task`; `multi` asks for a multi-turn plan. */
export function dialogue(cast: Cast, rng: Rng, task: SftTask, multi: boolean): Turn[] {
  const plan: Plan = multi ? rng.weighted(MULTI[task]) : [rng.weighted(SINGLE[task])];
  return play(cast, rng, plan);
}
