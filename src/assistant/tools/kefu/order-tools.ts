/**
 * kefu's read tools for the customer's account and orders: find_customer (identity check that
 * only ever confirms the authenticated customer), list_my_orders, get_order_details,
 * track_shipment (by order id or tracking number), and transfer_to_human (a structured handoff).
 * Every look-up is scoped to `context.customerId`. Does not: change data.
 */
import { z } from 'zod';
import { ORDER_STATUS_LABEL, RETURN_STATUS_LABEL } from '../../../shop/sample/format.js';
import { orderStatusLabel } from '../../../shop/status-label.js';
import type { OrderStatus } from '../../../shop/types.js';
import type { HandoffReason, ToolResult } from '../../contracts.js';
import { accountFact, fact, moneyOf, orderFacts, orderLine, shipmentFacts } from '../facts.js';
import { readTool, type ToolDefinition } from '../registry.js';
import { orderIdArg, orderNotFound, ownOrder } from './lookup.js';

const ORDER_STATUSES = Object.keys(ORDER_STATUS_LABEL) as [OrderStatus, ...OrderStatus[]];

const normalizePhone = (phone: string) => phone.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');

export const findCustomer = readTool({
  name: 'find_customer',
  description:
    '核验顾客身份：给出手机号、邮箱或姓名（可组合），与当前登录账号一致时返回该账号；不会返回其他任何顾客。',
  args: z
    .strictObject({
      phone: z.string().trim().min(1).max(32).optional().describe('手机号'),
      email: z.string().trim().min(1).max(128).optional().describe('邮箱'),
      name: z.string().trim().min(1).max(64).optional().describe('姓名'),
    })
    .refine((a) => a.phone || a.email || a.name, {
      message: 'give at least one of phone, email, name',
      path: ['phone'],
    }),
  async run(args, { reader, context }) {
    const customer = await reader.customer(context.customerId);
    const matches =
      customer !== undefined &&
      (!args.phone || normalizePhone(args.phone) === normalizePhone(customer.phone)) &&
      (!args.email || args.email.toLowerCase() === customer.email.toLowerCase()) &&
      (!args.name || args.name === customer.name);
    if (!customer || !matches) {
      return {
        outcome: 'not_found',
        message: '提供的信息与当前登录账号不一致，为保护隐私，我们只能查询本人账号的信息。',
        facts: [fact('查询结果', '与当前账号不一致'), fact('查询对象', '非本账号用户')],
      };
    }
    return {
      outcome: 'ok',
      message: '身份核验通过。',
      data: { customer_id: customer.id },
      facts: [accountFact(customer), fact('核验结果', '与当前账号一致')],
    };
  },
});

export const listMyOrders = readTool({
  name: 'list_my_orders',
  description: '列出当前顾客最近的订单（新的在前），可按状态筛选。',
  args: z.strictObject({
    status: z.enum(ORDER_STATUSES).optional().describe('只看该状态的订单'),
    limit: z.number().int().min(1).max(20).default(5).describe('最多几单'),
  }),
  async run(args, { reader, context }) {
    const customer = await reader.customer(context.customerId);
    const all = await reader.ordersOf(context.customerId);
    const orders = all.filter((o) => !args.status || o.status === args.status).slice(0, args.limit);
    const facts = customer ? [accountFact(customer)] : [];
    if (args.status) facts.push(fact('筛选状态', ORDER_STATUS_LABEL[args.status]));
    facts.push(fact('最近订单', orders.length ? orders.map(orderLine).join('；') : '无'));
    return {
      outcome: 'ok',
      message: orders.length ? `为您找到${orders.length}个订单。` : '没有找到符合条件的订单。',
      data: {
        orders: orders.map((o) => ({
          id: o.id,
          status: o.status,
          createdAt: o.createdAt,
          amount: o.payment.amount,
        })),
      },
      facts,
    };
  },
});

