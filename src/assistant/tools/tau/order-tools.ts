/**
 * τ-bench retail's changes to pending orders — cancel_pending_order, modify_pending_order_address,
 * modify_pending_order_items, modify_pending_order_payment — with τ-bench's checks in τ-bench's
 * order and its exact changes to the records (status strings, payment_history entries, gift card
 * balances rounded to cents), written back through ./records.ts so kefu's columns stay in sync.
 * Confirmation, idempotency and the action log come from ../registry.ts.
 * Does not: enforce anything τ-bench's tools do not (its policy text is for the agent).
 */
import { z } from 'zod';
import type { ToolResult } from '../../contracts.js';
import { fact } from '../facts.js';
import { type ChangePlan, changeTool, type ToolDefinition } from '../registry.js';
import { ADDRESS_ARGS, addressOf, itemSwap, ORDER_ID, PAYMENT_METHOD_ID } from './arguments.js';
import { addressText, methodText, tauOrderFacts, tauRefused, usd } from './facts.js';
import {
  ownTauOrderIn,
  ownTauUser,
  putTauOrder,
  putTauUser,
  round2,
  type TauOrder,
  type TauUser,
} from './records.js';

/** The applied result: the changed order as τ-bench returns it, and its facts. */
function changed(message: string, order: TauOrder, extra: ReturnType<typeof fact>[] = []): ToolResult {
  return { outcome: 'ok', message, data: { output: order }, facts: [...tauOrderFacts(order), ...extra] };
}

export const tauCancelPendingOrder = changeTool({
  name: 'cancel_pending_order',
  description:
    "Cancel a pending order. If the order is already processed or delivered, it cannot be cancelled. The agent needs to explain the cancellation detail and ask for explicit user confirmation (yes/no) to proceed. If the user confirms, the order status will be changed to 'cancelled' and the payment will be refunded. The refund will be added to the user's gift card balance immediately if the payment was made using a gift card, otherwise the refund would take 5-7 business days to process. The function returns the order details after the cancellation.",
  args: z.strictObject({
    order_id: ORDER_ID,
    reason: z
      .enum(['no longer needed', 'ordered by mistake'])
      .describe(
        "The reason for cancellation, which should be either 'no longer needed' or 'ordered by mistake'.",
      ),
  }),
  async plan(args, { reader, context, info }): Promise<ToolResult | ChangePlan> {
    const record = await ownTauOrderIn(reader, context, args.order_id, 'pending', 'cancelled');
    if (!('tau' in record)) return record;
    const { order, tau } = record;
    const user = await ownTauUser(reader, context, tau.user_id);
    const refunds = tau.payment_history.map((p) => ({
      transaction_type: 'refund' as const,
      amount: p.amount,
      payment_method_id: p.payment_method_id,
    }));
    for (const refund of refunds) {
      if (refund.payment_method_id.includes('gift_card')) {
        const method = user?.tau.payment_methods[refund.payment_method_id];
        if (!method) return tauRefused('Error: payment method not found', '找不到原支付的礼品卡。', tau);
        method.balance = round2((method.balance ?? 0) + refund.amount);
      }
    }
    tau.status = 'cancelled';
    tau.cancel_reason = args.reason;
    tau.payment_history.push(...refunds);
    const refundText = refunds.map((r) => `${usd(r.amount)} 退回 ${r.payment_method_id}`).join('；');
    return {
      summary: `取消订单${tau.order_id}（原因：${args.reason}），${refundText}`,
      facts: [fact('订单号', tau.order_id), fact('退款', refundText)],
      async apply(tx) {
        await putTauOrder(tx, order, tau, info.now);
        const touched = refunds.some((r) => r.payment_method_id.includes('gift_card'));
        if (user && touched) await putTauUser(tx, user.customer, user.tau);
        return changed(`订单${tau.order_id}已取消，${refundText}。`, tau, [fact('退款', refundText)]);
      },
    };
  },
});

export const tauModifyPendingOrderAddress = changeTool({
  name: 'modify_pending_order_address',
  description:
    'Modify the shipping address of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  args: z.strictObject({ order_id: ORDER_ID, ...ADDRESS_ARGS }),
  async plan(args, { reader, context, info }) {
    const record = await ownTauOrderIn(reader, context, args.order_id, 'pending', 'modified');
    if (!('tau' in record)) return record;
    const { order, tau } = record;
    tau.address = addressOf(args);
    return {
      summary: `把订单${tau.order_id}的收货地址改为 ${addressText(tau.address)}`,
      facts: [fact('订单号', tau.order_id), fact('新收货地址', addressText(tau.address))],
      async apply(tx) {
        await putTauOrder(tx, order, tau, info.now);
        return changed(`订单${tau.order_id}的收货地址已修改。`, tau);
      },
    };
  },
});

