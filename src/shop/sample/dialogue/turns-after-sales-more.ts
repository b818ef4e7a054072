/**
 * More `after_sales` turn builders: price protection (价保, from the order's unit price and the
 * variant's current price), invoices, and complaints handed to a human. Facts state the
 * eligibility; replies only repeat it.
 */
import { DAY, ORDER_STATUS_LABEL, parseIso, showTime, yuan } from '../format.js';
import { RULES } from '../policies.js';
import { type Ctx, currentOrder, fact, type Turn } from './core.js';
import { APOLOGY, HANDOFF, say } from './phrases.js';
import { ask, type TurnKind } from './turns-order.js';

function daysSince(ctx: Ctx, time: string): number {
  return Math.floor((parseIso(ctx.ix.shop.now) - parseIso(time)) / DAY);
}

export const priceProtect: TurnKind = {
  intents: ['买完就降价了能补差价吗', '有价保吗'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['delivered', 'shipped', 'paid']);
    const item = order.items[0]!;
    const current = ctx.ix.product.get(item.productId)!.variants.find((v) => v.sku === item.sku)!.price;
    const user = ask(
      ctx,
      mode,
      order,
      [`订单{id}买的${item.name}降价了，能补差价吗`, '{id}能价保吗'],
      ['{ref}能价保吗', '{ref}降价了能退差价不'],
    );
    const days = daysSince(ctx, order.createdAt);
    const facts = [
      fact('订单号', order.id),
      fact('商品', item.name),
      fact('下单时间', showTime(order.createdAt)),
      fact('成交单价', yuan(item.unitPrice)),
      fact('当前价格', yuan(current)),
      fact('价保规则', RULES.priceProtect),
    ];
    let body: string;
    if (order.status === 'cancelled' || order.status === 'pending' || order.status === 'returned') {
      facts.splice(1, 0, fact('状态', ORDER_STATUS_LABEL[order.status]));
      body = `订单${order.id}当前状态为「${ORDER_STATUS_LABEL[order.status]}」，不涉及价保。`;
    } else if (days >= ctx.ix.shop.policy.priceProtectDays)
      body = `订单${order.id}下单已${days}天，超过了7天价保期，无法申请价保。`;
    else if (current < item.unitPrice)
      body = `订单${order.id}下单${days}天，在7天价保期内。${item.name}成交单价${yuan(item.unitPrice)}，当前${yuan(current)}，可申请价保退还差价${yuan((item.unitPrice - current) * item.quantity)}，在订单详情页点击“价格保护”即可。`;
    else
      body = `${item.name}当前价格${yuan(current)}，不低于您的成交单价${yuan(item.unitPrice)}，暂时不需要价保。`;
    return {
      task: 'after_sales',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

export const invoice: TurnKind = {
  intents: ['我要开发票', '发票在哪下载'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['delivered', 'shipped']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}要开发票', '{id}的发票在哪下载', '{id}能开专票吗'],
      ['{ref}能开发票吗', '{ref}的发票呢'],
    );
    const facts = [
      fact('订单号', order.id),
      fact('状态', ORDER_STATUS_LABEL[order.status]),
      fact('发票规则', RULES.invoice),
    ];
    const body =
      order.status === 'delivered'
        ? `订单${order.id}已签收，${RULES.invoice}需要专票请提供公司名称、税号、开户行及账号。`
        : `订单${order.id}当前「${ORDER_STATUS_LABEL[order.status]}」，电子普通发票会在确认收货后24小时内开具，届时可在订单详情页下载。`;
    return {
      task: 'after_sales',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

export const complaint: TurnKind = {
  intents: [],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['delivered', 'exchanged']);
    const item = order.items[0]!;
    const user = ask(
      ctx,
      mode,
      order,
      [`订单{id}的${item.name}质量太差了，我要投诉！`, '{id}什么破东西，转人工'],
      ['{ref}质量太差了我要投诉', '{ref}太失望了，给我转人工'],
    );
    const facts = [
      fact('订单号', order.id),
      fact('商品', item.name),
      fact('状态', ORDER_STATUS_LABEL[order.status]),
    ];
    const body = `${ctx.rng.pick(APOLOGY)}订单${order.id}的${item.name}让您不满意了。${ctx.rng.pick(HANDOFF)}`;
    return {
      task: 'after_sales',
      user,
      facts,
      reply: say(ctx.rng, body, { follow: mode !== 'full', close: false }),
    } satisfies Turn;
  },
};
