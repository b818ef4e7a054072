/**
 * The shop's stated rules (ShopInfo.policy: return and exchange windows, refund time, dispatch
 * time, free-shipping threshold, price protection, invoices) as the answer to a rule question, so
 * the numbers come from the order book whatever language the policy documents are written in
 * (τ-bench's policy.md is English). A rule the shop does not state (a window of 0, an empty
 * string or list: τ-bench states no windows) is answered as "not stated", never with a number.
 * Pure; does not retrieve passages (./retrieval.ts) or decide when a turn is a rule question.
 */
import type { PolicyFacts } from '../../shop/types.js';
import type { Money } from '../tools/facts.js';

export interface PolicyLine {
  /** What the rule is about, e.g. 退款到账时间. */
  topic: string;
  /** The rule in a few words, or undefined when the shop's policy does not state it. */
  rule?: string;
}

interface RuleSpec {
  /** The question asks about this rule. */
  asks: RegExp;
  /** Rules a match of this one rules out (退款几天到账 is not the return window). */
  excludes?: string[];
  topic: string;
  rule(policy: PolicyFacts, money: Money): string | undefined;
}

/** Question words → the stated rule, most specific first. The one place these keyword lists live. */
const RULES: (RuleSpec & { id: string })[] = [
  {
    id: 'refund',
    asks: /打款|钱[^，。,]{0,4}(?:多久|几天|多长时间)|退款[^，。,]{0,6}(?:多久|几天|到账|多长时间)|(?:多久|几天|多长时间)[^，。,]{0,4}(?:到账|退给|退回来)/,
    excludes: ['return', 'exchange'],
    topic: '退款到账时间',
    rule: (p) => p.refundDaysOriginal || undefined,
  },
  {
    id: 'return',
    asks: /无理由|(?:几天|多少天|期限|时限|时间限制|多长)[^，。,]{0,6}退(?!款)|退(?!款)[^换，。,]{0,8}(?:几天|多少天|期限|时限|时间限制|多长)|退换货?[^，。,]{0,6}(?:规矩|规则|政策|规定|流程)|退货[^，。,]{0,6}(?:规矩|规则|政策|规定)/,
    topic: '无理由退货',
    rule: (p) => (p.returnDays > 0 ? `签收后${p.returnDays}天内可申请` : undefined),
  },
  {
    id: 'exchange',
    asks: /换[^，。,]{0,8}(?:几天|多少天|多久|期限|时限|时间限制|多长)|(?:几天|多少天|多久)[^，。,]{0,6}换|退换货?[^，。,]{0,6}(?:规矩|规则|政策|规定|流程)|换货[^，。,]{0,6}(?:规矩|规则|政策|规定)/,
    topic: '换货',
    rule: (p) => (p.exchangeDays > 0 ? `签收后${p.exchangeDays}天内可申请` : undefined),
  },
  {
    id: 'dispatch',
    asks: /(?:多久|几天|几个?小时|多长时间|什么时候)[^，。,]{0,6}(?:发货|发出|寄出)|发货[^，。,]{0,4}(?:时间|时效)|(?:发货|运费)[^，。,]{0,4}(?:规定|规则|政策)/,
    topic: '发货时间',
    rule: (p) => (p.shipWithinHours > 0 ? `付款后${p.shipWithinHours}小时内发货` : undefined),
  },
  {
    id: 'shipping_fee',
    asks: /包邮|免运费|^(?!.*[退换]).*运费/,
    topic: '运费',
    rule: (p, money) =>
      p.freeShippingThreshold > 0
        ? `单笔实付满${money(p.freeShippingThreshold)}包邮${p.standardShippingFee > 0 ? `，不满收取运费${money(p.standardShippingFee)}` : ''}`
        : undefined,
  },
  {
    id: 'price_protect',
    asks: /价保|保价/,
    topic: '价保',
    rule: (p) => (p.priceProtectDays > 0 ? `购买后${p.priceProtectDays}天内降价可申请价保` : undefined),
  },
  {
    id: 'invoice',
    asks: /发票|开票/,
    topic: '发票',
    rule: (p) => (p.invoiceKinds.length > 0 ? `可开${p.invoiceKinds.join('、')}` : undefined),
  },
];

/** The rules `question` asks about, each with the shop's stated rule or none. */
export function policyLines(policy: PolicyFacts, question: string, money: Money): PolicyLine[] {
  const text = question.normalize('NFKC');
  const asked = RULES.filter((r) => r.asks.test(text));
  const excluded = new Set(asked.flatMap((r) => r.excludes ?? []));
  return asked
    .filter((r) => !excluded.has(r.id))
    .map((r) => {
      const rule = r.rule(policy, money);
      return rule ? { topic: r.topic, rule } : { topic: r.topic };
    });
}
