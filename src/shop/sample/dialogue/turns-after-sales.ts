/**
 * Turn builders for the `after_sales` task: can I return this order (7-day / 15-day rules from
 * the delivery date), return-request progress, exchange to another size or colour (stock),
 * warranty, price protection, invoices and complaints handed to a human. Eligibility is computed
 * from the shop data and stated in the facts, so the reply only repeats it.
 */
import type { Order } from '../../types.js';
import {
  DAY,
  iso,
  ORDER_STATUS_LABEL,
  optionShort,
  parseIso,
  RETURN_STATUS_LABEL,
  showDate,
  showTime,
  yuan,
} from '../format.js';
import { warrantyText } from '../manuals.js';
import { RULES } from '../policies.js';
import { type Ctx, currentOrder, fact, returnFacts } from './core.js';
import { HANDOFF, say } from './phrases.js';
import { ask, type TurnKind } from './turns-order.js';

function daysSince(ctx: Ctx, time: string): number {
  return Math.floor((parseIso(ctx.ix.shop.now) - parseIso(time)) / DAY);
}

function notDelivered(order: Order): string {
  switch (order.status) {
    case 'shipped':
      return `订单${order.id}还在配送中，您可以拒收，或签收后再申请退换货。`;
    case 'paid':
    case 'pending':
      return `订单${order.id}还未发货，可以直接在订单详情页取消订单，无需走退货。`;
    case 'cancelled':
      return `订单${order.id}已取消，无需再申请退货。`;
    default:
      return `订单${order.id}已经办理过售后（${ORDER_STATUS_LABEL[order.status]}），每单限申请1次。`;
  }
}

export const canReturn: TurnKind = {
  intents: ['我想退货', '买的东西能退吗'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['delivered']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}能退吗', '{id}想退货', '{id}买的东西不想要了能退不'],
      ['{ref}能退吗', '这个订单能退吗', '{ref}我想退了'],
    );
    const facts = [fact('订单号', order.id), fact('状态', ORDER_STATUS_LABEL[order.status])];
    const follow = mode !== 'full';
    if (order.status !== 'delivered')
      return {
        task: 'after_sales',
        user,
        facts,
        reply: say(ctx.rng, notDelivered(order), { lookup: true, follow }),
      };
    const item = order.items[0]!;
    const product = ctx.ix.product.get(item.productId)!;
    const days = daysSince(ctx, order.deliveredAt!);
    const p = ctx.ix.shop.policy;
    const seven = !product.sevenDayReturn
      ? '不支持（该类商品）'
      : days < p.returnDays
        ? `可申请（剩余${p.returnDays - days}天）`
        : '已超过7天';
    const quality = days < p.exchangeDays ? `可申请（剩余${p.exchangeDays - days}天）` : '已超过15天';
    facts.push(
      fact('商品', item.name),
      fact('签收时间', showTime(order.deliveredAt!)),
      fact('已签收天数', `${days}天`),
      fact('7天无理由', seven),
      fact('质量问题退换', quality),
    );
    let body: string;
    if (product.sevenDayReturn && days < p.returnDays) {
      facts.push(fact('规则', RULES.returnShipping));
      body = `订单${order.id}签收${days}天，${item.name}支持7天无理由退货，还剩${p.returnDays - days}天可申请。请在订单详情页点击“申请售后”，${RULES.returnShipping}`;
    } else if (days < p.exchangeDays) {
      const why = product.sevenDayReturn
        ? `已签收${days}天，超过了7天无理由退货期`
        : `${item.name}属于不支持无理由退货的商品`;
      body = `订单${order.id}${why}。如果商品有质量问题，签收后15天内仍可申请退换，运费由我们承担。`;
    } else {
      body = `订单${order.id}已签收${days}天，超过了退换货时效。${product.warrantyMonths > 0 ? '如有故障可在保修期内申请保修。' : `如有特殊情况，${ctx.rng.pick(HANDOFF)}`}`;
    }
    return { task: 'after_sales', user, facts, reply: say(ctx.rng, body, { lookup: true, follow }) };
  },
};

export const returnProgress: TurnKind = {
  intents: ['我的退款到哪一步了', '退货进度怎么样了'],
  build(ctx, mode) {
    if (!ctx.order) {
      const withReturns = (ctx.ix.ordersOf.get(ctx.customer.id) ?? []).filter((o) =>
        ctx.ix.returnsOf.has(o.id),
      );
      if (withReturns.length > 0) ctx.order = ctx.rng.pick(withReturns);
    }
    const order = currentOrder(ctx, ['returned', 'exchanged', 'delivered']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}的退款到哪一步了', '{id}退货进度查一下', '{id}售后处理得怎么样了'],
      ['{ref}的售后进度呢', '{ref}退款什么时候到', '{ref}售后审核了吗'],
    );
    const r = ctx.ix.returnsOf.get(order.id)?.[0];
    const follow = mode !== 'full';
    if (!r) {
      const facts = [fact('订单号', order.id), fact('售后记录', '无')];
      return {
        task: 'after_sales',
        user,
        facts,
        reply: say(ctx.rng, `订单${order.id}目前没有售后申请记录。如需退换，请在订单详情页点击“申请售后”。`, {
          lookup: true,
          follow,
        }),
      };
    }
    const kind = r.type === 'return' ? '退货退款' : '换货';
    const head = `订单${order.id}的${kind}申请（售后单号${r.id}）当前状态：${RETURN_STATUS_LABEL[r.status]}。`;
    const next: Record<typeof r.status, string> = {
      requested: '我们会在24小时内审核，请留意消息通知。',
      approved: '请在7天内按售后单上的地址寄回商品，并填写退货运单号。',
      received:
        r.type === 'return'
          ? `仓库已收到退货，验货通过后${yuan(r.refundAmount)}将原路退回。`
          : '仓库已收到商品，换货商品会尽快为您寄出。',
      refunded: `退款${yuan(r.refundAmount)}已原路退回，${RULES.refundTime}`,
      completed: '换货商品已寄出并签收，售后已完成。',
      rejected: `很抱歉审核未通过（原因：${r.reason}不符合售后条件）。如有异议，${ctx.rng.pick(HANDOFF)}`,
    };
    return {
      task: 'after_sales',
      user,
      facts: returnFacts(r),
      reply: say(ctx.rng, head + next[r.status], { lookup: true, follow }),
    };
  },
};

