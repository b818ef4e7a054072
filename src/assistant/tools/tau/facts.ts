/**
 * Fact lines for τ-bench records, with the training data's labels where they exist (订单号, 状态,
 * 商品, 实付金额, 运单号 …) and τ-bench's own identifiers kept verbatim (item ids, payment method
 * ids, the raw status string) so an agent can pass them back to the τ-bench tools. Prices are
 * τ-bench's dollars. Pure functions; no order-book access.
 */
import { tauPaymentLabel } from '../../../shop/import/tau-bench-schemas.js';
import { tauStatusText } from '../../../shop/status-label.js';
import type { ToolResult } from '../../contracts.js';
import { type Fact, fact } from '../facts.js';
import type { TauAddress, TauOrder, TauPaymentMethod, TauProduct, TauUser } from './records.js';

export const usd = (amount: number): string => `$${amount.toFixed(2)}`;

export const addressText = (a: TauAddress): string =>
  [a.address1, a.address2, a.city, `${a.state} ${a.zip}`, a.country].filter((s) => s.trim()).join(', ');

const options = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

export function methodText(method: TauPaymentMethod): string {
  const card = typeof method.last_four === 'string' ? ` 尾号${method.last_four}` : '';
  const balance = typeof method.balance === 'number' ? ` 余额${usd(method.balance)}` : '';
  return `${method.id}（${method.source}${card}${balance}）`;
}

/** The payment method(s) the order was paid with, in words ("礼品卡（gift_card_7219486）"). */
function paidWith(order: TauOrder): Fact[] {
  const ids = [
    ...new Set(
      order.payment_history.filter((p) => p.transaction_type === 'payment').map((p) => p.payment_method_id),
    ),
  ];
  if (ids.length === 0) return [];
  return [fact('支付方式', ids.map((id) => `${tauPaymentLabel(id) ?? id}（${id}）`).join('、'))];
}

export function tauOrderFacts(order: TauOrder): Fact[] {
  const paid = order.payment_history
    .filter((p) => p.transaction_type === 'payment')
    .reduce((sum, p) => sum + p.amount, 0);
  const facts = [
    fact('订单号', order.order_id),
    fact('状态', tauStatusText(order.status)),
    fact(
      '商品',
      order.items
        .map((i) => `${i.name}（${options(i.options)}）item_id ${i.item_id} ${usd(i.price)}`)
        .join('；'),
    ),
    fact('实付金额', usd(paid)),
    ...paidWith(order),
    fact(
      '支付记录',
      order.payment_history
        .map((p) => `${p.transaction_type} ${usd(p.amount)} ${p.payment_method_id}`)
        .join('；'),
    ),
    fact('收货地址', addressText(order.address)),
  ];
  const tracking = order.fulfillments.flatMap((f) => f.tracking_id);
  if (tracking.length > 0) facts.push(fact('运单号', tracking.join('、')));
  return facts;
}

export function tauUserFacts(userId: string, user: TauUser): Fact[] {
  return [
    fact('用户ID', userId),
    fact('姓名', `${user.name.first_name} ${user.name.last_name}`),
    fact('邮箱', user.email),
    fact('默认地址', addressText(user.address)),
    fact('支付方式', Object.values(user.payment_methods).map(methodText).join('；')),
    fact('订单', user.orders.join('、') || '无'),
  ];
}

export function tauProductFacts(product: TauProduct): Fact[] {
  const variants = Object.values(product.variants);
  const prices = variants.map((v) => v.price);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const range =
    prices.length === 0 ? [] : [fact('价格', low === high ? usd(low) : `${usd(low)} - ${usd(high)}`)];
  return [
    fact('商品', product.name),
    fact('商品ID', product.product_id),
    ...range,
    fact(
      '规格',
      variants
        .map(
          (v) => `item_id ${v.item_id}（${options(v.options)}）${usd(v.price)}${v.available ? '' : ' 无货'}`,
        )
        .join('；'),
    ),
  ];
}

/** A τ-bench error ('Error: …') as a result; the exact string is kept in `data.output`. */
export function tauError(
  outcome: 'not_found' | 'refused',
  error: string,
  message: string,
  facts: Fact[] = [],
): ToolResult {
  return { outcome, message, data: { output: error }, facts };
}

/** A refusal with τ-bench's error string, naming the order and its status when there is one. */
export const tauRefused = (error: string, message: string, order?: TauOrder): ToolResult =>
  tauError(
    'refused',
    error,
    message,
    order ? [fact('订单号', order.order_id), fact('状态', order.status)] : [],
  );

export const orderNotFound = (orderId: string): ToolResult =>
  tauError('not_found', 'Error: order not found', `没有查到订单${orderId}。`, [
    fact('查询订单号', orderId),
    fact('查询结果', '未找到该订单'),
  ]);

export const userNotFound = (): ToolResult =>
  tauError('not_found', 'Error: user not found', '没有找到与当前登录账号一致的用户。', [
    fact('查询结果', '未找到该用户'),
  ]);
