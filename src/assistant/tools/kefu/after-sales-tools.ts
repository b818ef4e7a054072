/**
 * kefu's after-sales tools: check_return_eligibility (read), request_return and request_exchange
 * (changes: a ReturnRequest in status 'requested'). The rules are ./eligibility.ts, enforced here
 * in code with outcome 'refused' and the reason; quantities never exceed what is still open.
 * Does not: refund money or move stock (that happens when the warehouse receives the parcel).
 */
import { z } from 'zod';
import { optionShort, showTime, yuan } from '../../../shop/sample/format.js';
import { orderStatusLabel } from '../../../shop/status-label.js';
import type { Order, ReturnItem, ReturnRequest } from '../../../shop/types.js';
import type { ToolResult } from '../../contracts.js';
import { fact, itemsText, requestFacts, variantText } from '../facts.js';
import {
  type ChangePlan,
  changeTool,
  readTool,
  refused,
  type ToolDefinition,
  type ToolScope,
} from '../registry.js';
import { checkAfterSales } from './eligibility.js';
import { orderIdArg, orderNotFound, ownOrder, variantsMatching } from './lookup.js';

export const checkReturnEligibility = readTool({
  name: 'check_return_eligibility',
  description: '查询一个订单能否退货、换货：签收天数、7天无理由、质量问题退换、可换货，按店铺政策计算。',
  args: z.strictObject({ order_id: orderIdArg }),
  async run(args, { reader, context, info }) {
    const order = await ownOrder(reader, context, args.order_id);
    if (!order) return orderNotFound(args.order_id);
    const check = await checkAfterSales(reader, order, info);
    const facts = [fact('订单号', order.id), fact('状态', orderStatusLabel(order))];
    if (check.refusal) return refused(`订单${order.id}${check.refusal}。`, facts);
    const single = check.items.length === 1;
    // One answer per item, or one for all when every item has the same.
    const per = (pick: (w: (typeof check.items)[number]) => string) => {
      const texts = check.items.map(pick);
      if (single) return texts[0]!;
      if (texts.every((t) => t === texts[0])) return `全部商品${texts[0]}`;
      return check.items.map((w, i) => `${w.item.name}：${texts[i]}`).join('；');
    };
    facts.push(fact('商品', single ? check.items[0]!.item.name : itemsText(order)));
    // τ-bench records no delivery time: then neither it nor a day count is stated.
    if (order.deliveredAt)
      facts.push(fact('签收时间', showTime(order.deliveredAt)), fact('已签收天数', `${check.days}天`));
    facts.push(
      fact(
        '7天无理由',
        per((w) => w.noReasonReturn.text),
      ),
      fact(
        '质量问题退换',
        per((w) => w.qualityReturn.text),
      ),
      fact(
        '换货',
        per((w) => w.exchange.text),
      ),
    );
    const any = check.items.some((w) => w.open > 0 && (w.noReasonReturn.ok || w.qualityReturn.ok));
    return {
      outcome: 'ok',
      message: any ? `订单${order.id}可以申请售后。` : `订单${order.id}已超过退换货时效。`,
      data: {
        orderId: order.id,
        days: check.days,
        items: check.items.map((w) => ({
          sku: w.item.sku,
          open: w.open,
          noReasonReturn: w.noReasonReturn.ok,
          qualityReturn: w.qualityReturn.ok,
          exchange: w.exchange.ok,
        })),
      },
      facts,
    };
  },
});

/** 'TH' + the order's digits + a per-order sequence: unique without a global counter. */
const requestId = (order: Order, existing: ReturnRequest[]) =>
  `TH${order.id.replace(/^\D+/, '')}${String(existing.length + 1).padStart(2, '0')}`;

async function planReturn(
  args: {
    order_id: string;
    skus?: string[] | undefined;
    quantity?: number | undefined;
    reason?: string | undefined;
    quality_issue: boolean;
  },
  { reader, context, info }: ToolScope,
): Promise<ToolResult | ChangePlan> {
  const order = await ownOrder(reader, context, args.order_id);
  if (!order) return orderNotFound(args.order_id);
  const check = await checkAfterSales(reader, order, info);
  const base = [fact('订单号', order.id), fact('状态', orderStatusLabel(order))];
  if (check.refusal) return refused(`订单${order.id}${check.refusal}。`, base);
  const skus = args.skus ?? check.items.filter((w) => w.open > 0).map((w) => w.item.sku);
  if (skus.length === 0) return refused(`订单${order.id}的商品都已申请过售后。`, base);
  const items: ReturnItem[] = [];
  let refund = 0;
  for (const sku of new Set(skus)) {
    const window = check.items.find((w) => w.item.sku === sku);
    if (!window) return refused(`订单${order.id}里没有SKU为${sku}的商品。`, base);
    const quantity = args.quantity ?? window.open;
    const name = window.item.name;
    if (window.open === 0) return refused(`${name}已经申请过售后。`, [...base, fact('商品', name)]);
    if (quantity > window.open) {
      return refused(`${name}最多还能退${window.open}件。`, [
        ...base,
        fact('商品', name),
        fact('可退数量', `${window.open}件`),
      ]);
    }
    const rule = args.quality_issue ? window.qualityReturn : window.noReasonReturn;
    if (!rule.ok) {
      const what = args.quality_issue ? '质量问题退换' : '7天无理由';
      return refused(`「${name}」无法申请${what}退货（${rule.text}）。`, [
        ...base,
        fact('商品', name),
        fact(what, rule.text),
      ]);
    }
    items.push({ sku, quantity });
    refund += window.item.unitPrice * quantity;
  }
  const reason = args.reason ?? (args.quality_issue ? '质量问题' : '七天无理由退货');
  const request: ReturnRequest = {
    id: requestId(order, check.requests),
    orderId: order.id,
    type: 'return',
    reason,
    status: 'requested',
    items,
    refundAmount: refund,
    createdAt: info.now,
    updatedAt: info.now,
  };
  const names = items
    .map((i) => `${order.items.find((x) => x.sku === i.sku)!.name}×${i.quantity}`)
    .join('、');
  return {
    summary: `为订单${order.id}申请退货退款：${names}，预计退款${yuan(refund)}（原因：${reason}）`,
    facts: [...base, fact('退货商品', names), fact('退款金额', yuan(refund))],
    async apply(tx) {
      await tx.putReturn(request);
      return {
        outcome: 'ok',
        message: `已为订单${order.id}提交退货申请，售后单号${request.id}，审核通过后请按指引寄回商品。`,
        data: { request },
        facts: requestFacts(request, order),
      };
    },
  };
}

