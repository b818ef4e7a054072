/**
 * What the customer wants this turn: the seed's task (order / shipping / after_sales / product /
 * other, scored by src/data/task.ts's keyword rules) and, inside it, the intent the dialogue
 * policy acts on (order status, cancel, track, return, stock …). Rules only, pure and fast.
 * Does not: extract ids (./slots.ts) or carry anything across turns (the policy does).
 */
import type { Task } from '../../data/example.js';
import { pickTask, scoreText } from '../../data/task.js';

export type Intent =
  | 'order_status'
  | 'order_items'
  | 'order_payment'
  | 'order_cancel'
  | 'order_address'
  | 'order_list'
  | 'invoice'
  | 'shipping_track'
  | 'shipping_policy'
  | 'return'
  | 'exchange'
  | 'after_sales_status'
  | 'after_sales_policy'
  | 'warranty'
  | 'price_protect'
  | 'product_info'
  | 'product_stock'
  | 'greeting'
  | 'thanks'
  | 'other';

/** Intent patterns, most specific first; the first that matches wins. */
const INTENT_RULES: [Intent, RegExp][] = [
  ['order_cancel', /取消(?:订单|这单|掉|了吧|一下)?|不想要了|不要了|撤销订单|撤(?:掉|单|回订单)|cancel/i],
  [
    'order_address',
    /改地址|修改地址|地址(?:填|写)错|换(?:个)?地址|收货地址|改(?:一下)?收货|(?:哪个|什么|哪)地址|地址是哪|寄到哪(?:里|儿)|(?:寄往|发往|寄到|发到)(?:哪|什么)|哪个(?:城市|省)|address/i,
  ],
  ['invoice', /发票|开票|invoice/i],
  [
    'after_sales_status',
    /售后(?:单|状态)|(?:售后|退款|退货|换货|申请)[^，。,]{0,8}(?:进度|处理到|处理得|处理了没|审核|到哪|状态|到账)|审核(?:了|通过|好)|退款什么时候|退款了没|钱退了吗|TH\d{6,}/,
  ],
  ['exchange', /换货|换(?:一个|个|成|到)|能换|想换|exchange/i],
  ['return', /退货|退款|退钱|退掉|能退|想退|要退|申请退|七天无理由|7天无理由|refund|return/i],
  ['price_protect', /价保|保价|降价|差价/],
  ['warranty', /保修|维修|质保|坏了|不能用|用不了|故障|warranty|repair/i],
  [
    'order_list',
    /最近(?:的)?订单|下过哪些|哪些单|订单列|列一下|最近一次下单|最新的(?:一笔|一单|订单)|最近(?:一次|一笔|一单)|哪些订单|订单都有|买了哪些|我的订单(?:都|有哪些)|账号下的订单|orders/i,
  ],
  ['order_items', /买了(?:啥|什么)|有哪些东西|有什么东西|商品明细|都有啥|都有什么|买的是啥/],
  // "走到哪一步 / 进度" asks how far the order got (its status), unless the parcel is named.
  ['order_status', /^(?!.*(?:物流|快递|包裹|运单|派送))(?=.*(?:到哪一步|哪个环节|进度|进展))/],
  [
    'order_payment',
    /付了多少|多少钱|实付|支付方式|付款方式|支付渠道|哪种支付|用(?:的)?什么(?:支付|付)|运费(?:收了|多少)|收运费|付款时间/,
  ],
  [
    'shipping_track',
    /物流|快递|到哪|(?:什么时候|多久|几天|哪天|几号)[^，。,]{0,6}(?:到|收到|送到|送达)|发货没|发货了吗|还没到|没收到|派送|签收|运单|包裹|tracking|where/i,
  ],
  ['shipping_policy', /几天发货|多久发货|什么时候发货|包邮|运费|发什么快递|哪家快递/],
  ['product_stock', /有货|有没有货|库存|缺货|现货|卖完|售罄|断货|in stock/i],
  [
    'product_info',
    /尺码|码数|规格|参数|怎么用|如何使用|使用方法|材质|面料|型号|尺寸|颜色|区别|推荐|功能|兼容|保质期|成分|说明书|好用吗|重量|适合|清洗|安装|充电|spec|size|colou?r/i,
  ],
  ['order_status', /订单|状态|怎么样了|什么情况|发货|order|DD\d{6,}|#?W\d{7}/i],
  ['thanks', /谢谢|感谢|多谢|thx|thanks|3q/i],
  ['greeting', /^(?:你好|您好|在吗|hi|hello|哈喽|嗨)[\s，,。!！?？～~]*$/i],
];

/**
 * Questions about a rule rather than about one order: asked with no order number and no reference
 * to the customer's own order, they are answered from the shop's policies, never with "请提供订单号".
 * Checked before INTENT_RULES. The one place these keyword lists live.
 */
const POLICY_RULES: [Intent, RegExp][] = [
  [
    'after_sales_policy',
    /(?:价保|保价)[^，。,]{0,6}(?:怎么|规则|政策|多久|几天|条件|流程)|怎么[^，。,]{0,4}(?:价保|保价)|(?:几天|多少天|多久|几日|多长时间)[^，。,]{0,6}[退换]|[退换][^，。,]{0,8}(?:几天|多少天|多久|几日|期限|时限|时间限制|多长)|无理由|(?:退换货?|退货|换货|售后|保修|价保)[^，。,]{0,6}(?:政策|规则|规定|规矩|流程|条件|须知)|怎么[退换]|运费谁(?:出|承担|付)|钱多久|退款[^，。,]{0,6}(?:多久|几天|多长时间)|多久[^，。,]{0,4}(?:到账|退给)/,
  ],
  [
    'shipping_policy',
    /(?:多久|几天|几个?小时|多长时间|什么时候)[^，。,]{0,6}(?:发货|发出|寄出)|发货(?:时间|时效)|包邮|免运费|运费(?:怎么|多少|是多少|谁出|标准)|多少钱起|发什么快递|哪家快递|配送范围|偏远地区/,
  ],
];

/** Words that point at the customer's own order or parcel: then a rule-like question is about it. */
const OWN_ORDER = /我的(?:订单|快递|包裹|退款|货)|我买的|我那|这单|这个订单|该订单|那单|上一单|刚才那|这笔/;

const INTENT_TASK: Record<Intent, Task> = {
  order_status: 'order',
  order_items: 'order',
  order_payment: 'order',
  order_cancel: 'order',
  order_address: 'order',
  order_list: 'order',
  invoice: 'order',
  shipping_track: 'shipping',
  shipping_policy: 'shipping',
  return: 'after_sales',
  exchange: 'after_sales',
  after_sales_status: 'after_sales',
  after_sales_policy: 'after_sales',
  warranty: 'after_sales',
  price_protect: 'after_sales',
  product_info: 'product',
  product_stock: 'product',
  greeting: 'other',
  thanks: 'other',
  other: 'other',
};

export function taskOfIntent(intent: Intent): Task {
  return INTENT_TASK[intent];
}

/** Intents that need an order to answer. */
export const ORDER_INTENTS: ReadonlySet<Intent> = new Set([
  'order_status',
  'order_items',
  'order_payment',
  'order_cancel',
  'order_address',
  'shipping_track',
  'return',
  'exchange',
  'after_sales_status',
  'price_protect',
]);

export interface Understood {
  task: Task;
  intent: Intent;
}

/**
 * The task and intent of `text`. `hasOrderOrTracking` says a slot named an order or tracking
 * number, so a bare id ("DD2024…") is an order-status question.
 */
export function classifyIntent(
  text: string,
  context: { hasOrder?: boolean; hasTracking?: boolean } = {},
): Understood {
  const normalised = text.normalize('NFKC');
  if (!context.hasOrder && !context.hasTracking && !OWN_ORDER.test(normalised)) {
    for (const [intent, pattern] of POLICY_RULES)
      if (pattern.test(normalised)) return { task: taskOfIntent(intent), intent };
  }
  for (const [intent, pattern] of INTENT_RULES) {
    if (pattern.test(normalised)) {
      // "有问题吗" style policy questions without an order stay policy questions.
      if (
        (intent === 'return' || intent === 'exchange') &&
        /政策|规则|规定|怎么[退换]|流程|多少天|几天内/.test(normalised) &&
        !context.hasOrder
      )
        return { task: 'after_sales', intent: 'after_sales_policy' };
      return { task: taskOfIntent(intent), intent };
    }
  }
  if (context.hasTracking) return { task: 'shipping', intent: 'shipping_track' };
  if (context.hasOrder) return { task: 'order', intent: 'order_status' };
  const task = pickTask(scoreText(normalised));
  const fallback: Record<Task, Intent> = {
    order: 'order_status',
    shipping: 'shipping_track',
    after_sales: 'after_sales_policy',
    product: 'product_info',
    other: 'other',
  };
  return { task, intent: fallback[task] };
}
