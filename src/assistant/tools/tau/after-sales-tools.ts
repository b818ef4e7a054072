/**
 * τ-bench retail's changes to delivered orders and the user — return_delivered_order_items,
 * exchange_delivered_order_items, modify_user_address — with τ-bench's checks in its order and its
 * exact record changes ('return requested' / 'exchange requested', sorted item lists, the payment
 * method and rounded price difference). The order's kefu ReturnRequest is written beside it.
 * Does not: refund or charge anything (τ-bench does that later, outside the tools).
 */
import { z } from 'zod';
import { fact } from '../facts.js';
import { type ChangePlan, changeTool, type ToolDefinition } from '../registry.js';
import { ADDRESS_ARGS, addressOf, itemSwap, ORDER_ID, PAYMENT_METHOD_ID, USER_ID } from './arguments.js';
import { addressText, tauOrderFacts, tauRefused, tauUserFacts, usd, userNotFound } from './facts.js';
import {
  ownTauOrderIn,
  ownTauUser,
  putTauOrder,
  putTauUser,
  round2,
  type TauOrder,
  type TauOrderRecord,
} from './records.js';

/** Python's sorted() on a list of str (code-point order). */
const sorted = (ids: string[]) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The plan of a return or exchange request on a delivered order: what the customer confirms, and
 * on yes the changed τ-bench record written back and returned as τ-bench returns it.
 */
function requestPlan(
  kind: '退货' | '换货',
  order: TauOrderRecord['order'],
  tau: TauOrder,
  text: string,
  now: string,
): ChangePlan {
  return {
    summary: `为订单${tau.order_id}申请${kind}：${text}`,
    facts: [fact('订单号', tau.order_id), fact(kind, text)],
    async apply(tx) {
      await putTauOrder(tx, order, tau, now);
      return {
        outcome: 'ok',
        message: `订单${tau.order_id}已提交${kind}申请，之后会收到邮件告知寄回方式。`,
        data: { output: tau },
        facts: [...tauOrderFacts(tau), fact(kind, text)],
      };
    },
  };
}

export const tauReturnDeliveredOrderItems = changeTool({
  name: 'return_delivered_order_items',
  description:
    "Return some items of a delivered order. The order status will be changed to 'return requested'. The agent needs to explain the return detail and ask for explicit user confirmation (yes/no) to proceed. The user will receive follow-up email for how and where to return the item.",
  args: z.strictObject({
    order_id: ORDER_ID,
    item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be returned, each such as '1008292230'. There could be duplicate items in the list.",
      ),
    payment_method_id: PAYMENT_METHOD_ID,
  }),
  async plan(args, { reader, context, info }) {
    const record = await ownTauOrderIn(reader, context, args.order_id, 'delivered', 'returned');
    if (!('tau' in record)) return record;
    const { order, tau } = record;
    const user = await ownTauUser(reader, context, tau.user_id);
    if (!user?.tau.payment_methods[args.payment_method_id]) {
      return tauRefused('Error: payment method not found', `找不到支付方式${args.payment_method_id}。`, tau);
    }
    if (
      !args.payment_method_id.includes('gift_card') &&
      args.payment_method_id !== tau.payment_history[0]?.payment_method_id
    ) {
      return tauRefused(
        'Error: payment method should be either the original payment method or a gift card',
        '退款只能退回原支付方式或礼品卡。',
        tau,
      );
    }
    const all = tau.items.map((i) => i.item_id);
    const count = (list: string[], id: string) => list.filter((x) => x === id).length;
    if (args.item_ids.some((id) => count(args.item_ids, id) > count(all, id))) {
      return tauRefused('Error: some item not found', '订单中没有要退的部分商品。', tau);
    }
    tau.status = 'return requested';
    tau.return_items = sorted(args.item_ids);
    tau.return_payment_method_id = args.payment_method_id;
    const refund = args.item_ids.reduce(
      (sum, id) => sum + (tau.items.find((i) => i.item_id === id)?.price ?? 0),
      0,
    );
    const text = `退回 ${args.item_ids.join('、')}，退款 ${usd(round2(refund))} 至 ${args.payment_method_id}`;
    return requestPlan('退货', order, tau, text, info.now);
  },
});

export const tauExchangeDeliveredOrderItems = changeTool({
  name: 'exchange_delivered_order_items',
  description:
    'Exchange items in a delivered order to new items of the same product type. For a delivered order, return or exchange can be only done once by the agent. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  args: z.strictObject({
    order_id: ORDER_ID,
    item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be exchanged, each such as '1008292230'. There could be duplicate items in the list.",
      ),
    new_item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be exchanged for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.",
      ),
    payment_method_id: PAYMENT_METHOD_ID,
  }),
  async plan(args, { reader, context, info }) {
    const record = await ownTauOrderIn(reader, context, args.order_id, 'delivered', 'exchanged');
    if (!('tau' in record)) return record;
    const { order, tau } = record;
    const swap = await itemSwap(reader, tau, args.item_ids, args.new_item_ids);
    if ('error' in swap) return tauRefused(swap.error, `无法换货：${swap.error}`, tau);
    const diff = round2(swap.diff);
    const user = await ownTauUser(reader, context, tau.user_id);
    const method = user?.tau.payment_methods[args.payment_method_id];
    if (!method)
      return tauRefused('Error: payment method not found', `找不到支付方式${args.payment_method_id}。`, tau);
    if (method.source === 'gift_card' && (method.balance ?? 0) < diff) {
      return tauRefused(
        'Error: insufficient gift card balance to pay for the price difference',
        '礼品卡余额不足以支付差价。',
        tau,
      );
    }
    tau.status = 'exchange requested';
    tau.exchange_items = sorted(args.item_ids);
    tau.exchange_new_items = sorted(args.new_item_ids);
    tau.exchange_payment_method_id = args.payment_method_id;
    tau.exchange_price_difference = diff;
    const text = `${args.item_ids.join('、')} 换成 ${args.new_item_ids.join('、')}，差价 ${diff < 0 ? '-' : ''}${usd(Math.abs(diff))}（${args.payment_method_id}）`;
    return requestPlan('换货', order, tau, text, info.now);
  },
});

export const tauModifyUserAddress = changeTool({
  name: 'modify_user_address',
  description:
    'Modify the default address of a user. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  args: z.strictObject({
    user_id: USER_ID,
    ...ADDRESS_ARGS,
    state: z.string().describe("The state, such as 'CA'."),
  }),
  async plan(args, { reader, context }) {
    const record = await ownTauUser(reader, context, args.user_id);
    if (!record) return userNotFound();
    const { customer, tau } = record;
    tau.address = addressOf(args);
    return {
      summary: `把用户${args.user_id}的默认地址改为 ${addressText(tau.address)}`,
      facts: [fact('用户ID', args.user_id), fact('新默认地址', addressText(tau.address))],
      async apply(tx) {
        await putTauUser(tx, customer, tau);
        return {
          outcome: 'ok',
          message: '默认地址已修改。',
          data: { output: tau },
          facts: tauUserFacts(args.user_id, tau),
        };
      },
    };
  },
});

export const TAU_AFTER_SALES_TOOLS: ToolDefinition[] = [
  tauReturnDeliveredOrderItems,
  tauExchangeDeliveredOrderItems,
  tauModifyUserAddress,
];
