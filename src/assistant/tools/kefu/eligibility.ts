/**
 * The shop's after-sales rules, in code: whether an order's items can be returned (no-reason
 * within `returnDays` of delivery for products that allow it; quality problems within
 * `exchangeDays`) or exchanged (within `exchangeDays`, once per order), and how many units are
 * still open for a request. Windows and the shop's "now" come from `book.info()`. A τ-bench shop
 * states no windows (0): its rule goes by status alone (a delivered order, once).
 * Does not: write, or word replies beyond the refusal reasons.
 */
import type { OrderBookReader, ShopInfo } from '../../../shop/order-book.js';
import { daysBetween } from '../../../shop/sample/format.js';
import { orderStatusLabel, tauStatusOf } from '../../../shop/status-label.js';
import type { Order, OrderItem, Product, ReturnRequest } from '../../../shop/types.js';

export interface ItemWindow {
  item: OrderItem;
  product: Product | undefined;
  /** Units not yet covered by an open or finished request. */
  open: number;
  noReasonReturn: { ok: boolean; text: string };
  qualityReturn: { ok: boolean; text: string };
  exchange: { ok: boolean; text: string };
}

export interface AfterSalesCheck {
  /** Why nothing can be requested for this order (status), if so. */
  refusal?: string;
  days: number;
  requests: ReturnRequest[];
  items: ItemWindow[];
  /** An exchange was already requested for this order (one per order). */
  exchanged: boolean;
}

const STATUS_REFUSAL: Partial<Record<Order['status'], string>> = {
  pending: '订单还未付款，不能申请退换货；不想要可以直接取消订单',
  paid: '订单还未发货，不能申请退换货；不想要可以直接取消订单',
  shipped: '订单还在运输途中，签收后才能申请退换货',
  cancelled: '订单已取消，无需退换货',
  returned: '订单已经退货退款',
  exchanged: '订单已经换过货',
};

/**
 * τ-bench's statuses mean other things than kefu's ('pending' is paid and not yet processed;
 * only a pending order may be cancelled), so a τ-bench order is refused by its own status.
 */
const TAU_REFUSAL: Record<string, string> = {
  pending: '订单还未发货（pending），不能申请退换货；不想要可以取消订单或修改商品',
  'pending (item modified)': '订单还未发货（pending），不能申请退换货；不想要可以取消订单',
  processed: '订单已在处理、还未签收（processed），不能申请退换货，也已不能取消',
  cancelled: '订单已取消，无需退换货',
  'return requested': '订单已经申请过退货（return requested）',
  'exchange requested': '订单已经申请过换货（exchange requested）',
};

export async function checkAfterSales(
  reader: OrderBookReader,
  order: Order,
  info: ShopInfo,
): Promise<AfterSalesCheck> {
  const requests = await reader.returnsOf(order.id);
  const live = requests.filter((r) => r.status !== 'rejected');
  const exchanged = live.some((r) => r.type === 'exchange');
  const days = order.deliveredAt ? Math.max(0, daysBetween(order.deliveredAt, info.now)) : 0;
  const tauStatus = info.flavor === 'tau-bench' ? tauStatusOf(order) : undefined;
  let refusal = tauStatus !== undefined ? TAU_REFUSAL[tauStatus] : STATUS_REFUSAL[order.status];
  if (!refusal && order.status !== 'delivered') refusal = `订单状态为「${orderStatusLabel(order)}」`;
  const { returnDays, exchangeDays } = info.policy;
  const windowless = info.flavor === 'tau-bench' && returnDays === 0 && exchangeDays === 0;
  const items: ItemWindow[] = [];
  for (const item of order.items) {
    const product = await reader.product(item.productId);
    const used = live
      .flatMap((r) => r.items)
      .filter((i) => i.sku === item.sku)
      .reduce((sum, i) => sum + i.quantity, 0);
    const allowsNoReason = product?.sevenDayReturn ?? false;
    const inReturn = windowless || days < returnDays;
    const inQuality = windowless || days < exchangeDays;
    items.push({
      item,
      product,
      open: Math.max(0, item.quantity - used),
      noReasonReturn: !allowsNoReason
        ? { ok: false, text: '不支持（该类商品）' }
        : inReturn
          ? { ok: true, text: windowless ? '可申请' : `可申请（剩余${returnDays - days}天）` }
          : { ok: false, text: `已超过${returnDays}天` },
      qualityReturn: inQuality
        ? { ok: true, text: windowless ? '可申请' : `可申请（剩余${exchangeDays - days}天）` }
        : { ok: false, text: `已超过${exchangeDays}天` },
      exchange: exchanged
        ? { ok: false, text: '本订单已换过货（每单限换1次）' }
        : inQuality
          ? { ok: true, text: windowless ? '可申请' : `可申请（剩余${exchangeDays - days}天）` }
          : { ok: false, text: `已超过${exchangeDays}天` },
    });
  }
  return { ...(refusal ? { refusal } : {}), days, requests, items, exchanged };
}
