/**
 * Turn builders for the `order` task: order status, items, payment, cancel, address change,
 * the customer's recent orders, a mistyped order number, and the agent asking for a missing
 * order number. Every statement in a reply comes from the facts of that turn.
 */
import type { Order } from '../../types.js';
import { ORDER_STATUS_LABEL, showTime, yuan } from '../format.js';
import { RULES } from '../policies.js';
import type { Rng } from '../random.js';
import {
  accountFact,
  type Ctx,
  currentOrder,
  type Fact,
  fact,
  fill,
  latestEvent,
  type Mode,
  orderFacts,
  orderRef,
  shortItems,
  type Turn,
} from './core.js';
import { HANDOFF, say, styleUser } from './phrases.js';

export interface TurnKind {
  /** What the user wants, without naming the order (used when the agent must ask for it). */
  intents: string[];
  build(ctx: Ctx, mode: Mode): Turn;
}

/** The user message for a turn about `order`. */
export function ask(ctx: Ctx, mode: Mode, order: Order, full: string[], ref: string[]): string {
  const rng = ctx.rng;
  if (mode === 'id_only')
    return styleUser(
      fill(rng.pick(['{id}', '订单号{id}', '是这个：{id}', '{id} 这个', '单号 {id}']), { id: order.id }),
      rng,
    );
  const tpl = mode === 'ref' ? rng.pick(ref) : rng.pick(full);
  return styleUser(fill(tpl, { id: order.id, ref: orderRef(ctx, mode, order) }), rng);
}

export function statusSentence(ctx: Ctx, order: Order): string {
  const s = ctx.ix.shipment.get(order.id);
  switch (order.status) {
    case 'pending':
      return '订单还未付款，下单后30分钟内未付款将自动取消，请尽快完成支付哦。';
    case 'paid':
      return `我们会在付款后${ctx.ix.shop.policy.shipWithinHours}小时内为您发货，请耐心等待～`;
    case 'shipped':
      return s ? `包裹已由${s.carrier}发出，运单号${s.trackingNumber}，最新物流：${latestEvent(s)}。` : '';
    case 'delivered':
      return `包裹已于${showTime(order.deliveredAt!)}签收。`;
    case 'cancelled':
      return order.payment.paidAt
        ? `订单已于${showTime(order.cancelledAt!)}取消，款项已原路退回。`
        : `订单已于${showTime(order.cancelledAt!)}取消（未付款）。`;
    case 'returned':
      return '该订单已办理退货退款，款项已原路退回。';
    case 'exchanged':
      return '该订单已完成换货。';
  }
}

function statusReply(ctx: Ctx, order: Order, follow: boolean): string {
  const body = `您的订单${order.id}当前状态为「${ORDER_STATUS_LABEL[order.status]}」，商品为${shortItems(order)}，实付${yuan(order.payment.amount)}。${statusSentence(ctx, order)}`;
  return say(ctx.rng, body, { lookup: true, follow });
}

export const orderStatus: TurnKind = {
  intents: ['帮我查下订单', '我的订单什么情况了', '查一下我买的东西', '我想看看订单状态'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['paid', 'shipped', 'delivered', 'pending', 'cancelled']);
    const user = ask(
      ctx,
      mode,
      order,
      [
        '帮我查一下订单{id}',
        '订单{id}现在什么状态',
        '{id} 这个订单怎么样了',
        '查下订单 {id}',
        '我的订单{id}发货没',
      ],
      ['{ref}现在什么状态', '{ref}怎么样了', '那{ref}呢'],
    );
    return {
      task: 'order',
      user,
      facts: orderFacts(ctx, order),
      reply: statusReply(ctx, order, mode !== 'full'),
    };
  },
};

/** The customer's previous order ("上一单呢"); the chain runner moves ctx.order first. */
export const previousOrder: TurnKind = {
  intents: [],
  build(ctx) {
    const order = ctx.order!;
    const user = styleUser(
      ctx.rng.pick(['那上一单呢', '上一单呢？', '我之前那个订单呢', '再帮我看看上一个订单', '上一单到哪了']),
      ctx.rng,
    );
    return { task: 'order', user, facts: orderFacts(ctx, order), reply: statusReply(ctx, order, true) };
  },
};

