/**
 * What each intent needs: the tool capabilities that answer it (in the order tried; the first
 * that applies answers) and the words added to the retrieval query for the intents whose answer
 * draws on the knowledge base. Pure tables; the dialogue manager (./manager.ts) acts on them.
 */
import type { Intent } from '../understanding/intent.js';
import type { Capability } from './tool-map.js';

/** Intents whose answer draws on the knowledge base, with the query words added. */
export const RETRIEVAL_HINTS: Partial<Record<Intent, string>> = {
  shipping_policy: '发货',
  after_sales_policy: '',
  return: '退货 政策',
  exchange: '换货 政策',
  warranty: '保修 维修',
  price_protect: '价保',
  invoice: '发票',
  order_address: '修改地址',
  product_info: '',
  product_stock: '',
  other: '',
};

/**
 * Customer words → the words the shop's policies use for the same rule, added to the retrieval
 * query ("不喜欢" is a no-reason return, "多久打款" the refund time), with the English words a
 * policy written in English (τ-bench's) uses for the same rule. The one place these live.
 */
const POLICY_WORDS: [RegExp, string][] = [
  [/不喜欢|不想要|无理由|不合适/, '7天无理由退货 return'],
  [/退换货?|售后(?:政策|规则|规矩)/, '7天无理由退货 换货 签收 天内 return exchange delivered'],
  [/[换].{0,8}(?:几天|多少天|多久|期限|时限|多长)|(?:几天|多少天|多久).{0,6}换/, '换货 签收 天内 exchange'],
  [/[退].{0,8}(?:几天|多少天|期限|时限)|(?:几天|多少天).{0,6}退/, '退货 签收 天内 return'],
  [
    /打款|钱.{0,4}(?:多久|几天)|退款.{0,6}(?:多久|几天|到账)|多久.{0,4}(?:到账|退给)/,
    '退款 工作日 原路退款 refund refunded business days',
  ],
  [/(?:多久|几天|几个?小时|多长时间|什么时候).{0,4}(?:发货|发出|寄出)/, '发货 小时内 shipping'],
  [/包邮|免运费|运费/, '运费 包邮 满 shipping'],
];

/** The retrieval query for `text` asked as `intent`: the message, the intent's words, the policy words it implies. */
export function retrievalQuery(intent: Intent, text: string): string {
  const more = POLICY_WORDS.filter(([pattern]) => pattern.test(text)).map(([, words]) => words);
  return [text, RETRIEVAL_HINTS[intent] ?? '', ...more].join(' ').replace(/\s+/g, ' ').trim();
}

/**
 * "能退吗 / 还能申请退货吗" asks whether; "我要退货 / 帮我退 / 申请退货" asks for the change itself.
 */
export function asksWhether(text: string): boolean {
  return (
    /能不能|可不可以|能否|是否|能[退换]|可以[退换]|[吗么嘛][？?～~。!！\s]*$|[？?]\s*$/.test(text) &&
    !/帮我|我要|给我|(?<!能|可以|可不可以|能不能)申请/.test(text)
  );
}

/**
 * Capabilities that answer `intent`, given whether an order / a product is known and whether
 * the customer only asks whether a change is possible (eligibility) or asks for it (the change,
 * which the tool holds for confirmation).
 */
export function capabilitiesFor(
  intent: Intent,
  hasOrder: boolean,
  hasProduct: boolean,
  whether = false,
): Capability[] {
  switch (intent) {
    case 'order_status':
    case 'order_items':
    case 'order_payment':
    case 'after_sales_status':
    case 'price_protect':
    case 'invoice':
    case 'order_address':
      return hasOrder ? ['order_details'] : [];
    case 'shipping_track':
      return ['track_shipment'];
    case 'order_cancel':
      return hasOrder ? ['cancel_order'] : [];
    case 'return':
      if (!hasOrder) return [];
      return whether
        ? ['return_eligibility', 'order_details']
        : ['return_items', 'return_eligibility', 'order_details'];
    case 'exchange':
      if (!hasOrder) return [];
      return whether
        ? ['return_eligibility', 'order_details']
        : ['exchange_items', 'return_eligibility', 'order_details'];
    case 'warranty':
      return hasOrder ? ['order_details'] : hasProduct ? ['product_details'] : [];
    case 'order_list':
      return ['list_orders'];
    case 'product_stock':
      return hasProduct ? ['check_stock'] : [];
    case 'product_info':
    case 'other':
      return hasProduct ? ['product_details'] : [];
    default:
      return [];
  }
}