export const requestReturn = changeTool({
  name: 'request_return',
  description:
    '为已签收订单申请退货退款（需顾客确认）。默认退回订单中所有尚未售后的商品；7天无理由或质量问题，按店铺时效校验。',
  args: z.strictObject({
    order_id: orderIdArg,
    skus: z.array(z.string().trim().min(1)).min(1).optional().describe('要退的商品 SKU（默认全部）'),
    quantity: z.number().int().min(1).optional().describe('每个 SKU 退几件（默认全部）'),
    reason: z.string().trim().min(1).max(200).optional().describe('退货原因'),
    quality_issue: z.boolean().default(false).describe('是否质量问题（质量问题适用更长时效）'),
  }),
  plan: planReturn,
});

export const requestExchange = changeTool({
  name: 'request_exchange',
  description: '为已签收订单申请换货（需顾客确认）：同款换规格（尺码、颜色等），同价且有库存，每单限换1次。',
  args: z
    .strictObject({
      order_id: orderIdArg,
      sku: z.string().trim().min(1).optional().describe('要换的商品 SKU（订单只有一件商品时可省略）'),
      exchange_sku: z.string().trim().min(1).optional().describe('换成的 SKU'),
      options: z.record(z.string(), z.string()).optional().describe('换成的规格，例如 {"尺码":"L"}'),
      quantity: z.number().int().min(1).default(1).describe('换几件'),
      reason: z.string().trim().min(1).max(200).optional().describe('换货原因'),
    })
    .refine((a) => a.exchange_sku || a.options, {
      message: 'give exchange_sku or options',
      path: ['exchange_sku'],
    }),
  async plan(args, { reader, context, info }) {
    const order = await ownOrder(reader, context, args.order_id);
    if (!order) return orderNotFound(args.order_id);
    const check = await checkAfterSales(reader, order, info);
    const base = [fact('订单号', order.id), fact('状态', orderStatusLabel(order))];
    if (check.refusal) return refused(`订单${order.id}${check.refusal}。`, base);
    const sku = args.sku ?? (check.items.length === 1 ? check.items[0]!.item.sku : undefined);
    if (!sku)
      return refused(`订单${order.id}有多件商品，请说明要换哪一件。`, [
        ...base,
        fact('商品', itemsText(order)),
      ]);
    const window = check.items.find((w) => w.item.sku === sku);
    if (!window?.product) return refused(`订单${order.id}里没有SKU为${sku}的商品。`, base);
    const { item, product } = window;
    const facts = [...base, fact('商品', item.name), fact('当前规格', optionShort(item.options) || '默认')];
    if (!window.exchange.ok)
      return refused(`${item.name}换货${window.exchange.text}，无法申请换货。`, [
        ...facts,
        fact('换货', window.exchange.text),
      ]);
    if (args.quantity > window.open) return refused(`${item.name}最多还能换${window.open}件。`, facts);
    const targets = args.exchange_sku
      ? product.variants.filter((v) => v.sku === args.exchange_sku)
      : variantsMatching(product, { ...item.options, ...args.options });
    const target = targets[0];
    if (!target) return refused(`${item.name}没有您要换的规格，换货只能换同款商品的其他规格。`, facts);
    if (target.sku === item.sku) return refused('要换的规格和原商品相同。', facts);
    facts.push(fact('目标规格', variantText(target)), fact('目标库存', `${target.stock}件`));
    if (target.stock < args.quantity)
      return refused(`${item.name}（${variantText(target)}）库存不足，暂时无法换货。`, facts);
    if (target.price !== item.unitPrice) {
      return refused(
        `换货需同款同价，${variantText(target)}的价格为${yuan(target.price)}，与原商品${yuan(item.unitPrice)}不同。`,
        facts,
      );
    }
    const reason = args.reason ?? '尺码/颜色不合适';
    const request: ReturnRequest = {
      id: requestId(order, check.requests),
      orderId: order.id,
      type: 'exchange',
      reason,
      status: 'requested',
      items: [{ sku, quantity: args.quantity, exchangeSku: target.sku }],
      refundAmount: 0,
      createdAt: info.now,
      updatedAt: info.now,
    };
    return {
      summary: `为订单${order.id}申请换货：${item.name}×${args.quantity}，换成${variantText(target)}（原因：${reason}）`,
      facts,
      async apply(tx) {
        await tx.putReturn(request);
        return {
          outcome: 'ok',
          message: `已为订单${order.id}提交换货申请，售后单号${request.id}。`,
          data: { request },
          facts: [...requestFacts(request, order), fact('目标规格', variantText(target))],
        };
      },
    };
  },
});

export const AFTER_SALES_TOOLS: ToolDefinition[] = [checkReturnEligibility, requestReturn, requestExchange];