export const getOrderDetails = readTool({
  name: 'get_order_details',
  description: '查询当前顾客一个订单的详情：状态、商品、金额、物流和售后记录。',
  args: z.strictObject({ order_id: orderIdArg }),
  async run(args, { reader, context, info }) {
    const order = await ownOrder(reader, context, args.order_id);
    if (!order) return orderNotFound(args.order_id);
    const shipment = await reader.shipmentOf(order.id);
    const facts = orderFacts(order, shipment, moneyOf(info));
    const a = order.address;
    facts.push(fact('收货地区', `${a.province}${a.city === a.province ? '' : a.city}${a.district}`));
    const requests = await reader.returnsOf(order.id);
    const latest = requests.at(-1);
    if (latest)
      facts.push(
        fact(
          '售后',
          `${latest.id}（${latest.type === 'return' ? '退货退款' : '换货'}，${RETURN_STATUS_LABEL[latest.status]}）`,
        ),
      );
    return {
      outcome: 'ok',
      message: `订单${order.id}当前状态为「${orderStatusLabel(order)}」。`,
      data: { order: { ...order, source: undefined }, shipment, returns: requests },
      facts,
    };
  },
});

export const trackShipment = readTool({
  name: 'track_shipment',
  description: '查询物流：按订单号或运单号查当前顾客包裹的承运商、运单号、物流状态和最新进展。',
  args: z
    .strictObject({
      order_id: orderIdArg.optional(),
      tracking_number: z.string().trim().min(1).max(64).optional().describe('运单号'),
    })
    .refine((a) => a.order_id || a.tracking_number, {
      message: 'give order_id or tracking_number',
      path: ['order_id'],
    }),
  async run(args, { reader, context }): Promise<ToolResult> {
    if (!args.order_id) {
      const number = args.tracking_number!;
      const shipment = await reader.shipmentByTracking(number);
      const order = shipment ? await ownOrder(reader, context, shipment.orderId) : undefined;
      if (!shipment || !order) {
        return {
          outcome: 'not_found',
          message: `没有查到运单号${number}的包裹，请核对运单号是否正确。`,
          facts: [fact('查询运单号', number), fact('查询结果', '未找到该运单')],
        };
      }
      return shipped(order, shipment);
    }
    const order = await ownOrder(reader, context, args.order_id);
    if (!order) return orderNotFound(args.order_id);
    const shipment = await reader.shipmentOf(order.id);
    if (!shipment) {
      return {
        outcome: 'ok',
        message: `订单${order.id}还没有发货（${orderStatusLabel(order)}）。`,
        data: { orderId: order.id, status: order.status },
        facts: [
          fact('订单号', order.id),
          fact('状态', orderStatusLabel(order)),
          fact('物流', '暂无物流信息'),
        ],
      };
    }
    return shipped(order, shipment);
  },
});

function shipped(
  order: Parameters<typeof shipmentFacts>[0],
  shipment: Parameters<typeof shipmentFacts>[1],
): ToolResult {
  const facts = shipmentFacts(order, shipment);
  return {
    outcome: 'ok',
    message: `订单${order.id}的包裹由${shipment.carrier}承运，运单号${shipment.trackingNumber}。`,
    data: { shipment },
    facts,
  };
}

const HANDOFF_REASONS = [
  'customer_asked',
  'repeated_failure',
  'low_confidence',
  'anger',
  'out_of_scope',
] as const satisfies readonly HandoffReason[];

const HANDOFF_LABEL: Record<HandoffReason, string> = {
  customer_asked: '顾客要求人工',
  repeated_failure: '多次未能解决',
  low_confidence: '无法确定答案',
  anger: '顾客情绪激动',
  out_of_scope: '超出自助服务范围',
};

export const transferToHuman = readTool({
  name: 'transfer_to_human',
  description: '转接人工客服：给出原因和一句话摘要（顾客要什么、已经试过什么）。',
  args: z.strictObject({
    reason: z.enum(HANDOFF_REASONS).describe('转人工的原因'),
    summary: z.string().trim().min(1).max(500).describe('给人工客服的一句话摘要'),
  }),
  async run(args, { info }) {
    const facts = [fact('转人工原因', HANDOFF_LABEL[args.reason])];
    if (info.policy.serviceHours) facts.push(fact('人工服务时间', info.policy.serviceHours));
    return {
      outcome: 'ok',
      message: '已为您转接人工客服，请稍候。',
      data: { handoff: { reason: args.reason, summary: args.summary } },
      facts,
    };
  },
});

export const ORDER_READ_TOOLS: ToolDefinition[] = [
  findCustomer,
  listMyOrders,
  getOrderDetails,
  trackShipment,
  transferToHuman,
];
