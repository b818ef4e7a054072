/**
 * kefu's changes to orders and the account: cancel_pending_order and modify_pending_order_address
 * (only before shipping: 'pending' or 'paid', the shop's cancel window) and change_default_address.
 * Each plans (scoped, policy checked), asks for confirmation, and applies through ../registry.ts.
 * Does not: refund money itself (the payment provider does, after the order is cancelled).
 */
import { z } from 'zod';
import { ORDER_STATUS_LABEL, showTime } from '../../../shop/sample/format.js';
import { orderStatusLabel } from '../../../shop/status-label.js';
import type { Address, Order } from '../../../shop/types.js';
import { fact, moneyOf, shortItems } from '../facts.js';
import { changeTool, refused, type ToolDefinition } from '../registry.js';
import { addressArgs, orderIdArg, orderNotFound, ownOrder } from './lookup.js';

const BEFORE_SHIPPING: readonly Order['status'][] = ['pending', 'paid'];

const NOT_CANCELLABLE: Partial<Record<Order['status'], string>> = {
  shipped: '已发货，无法取消，可以拒收或签收后申请退货',
  delivered: '已签收，无法取消，可以申请退货',
  cancelled: '已经取消过了',
  returned: '已退货退款，无法取消',
  exchanged: '已换货，无法取消',
};

const region = (a: Pick<Address, 'province' | 'city' | 'district'>) =>
  `${a.province}${a.city === a.province ? '' : a.city}${a.district}`;

export const cancelPendingOrder = changeTool({
  name: 'cancel_pending_order',
  description: '取消当前顾客尚未发货的订单（待付款或待发货，需顾客确认）；已付款的款项原路退回。',
  args: z.strictObject({
    order_id: orderIdArg,
    reason: z.string().trim().min(1).max(200).optional().describe('取消原因'),
  }),
  async plan(args, { reader, context, info }) {
    const order = await ownOrder(reader, context, args.order_id);
    if (!order) return orderNotFound(args.order_id);
    const money = moneyOf(info);
    const base = [fact('订单号', order.id), fact('状态', orderStatusLabel(order))];
    if (!BEFORE_SHIPPING.includes(order.status)) {
      return refused(`订单${order.id}${NOT_CANCELLABLE[order.status] ?? '当前状态不能取消'}。`, [
        ...base,
        fact('可取消', '否'),
      ]);
    }
    const paid = order.payment.paidAt !== null;
    const refundFacts = paid
      ? [
          fact('退款金额', money(order.payment.amount)),
          fact('退款方式', `原路退回（${order.payment.method}）`),
        ]
      : [];
    return {
      summary: `取消订单${order.id}（${shortItems(order)}${paid ? `，退款${money(order.payment.amount)}原路退回` : ''}）`,
      facts: [...base, fact('可取消', '是'), ...refundFacts],
      async apply(tx) {
        const cancelled: Order = { ...order, status: 'cancelled', cancelledAt: info.now };
        await tx.putOrder(cancelled);
        const facts = [
          fact('订单号', order.id),
          fact('状态', ORDER_STATUS_LABEL.cancelled),
          fact('取消时间', showTime(info.now)),
          ...refundFacts,
        ];
        if (paid && info.policy.refundDaysOriginal)
          facts.push(fact('退款时效', info.policy.refundDaysOriginal));
        return {
          outcome: 'ok',
          message: `订单${order.id}已取消${paid ? `，${money(order.payment.amount)}将原路退回` : ''}。`,
          data: { orderId: order.id, status: 'cancelled', refund: paid ? order.payment.amount : 0 },
          facts,
        };
      },
    };
  },
});

export const modifyPendingOrderAddress = changeTool({
  name: 'modify_pending_order_address',
  description: '修改尚未发货订单的收货地址（需顾客确认）；已发货的订单不能改。',
  args: z.strictObject({ order_id: orderIdArg, ...addressArgs }),
  async plan(args, { reader, context }) {
    const order = await ownOrder(reader, context, args.order_id);
    if (!order) return orderNotFound(args.order_id);
    const base = [fact('订单号', order.id), fact('状态', orderStatusLabel(order))];
    if (!BEFORE_SHIPPING.includes(order.status)) {
      return refused(`订单${order.id}${orderStatusLabel(order)}，发货后无法修改收货地址。`, base);
    }
    const address: Address = {
      recipient: args.recipient ?? order.address.recipient,
      phone: args.phone ?? order.address.phone,
      province: args.province,
      city: args.city,
      district: args.district,
      detail: args.detail,
      isDefault: order.address.isDefault,
    };
    const facts = [...base, fact('原收货地区', region(order.address)), fact('新收货地区', region(address))];
    return {
      summary: `把订单${order.id}的收货地址改为${region(address)}${address.detail}（收货人${address.recipient}）`,
      facts,
      async apply(tx) {
        await tx.putOrder({ ...order, address });
        return {
          outcome: 'ok',
          message: `订单${order.id}的收货地址已改为${region(address)}${address.detail}。`,
          data: { orderId: order.id, address },
          facts: [
            fact('订单号', order.id),
            fact('新收货地区', region(address)),
            fact('详细地址', address.detail),
          ],
        };
      },
    };
  },
});

export const changeDefaultAddress = changeTool({
  name: 'change_default_address',
  description: '把当前顾客的默认收货地址改为给出的地址（需顾客确认）；不影响已下的订单。',
  args: z.strictObject(addressArgs),
  async plan(args, { reader, context }) {
    const customer = await reader.customer(context.customerId);
    if (!customer) {
      return {
        outcome: 'not_found',
        message: '没有找到当前账号。',
        facts: [fact('查询结果', '未找到当前账号')],
      };
    }
    const current = customer.addresses.find((a) => a.isDefault) ?? customer.addresses[0];
    const address: Address = {
      recipient: args.recipient ?? current?.recipient ?? customer.name,
      phone: args.phone ?? current?.phone ?? customer.phone,
      province: args.province,
      city: args.city,
      district: args.district,
      detail: args.detail,
      isDefault: true,
    };
    const same = (a: Address) =>
      a.recipient === address.recipient &&
      a.phone === address.phone &&
      a.province === address.province &&
      a.city === address.city &&
      a.district === address.district &&
      a.detail === address.detail;
    const others = customer.addresses.filter((a) => !same(a)).map((a) => ({ ...a, isDefault: false }));
    const facts = [
      ...(current ? [fact('原默认地区', region(current))] : []),
      fact('新默认地区', region(address)),
    ];
    return {
      summary: `把默认收货地址改为${region(address)}${address.detail}（收货人${address.recipient}）`,
      facts,
      async apply(tx) {
        await tx.putCustomer({ ...customer, addresses: [address, ...others] });
        return {
          outcome: 'ok',
          message: `默认收货地址已改为${region(address)}${address.detail}。`,
          data: { address },
          facts: [fact('新默认地区', region(address)), fact('详细地址', address.detail)],
        };
      },
    };
  },
});

export const CHANGE_TOOLS: ToolDefinition[] = [
  cancelPendingOrder,
  modifyPendingOrderAddress,
  changeDefaultAddress,
];