export const exchange: TurnKind = {
  intents: ['尺码不合适想换一下', '颜色不喜欢能换吗'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['delivered']);
    const item =
      order.items.find((it) => (ctx.ix.product.get(it.productId)?.variants.length ?? 0) > 1) ??
      order.items[0]!;
    const product = ctx.ix.product.get(item.productId)!;
    const others = product.variants.filter((v) => v.sku !== item.sku);
    const target = others.length > 0 ? ctx.rng.pick(others) : undefined;
    const want = target ? optionShort(target.options) : optionShort(item.options);
    const user = ask(
      ctx,
      mode,
      order,
      [`订单{id}的${item.name}想换成${want}`, `{id}能换${want}的吗`],
      [`{ref}能换成${want}吗`, `那{ref}换个${want}呢`],
    );
    const facts = [
      fact('订单号', order.id),
      fact('状态', ORDER_STATUS_LABEL[order.status]),
      fact('商品', item.name),
      fact('当前规格', optionShort(item.options) || '默认'),
    ];
    const follow = mode !== 'full';
    if (order.status !== 'delivered')
      return {
        task: 'after_sales',
        user,
        facts,
        reply: say(ctx.rng, notDelivered(order), { lookup: true, follow }),
      };
    if (!target) {
      facts.push(fact('可换规格', '无'));
      return {
        task: 'after_sales',
        user,
        facts,
        reply: say(ctx.rng, `${item.name}只有一个规格，无法换成其他规格；如有质量问题可申请同款换新。`, {
          lookup: true,
          follow,
        }),
      };
    }
    const days = daysSince(ctx, order.deliveredAt!);
    facts.push(
      fact('目标规格', want),
      fact('目标库存', `${target.stock}件`),
      fact('已签收天数', `${days}天`),
      fact('换货规则', RULES.exchangeRule),
    );
    let body: string;
    if (days >= ctx.ix.shop.policy.exchangeDays)
      body = `订单${order.id}已签收${days}天，超过了15天换货期，暂时无法换货。`;
    else if (target.stock === 0)
      body = `${item.name}的${want}目前缺货（库存0件），暂时换不了。您可以选择其他有货规格，或在7天无理由期内申请退货。`;
    else
      body = `可以换的～${item.name}的${want}目前有货（库存${target.stock}件），请在订单详情页申请“换货”并选择${want}，寄回原商品后我们会尽快发出新商品。`;
    return { task: 'after_sales', user, facts, reply: say(ctx.rng, body, { lookup: true, follow }) };
  },
};

export const warranty: TurnKind = {
  intents: ['东西坏了还在保修期吗', '能保修吗'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['delivered']);
    const item =
      order.items.find((it) => (ctx.ix.product.get(it.productId)?.warrantyMonths ?? 0) > 0) ??
      order.items[0]!;
    const product = ctx.ix.product.get(item.productId)!;
    const user = ask(
      ctx,
      mode,
      order,
      [`订单{id}的${product.type}坏了，还在保修期吗`, `{id}买的${product.type}能保修吗`],
      ['{ref}还在保修期吗', '{ref}坏了能修吗'],
    );
    const facts = [
      fact('订单号', order.id),
      fact('商品', item.name),
      fact('保修期', product.warrantyMonths > 0 ? `${product.warrantyMonths}个月` : '无'),
    ];
    const follow = mode !== 'full';
    if (!order.deliveredAt) {
      facts.push(fact('状态', ORDER_STATUS_LABEL[order.status]));
      return {
        task: 'after_sales',
        user,
        facts,
        reply: say(ctx.rng, `订单${order.id}还未签收，保修期自签收之日起计算。${warrantyText(product)}`, {
          lookup: true,
          follow,
        }),
      };
    }
    const end = new Date(parseIso(order.deliveredAt));
    end.setUTCMonth(end.getUTCMonth() + product.warrantyMonths);
    const inWarranty = product.warrantyMonths > 0 && end.getTime() > parseIso(ctx.ix.shop.now);
    facts.push(fact('签收时间', showDate(order.deliveredAt)));
    if (product.warrantyMonths > 0)
      facts.push(
        fact('保修截止', showDate(iso(end.getTime()))),
        fact('是否在保', inWarranty ? '在保' : '已过保'),
      );
    const body = inWarranty
      ? `${item.name}保修期${product.warrantyMonths}个月，到${showDate(iso(end.getTime()))}为止，目前在保修期内。${RULES.warrantyHowTo}`
      : product.warrantyMonths === 0
        ? `${warrantyText(product)}签收15天内出现质量问题可申请退换。`
        : `${item.name}的保修已于${showDate(iso(end.getTime()))}到期，可以付费维修，${ctx.rng.pick(HANDOFF)}`;
    return { task: 'after_sales', user, facts, reply: say(ctx.rng, body, { lookup: true, follow }) };
  },
};