export const orderItems: TurnKind = {
  intents: ['我那个订单买了啥来着', '帮我看看订单里有哪些东西'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['paid', 'shipped', 'delivered']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}里买了哪些东西', '{id}这单都有啥', '看下{id}的商品明细'],
      ['{ref}里都有什么', '{ref}买的是啥来着'],
    );
    const lines = order.items.map(
      (it) =>
        `${it.name}（${Object.values(it.options).join(' ')}）×${it.quantity}，单价${yuan(it.unitPrice)}`,
    );
    const facts = [fact('订单号', order.id), ...order.items.map((_, i) => fact(`商品${i + 1}`, lines[i]!))];
    return {
      task: 'order',
      user,
      facts,
      reply: say(ctx.rng, `订单${order.id}共有${order.items.length}件商品：${lines.join('；')}。`, {
        lookup: true,
        follow: mode !== 'full',
      }),
    };
  },
};

export const orderPayment: TurnKind = {
  intents: ['我付了多少钱', '我用什么付的款'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['paid', 'shipped', 'delivered']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}我付了多少钱', '{id}用什么付的款', '{id}这单运费收了多少'],
      ['{ref}一共付了多少', '{ref}用的什么支付', '{ref}收运费了吗'],
    );
    const p = order.payment;
    const facts: Fact[] = [
      fact('订单号', order.id),
      fact('实付金额', yuan(p.amount)),
      fact('运费', yuan(order.shippingFee)),
      fact('支付方式', p.paidAt ? p.method : '未支付'),
    ];
    if (p.paidAt) facts.push(fact('付款时间', showTime(p.paidAt)));
    const fee =
      order.shippingFee === 0
        ? '本单包邮，运费为¥0.00'
        : `其中运费${yuan(order.shippingFee)}（${RULES.shippingFee}）`;
    const body = p.paidAt
      ? `订单${order.id}于${showTime(p.paidAt)}通过${p.method}支付，实付${yuan(p.amount)}，${fee}。`
      : `订单${order.id}目前还未付款，应付${yuan(p.amount)}，${fee}。`;
    return {
      task: 'order',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

export const orderCancel: TurnKind = {
  intents: ['我想取消订单', '订单不要了能取消吗'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['paid', 'pending', 'shipped']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}帮我取消掉', '{id}不想要了，能取消吗', '取消订单 {id}'],
      ['{ref}能取消吗', '那{ref}帮我取消了吧', '{ref}我不要了'],
    );
    const can = order.status === 'pending' || order.status === 'paid';
    const facts = [
      fact('订单号', order.id),
      fact('状态', ORDER_STATUS_LABEL[order.status]),
      fact('可取消', can ? '是' : '否'),
      fact('取消规则', RULES.cancel),
    ];
    let body: string;
    if (can)
      body = `订单${order.id}还未发货，可以取消。您可在订单详情页点击“取消订单”，${order.status === 'paid' ? `实付${yuan(order.payment.amount)}将原路退回。` : '未付款订单取消后无需退款。'}`;
    else if (order.status === 'shipped')
      body = `订单${order.id}已发货，无法直接取消。您可以在快递派送时拒收，或签收后申请退货。`;
    else
      body = `订单${order.id}当前状态为「${ORDER_STATUS_LABEL[order.status]}」，无法取消。${order.status === 'delivered' ? '如不需要，可在售后时效内申请退货。' : ''}`;
    return {
      task: 'order',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

export const orderAddress: TurnKind = {
  intents: ['我地址填错了想改一下', '能帮我改收货地址吗'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['paid', 'pending', 'shipped']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}地址填错了，能改吗', '{id}想改个收货地址', '帮我把{id}的地址改一下'],
      ['{ref}能改地址吗', '{ref}地址写错了', '{ref}收货地址还能改吗'],
    );
    const a = order.address;
    const can = order.status === 'pending' || order.status === 'paid';
    const facts = [
      fact('订单号', order.id),
      fact('状态', ORDER_STATUS_LABEL[order.status]),
      fact('当前收货地区', `${a.province}${a.city === a.province ? '' : a.city}${a.district}`),
      fact('修改规则', RULES.address),
    ];
    const body = can
      ? `订单${order.id}还未发货，可以修改地址。请在订单详情页点击“修改地址”，或把新的收货地址发给我，我帮您登记。`
      : order.status === 'shipped'
        ? `订单${order.id}已发货，系统无法修改地址，建议您联系快递员协商转寄。`
        : `订单${order.id}当前状态为「${ORDER_STATUS_LABEL[order.status]}」，无法修改收货地址。`;
    return {
      task: 'order',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

/** Lists the customer's latest orders; sets ctx.refText so a follow-up can say "第二个呢". */
export const orderList: TurnKind = {
  intents: [],
  build(ctx) {
    const orders = (ctx.ix.ordersOf.get(ctx.customer.id) ?? []).slice(-3).reverse();
    const user = styleUser(
      ctx.rng.pick(['帮我看下我最近的订单', '我最近买了哪些东西', '查下我账号下的订单', '我的订单都有哪些']),
      ctx.rng,
    );
    const lines = orders.map(
      (o, i) =>
        `${i + 1}. ${o.id}（${ORDER_STATUS_LABEL[o.status]}，${o.createdAt.slice(0, 10)}，${shortItems(o)}）`,
    );
    const facts = [accountFact(ctx.customer), fact('最近订单', lines.join('；'))];
    const pickAt = ctx.rng.int(0, orders.length - 1);
    ctx.order = orders[pickAt];
    ctx.refText = ['第一个', '第二个', '第三个'][pickAt];
    const body = `您账号下最近的${orders.length}个订单是：${lines.join('；')}。请问您想了解哪一个？`;
    return { task: 'order', user, facts, reply: say(ctx.rng, body, { lookup: true, close: false }) };
  },
};

/** A mistyped order number: nothing found, the agent asks the user to check it. */
export const orderNotFound: TurnKind = {
  intents: [],
  build(ctx) {
    const real = currentOrder(ctx, ['paid', 'shipped', 'delivered']);
    const wrong = mistype(real.id, ctx.rng, (id) => ctx.ix.order.has(id));
    const user = styleUser(
      fill(ctx.rng.pick(['帮我查下订单{id}', '{id}到哪了', '订单{id}什么情况']), { id: wrong }),
      ctx.rng,
    );
    const facts = [fact('查询订单号', wrong), fact('查询结果', '未找到该订单')];
    const body = ctx.rng.chance(0.8)
      ? `没有查到订单号${wrong}的订单，麻烦您核对一下订单号（以DD开头，共16位），或在“我的订单”中复制后再发给我。`
      : `系统里没有找到订单${wrong}，请确认是否为本账号下的订单；如仍有疑问，${HANDOFF[0]}`;
    return { task: 'order', user, facts, reply: say(ctx.rng, body) };
  },
};

export function mistype(id: string, rng: Rng, exists: (id: string) => boolean): string {
  for (;;) {
    const i = rng.int(10, id.length - 1);
    const d = String((Number(id[i]) + rng.int(1, 9)) % 10);
    const out = id.slice(0, i) + d + id.slice(i + 1);
    if (!exists(out)) return out;
  }
}

/** The agent asks for the order number the user did not give. */
export function askForId(ctx: Ctx, intent: string, task: Turn['task']): Turn {
  const body = ctx.rng.pick([
    '请您提供一下订单号，我马上为您查询。',
    '麻烦发一下您的订单号（在“我的订单”里可以复制），我帮您看看。',
    '请问是哪个订单呢？发一下订单号给我哈。',
  ]);
  return { task, user: styleUser(intent, ctx.rng), facts: [], reply: say(ctx.rng, body, { close: false }) };
}