export const tauModifyPendingOrderItems = changeTool({
  name: 'modify_pending_order_items',
  description:
    'Modify items in a pending order to new items of the same product type. For a pending order, this function can only be called once. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  args: z.strictObject({
    order_id: ORDER_ID,
    item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be modified, each such as '1008292230'. There could be duplicate items in the list.",
      ),
    new_item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be modified for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.",
      ),
    payment_method_id: PAYMENT_METHOD_ID,
  }),
  async plan(args, { reader, context, info }) {
    const record = await ownTauOrderIn(reader, context, args.order_id, 'pending', 'modified');
    if (!('tau' in record)) return record;
    const { order, tau } = record;
    const swap = await itemSwap(reader, tau, args.item_ids, args.new_item_ids);
    if ('error' in swap) return tauRefused(swap.error, `无法修改商品：${swap.error}`, tau);
    const user = await ownTauUser(reader, context, tau.user_id);
    const method = user?.tau.payment_methods[args.payment_method_id];
    if (!user || !method)
      return tauRefused('Error: payment method not found', `找不到支付方式${args.payment_method_id}。`, tau);
    const diff = swap.diff;
    if (method.source === 'gift_card' && (method.balance ?? 0) < diff) {
      return tauRefused(
        'Error: insufficient gift card balance to pay for the new item',
        '礼品卡余额不足以支付差价。',
        tau,
      );
    }
    tau.payment_history.push({
      transaction_type: diff > 0 ? 'payment' : 'refund',
      amount: Math.abs(diff),
      payment_method_id: args.payment_method_id,
    });
    if (method.source === 'gift_card') method.balance = round2((method.balance ?? 0) - diff);
    for (const [i, id] of args.item_ids.entries()) {
      const item = tau.items.find((x) => x.item_id === id)!;
      const next = swap.products.get(item.product_id)!.variants[args.new_item_ids[i]!]!;
      item.item_id = args.new_item_ids[i]!;
      item.price = next.price;
      item.options = next.options;
    }
    tau.status = 'pending (item modified)';
    const diffText = `${diff > 0 ? '补差价' : '退差价'} ${usd(Math.abs(diff))}（${methodText(method)}）`;
    return {
      summary: `把订单${tau.order_id}的商品 ${args.item_ids.join('、')} 换成 ${args.new_item_ids.join('、')}，${diffText}`,
      facts: [fact('订单号', tau.order_id), fact('差价', diffText)],
      async apply(tx) {
        await putTauOrder(tx, order, tau, info.now);
        if (method.source === 'gift_card') await putTauUser(tx, user.customer, user.tau);
        return changed(`订单${tau.order_id}的商品已修改，${diffText}。`, tau, [fact('差价', diffText)]);
      },
    };
  },
});

export const tauModifyPendingOrderPayment = changeTool({
  name: 'modify_pending_order_payment',
  description:
    'Modify the payment method of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  args: z.strictObject({ order_id: ORDER_ID, payment_method_id: PAYMENT_METHOD_ID }),
  async plan(args, { reader, context, info }) {
    const record = await ownTauOrderIn(reader, context, args.order_id, 'pending', 'modified');
    if (!('tau' in record)) return record;
    const { order, tau } = record;
    const user = await ownTauUser(reader, context, tau.user_id);
    const methods: TauUser['payment_methods'] = user?.tau.payment_methods ?? {};
    const method = methods[args.payment_method_id];
    if (!user || !method)
      return tauRefused('Error: payment method not found', `找不到支付方式${args.payment_method_id}。`, tau);
    const first = tau.payment_history[0];
    if (tau.payment_history.length > 1 || first?.transaction_type !== 'payment') {
      return tauRefused(
        'Error: there should be exactly one payment for a pending order',
        '该订单的支付记录不止一笔，不能修改支付方式。',
        tau,
      );
    }
    if (first.payment_method_id === args.payment_method_id) {
      return tauRefused(
        'Error: the new payment method should be different from the current one',
        '新的支付方式与当前相同。',
        tau,
      );
    }
    const amount = first.amount;
    if (method.source === 'gift_card' && (method.balance ?? 0) < amount) {
      return tauRefused(
        'Error: insufficient gift card balance to pay for the order',
        '礼品卡余额不足以支付该订单。',
        tau,
      );
    }
    tau.payment_history.push(
      { transaction_type: 'payment', amount, payment_method_id: args.payment_method_id },
      { transaction_type: 'refund', amount, payment_method_id: first.payment_method_id },
    );
    let touched = false;
    if (method.source === 'gift_card') {
      method.balance = round2((method.balance ?? 0) - amount);
      touched = true;
    }
    if (first.payment_method_id.includes('gift_card')) {
      const old = methods[first.payment_method_id];
      if (old) {
        old.balance = round2((old.balance ?? 0) + amount);
        touched = true;
      }
    }
    const text = `${usd(amount)} 改由 ${args.payment_method_id} 支付，原支付 ${first.payment_method_id} 退款`;
    return {
      summary: `修改订单${tau.order_id}的支付方式：${text}`,
      facts: [fact('订单号', tau.order_id), fact('支付变更', text)],
      async apply(tx) {
        await putTauOrder(tx, order, tau, info.now);
        if (touched) await putTauUser(tx, user.customer, user.tau);
        return changed(`订单${tau.order_id}的支付方式已修改。`, tau, [fact('支付变更', text)]);
      },
    };
  },
});

export const TAU_ORDER_TOOLS: ToolDefinition[] = [
  tauCancelPendingOrder,
  tauModifyPendingOrderAddress,
  tauModifyPendingOrderItems,
  tauModifyPendingOrderPayment,
];
