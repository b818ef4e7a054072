/**
 * Turn builders for the `shipping` task: where is my parcel, when will it arrive, the tracking
 * number, not shipped yet, stalled or "signed but not received" parcels (handed to a human).
 * Replies quote only the shipment and order facts of the turn.
 */
import type { Order } from '../../types.js';
import { HOUR, iso, ORDER_STATUS_LABEL, parseIso, showTime } from '../format.js';
import { CARRIER_HOTLINE } from '../logistics.js';
import { RULES } from '../policies.js';
import { type Ctx, currentOrder, fact, type Mode, shipmentFacts, type Turn } from './core.js';
import { APOLOGY, HANDOFF, say } from './phrases.js';
import { ask, type TurnKind } from './turns-order.js';

/** The reply when an order has no shipment yet (pending / paid / cancelled). */
function noShipment(ctx: Ctx, order: Order, mode: Mode, user: string): Turn {
  const facts = [fact('订单号', order.id), fact('状态', ORDER_STATUS_LABEL[order.status])];
  let body: string;
  if (order.status === 'paid') {
    const deadline = showTime(
      iso(parseIso(order.payment.paidAt!) + ctx.ix.shop.policy.shipWithinHours * HOUR),
    );
    facts.push(fact('付款时间', showTime(order.payment.paidAt!)), fact('最晚发货时间', deadline));
    body = `订单${order.id}还在仓库打包中，尚未发货。${RULES.shipTime}最晚会在${deadline}前发出，发货后可在订单详情查看物流。`;
  } else if (order.status === 'pending') {
    body = `订单${order.id}还未付款，付款后我们会在${ctx.ix.shop.policy.shipWithinHours}小时内发货哦。`;
  } else {
    body = `订单${order.id}当前状态为「${ORDER_STATUS_LABEL[order.status]}」，没有物流信息。`;
  }
  return {
    task: 'shipping',
    user,
    facts,
    reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
  };
}

export const track: TurnKind = {
  intents: ['我的快递到哪了', '帮我查下物流', '包裹到哪了'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['shipped', 'shipped', 'delivered']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}的快递到哪了', '帮我查下{id}的物流', '{id} 物流怎么样了', '查一下{id}到哪了'],
      ['{ref}到哪了', '{ref}物流呢', '那{ref}的快递到哪了'],
    );
    const s = ctx.ix.shipment.get(order.id);
    if (!s) return noShipment(ctx, order, mode, user);
    const e = s.events[s.events.length - 1]!;
    const body =
      s.status === 'delivered'
        ? `订单${order.id}的包裹（${s.carrier} ${s.trackingNumber}）已于${showTime(e.time)}签收：${e.description}。`
        : `订单${order.id}由${s.carrier}承运，运单号${s.trackingNumber}。最新物流：${showTime(e.time)} ${e.location} ${e.description}，预计${s.estimatedDelivery}送达。`;
    return {
      task: 'shipping',
      user,
      facts: shipmentFacts(order, s),
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

export const eta: TurnKind = {
  intents: ['我的东西什么时候能到', '快递几号能到'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['shipped']);
    const user = ask(
      ctx,
      mode,
      order,
      ['{id}什么时候能到', '订单{id}大概几号到', '{id}今天能到吗'],
      ['那{ref}什么时候到？', '{ref}大概几号能到', '{ref}今天能送到吗'],
    );
    const s = ctx.ix.shipment.get(order.id);
    if (!s) return noShipment(ctx, order, mode, user);
    const e = s.events[s.events.length - 1]!;
    const body =
      s.status === 'delivered'
        ? `订单${order.id}的包裹已经在${showTime(e.time)}签收了（${e.description}），请您查收。`
        : s.status === 'out_for_delivery'
          ? `订单${order.id}的包裹正在派送中（${e.location}），预计${s.estimatedDelivery}送达，请保持电话畅通。`
          : `订单${order.id}的包裹目前在运输途中，最新到达${e.location}，预计${s.estimatedDelivery}送达。`;
    return {
      task: 'shipping',
      user,
      facts: shipmentFacts(order, s),
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

export const trackingNo: TurnKind = {
  intents: ['把运单号发我一下', '快递单号是多少'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['shipped', 'delivered']);
    const user = ask(
      ctx,
      mode,
      order,
      ['订单{id}的运单号是多少', '{id}快递单号发我下', '{id}是哪家快递'],
      ['{ref}的运单号是多少', '{ref}是什么快递', '{ref}单号发我一下'],
    );
    const s = ctx.ix.shipment.get(order.id);
    if (!s) return noShipment(ctx, order, mode, user);
    const facts = [...shipmentFacts(order, s), fact('快递电话', CARRIER_HOTLINE[s.carrier])];
    const body = `订单${order.id}由${s.carrier}配送，运单号是${s.trackingNumber}，也可以拨打${s.carrier}客服电话${CARRIER_HOTLINE[s.carrier]}查询。`;
    return {
      task: 'shipping',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};

/** Stalled parcel or "signed but not received": apologise and hand to a human. */
export const shippingProblem: TurnKind = {
  intents: ['快递好几天没动了', '显示签收了我没收到'],
  build(ctx, mode) {
    const order = currentOrder(ctx, ['shipped', 'delivered']);
    const s = ctx.ix.shipment.get(order.id);
    const signed = s?.status === 'delivered';
    const user = ask(
      ctx,
      mode,
      order,
      signed
        ? ['订单{id}显示签收了，可我没收到啊', '{id}我没收到货怎么显示签收了']
        : ['{id}物流好久不动了', '订单{id}怎么还没到，都几天了', '{id}是不是丢件了'],
      signed ? ['{ref}显示签收了但我没收到', '{ref}我根本没收到'] : ['{ref}怎么一直不动', '{ref}怎么还没到'],
    );
    if (!s) return noShipment(ctx, order, mode, user);
    const e = s.events[s.events.length - 1]!;
    const hours = Math.floor((parseIso(ctx.ix.shop.now) - parseIso(e.time)) / HOUR);
    const facts = [
      ...shipmentFacts(order, s),
      fact('距最新更新', `${hours}小时`),
      fact('处理规则', RULES.lostParcel),
    ];
    let body: string;
    if (signed) {
      body = `${ctx.rng.pick(APOLOGY)}系统显示订单${order.id}于${showTime(e.time)}${e.description}。建议您先看看快递柜、驿站或门口；${ctx.rng.pick(HANDOFF)}`;
    } else if (hours >= 72) {
      body = `${ctx.rng.pick(APOLOGY)}订单${order.id}的物流已经${hours}小时未更新（最新：${e.location}）。我们会联系${s.carrier}核实，48小时内给您答复，${ctx.rng.pick(HANDOFF)}`;
    } else {
      body = `订单${order.id}的包裹最新在${e.location}（${showTime(e.time)}），距今${hours}小时，仍在正常运输中，预计${s.estimatedDelivery}送达。如超过3天未更新请再联系我们。`;
    }
    return {
      task: 'shipping',
      user,
      facts,
      reply: say(ctx.rng, body, { lookup: true, follow: mode !== 'full' }),
    };
  },
};
