/**
 * The shop's policy FAQ: each item has several ways customers ask it and the policy rules that
 * answer it. docs/faq.md lists the first wording with its answer; the FAQ dataset and dialogues
 * draw the other wordings. Data plus the faq.md renderer; no randomness, no I/O.
 */
import type { Task } from '../../data/example.js';
import type { FaqEntry } from '../types.js';
import { RULES, type RuleKey, ruleSource, SHOP_NAME } from './policies.js';

export interface PolicyFaq {
  task: Task;
  questions: string[];
  rules: RuleKey[];
}

export const POLICY_FAQ: PolicyFaq[] = [
  {
    task: 'after_sales',
    questions: ['支持7天无理由退货吗？', '买了不喜欢能退吗', '七天无理由怎么算的', '收到货不想要了可以退吗'],
    rules: ['returnRule', 'returnExcluded'],
  },
  {
    task: 'after_sales',
    questions: ['退货运费谁出？', '退货邮费要我自己付吗', '质量问题退货运费怎么算'],
    rules: ['returnShipping'],
  },
  {
    task: 'after_sales',
    questions: ['退款多久到账？', '退款什么时候能到', '钱什么时候退回来', '退款到账要几天'],
    rules: ['refundTime'],
  },
  {
    task: 'after_sales',
    questions: ['可以换货吗？', '尺码不合适能换吗', '颜色不喜欢可以换吗', '换货要多久内申请'],
    rules: ['exchangeRule'],
  },
  {
    task: 'after_sales',
    questions: ['收到的商品有质量问题怎么办？', '东西坏了怎么处理', '质量问题可以退吗'],
    rules: ['qualityRule'],
  },
  {
    task: 'after_sales',
    questions: ['食品可以退吗？', '化妆品拆了还能退吗', '吃的东西支持无理由吗'],
    rules: ['returnExcluded', 'qualityRule'],
  },
  {
    task: 'after_sales',
    questions: ['商品保修多久？', '保修怎么算', '过保了还能修吗', '人为损坏保修吗'],
    rules: ['warranty'],
  },
  {
    task: 'after_sales',
    questions: ['怎么申请保修？', '坏了怎么报修', '保修流程是什么'],
    rules: ['warrantyHowTo'],
  },
  {
    task: 'after_sales',
    questions: ['买了就降价了怎么办？', '有价保吗', '价保多少天', '降价了能退差价吗'],
    rules: ['priceProtect'],
  },
  {
    task: 'other',
    questions: ['可以开发票吗？', '发票怎么开', '电子发票在哪下载', '能开发票吗'],
    rules: ['invoice'],
  },
  {
    task: 'other',
    questions: ['能开增值税专用发票吗？', '公司报销要专票', '专票需要什么信息'],
    rules: ['invoiceVat'],
  },
  {
    task: 'other',
    questions: ['运费怎么收？', '包邮吗', '满多少包邮', '邮费多少钱'],
    rules: ['shippingFee'],
  },
  {
    task: 'other',
    questions: ['下单后多久发货？', '什么时候发货', '几天能发货', '发货要多久'],
    rules: ['shipTime'],
  },
  {
    task: 'other',
    questions: ['发什么快递？', '能指定顺丰吗', '可以发京东快递吗', '用哪家快递'],
    rules: ['carrierRule'],
  },
  {
    task: 'other',
    questions: ['快递一般几天到？', '发货后多久能收到', '物流要几天'],
    rules: ['transitTime'],
  },
  {
    task: 'other',
    questions: ['物流好几天不更新怎么办？', '显示签收了但我没收到', '快递丢了怎么办'],
    rules: ['lostParcel'],
  },
  {
    task: 'other',
    questions: ['怎么取消订单？', '订单还能取消吗', '不想要了怎么取消', '发货了还能取消吗'],
    rules: ['cancel'],
  },
  {
    task: 'other',
    questions: ['可以修改收货地址吗？', '地址填错了怎么办', '怎么改地址'],
    rules: ['address'],
  },
  {
    task: 'other',
    questions: ['支持哪些付款方式？', '可以用微信付款吗', '能用信用卡吗', '没付款订单会怎样'],
    rules: ['payment'],
  },
  { task: 'other', questions: ['人工客服什么时候上班？', '怎么转人工', '客服几点下班'], rules: ['service'] },
  {
    task: 'other',
    questions: ['能帮我查别人的订单吗？', '帮我朋友查下订单', '能告诉我他的收货地址吗'],
    rules: ['privacy'],
  },
  { task: 'other', questions: ['快递客服电话是多少？', '顺丰电话多少', '怎么联系快递'], rules: ['carriers'] },
];

/** The answer text of a policy FAQ item (rule sentences joined). */
export function policyAnswer(item: PolicyFaq): string {
  return item.rules.map((k) => RULES[k]).join('');
}

export function faqEntries(): FaqEntry[] {
  return POLICY_FAQ.map((item) => ({
    question: item.questions[0]!,
    answer: policyAnswer(item),
    source: ruleSource(item.rules[0]!),
    task: item.task,
  }));
}

export function faqMarkdown(entries: FaqEntry[]): string {
  const body = entries.map((e, i) => `## ${i + 1}. ${e.question}\n\n${e.answer}\n\n来源：${e.source}\n`);
  return `# 常见问题（FAQ）\n\n${SHOP_NAME}常见问题汇总，答案以各项政策文件为准。\n\n${body.join('\n')}`;
}
