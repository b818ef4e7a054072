/**
 * Task labelling by keyword and pattern rules: `classifyTask` puts an `Example` into one of the
 * seed's four customer-service tasks (order, shipping, after_sales, product) or `other`.
 * It scores the user turns (and, at half weight, alpaca `input`) against weighted rules and picks
 * the highest score; a label already on the example always wins. Pure and synchronous.
 * Does not use a model, does not look at assistant replies, and does not modify the example.
 */
import type { Example, Task } from './example.js';

export type ScoredTask = Exclude<Task, 'other'>;

export interface TaskRule {
  task: ScoredTask;
  /** A plain substring (case-insensitive for ASCII) or a regular expression. */
  pattern: string | RegExp;
  weight: number;
}

/** Ties go to the task listed first: the more specific intent beats the more general one. */
const TIE_ORDER: readonly ScoredTask[] = ['after_sales', 'shipping', 'order', 'product'];

/** Alpaca `input` mostly carries looked-up context (order numbers, logistics status): counts half. */
const INPUT_WEIGHT = 0.5;

function words(task: ScoredTask, weight: number, list: string[]): TaskRule[] {
  return list.map((pattern) => ({ task, pattern, weight }));
}

export const TASK_RULES: readonly TaskRule[] = [
  // order: placing, paying, changing, cancelling, invoicing
  ...words('order', 3, ['取消订单', '改地址', '修改地址', '地址填错', '地址写错', '换地址', '发票', '开票']),
  ...words('order', 2, ['订单', '下单', '下了单', '付款', '支付', '付不了', '拍下', '拍错', '拍了', '改价']),
  ...words('order', 1, ['地址', '优惠券', '满减', '合并付款', '货到付款']),
  { task: 'order', pattern: /(?<![A-Za-z0-9])DD\d{6,}/i, weight: 3 },
  { task: 'order', pattern: /(?<!\d)\d{18,19}(?!\d)/, weight: 1 },
  { task: 'order', pattern: /\b(?:order|orders|invoice|checkout|payment|pay|paid)\b/i, weight: 1 },
  { task: 'order', pattern: /\bcancel(?:led|ing)?\b/i, weight: 1 },
  // shipping: where is it, when does it ship, courier and tracking
  ...words('shipping', 3, [
    '物流',
    '快递',
    '发货',
    '到哪了',
    '到哪儿了',
    '到哪里了',
    '运单',
    '签收',
    '派送',
    '揽收',
    '什么时候到',
    '多久到',
    '几天到',
    '还没到',
  ]),
  ...words('shipping', 2, [
    '配送',
    '送到',
    '到货',
    '没收到',
    '顺丰',
    '圆通',
    '中通',
    '韵达',
    '申通',
    '邮政',
    '驿站',
  ]),
  ...words('shipping', 1, ['催', '包裹']),
  { task: 'shipping', pattern: /(?<![A-Za-z0-9])(?:SF|YT|JDX?|ZTO|STO|YD|EMS)\d{8,}/i, weight: 3 },
  {
    task: 'shipping',
    pattern: /\b(?:tracking|shipped|shipping|delivery|delivered|courier|parcel)\b/i,
    weight: 2,
  },
  { task: 'shipping', pattern: /\bwhere(?:'s| is)? my (?:package|parcel|order)\b/i, weight: 2 },
  // after_sales: returns, refunds, exchanges, repairs, defects
  ...words('after_sales', 3, [
    '退货',
    '退款',
    '退钱',
    '换货',
    '售后',
    '保修',
    '维修',
    '质量问题',
    '七天无理由',
    '7天无理由',
    '破损',
    '能退',
    '可以退',
    '想退',
    '要退',
    '申请退',
  ]),
  ...words('after_sales', 2, [
    '坏了',
    '损坏',
    '瑕疵',
    '不能用',
    '用不了',
    '寄回',
    '退回',
    '补发',
    '少发',
    '漏发',
    '发错',
    '投诉',
    '赔偿',
    '换一个',
  ]),
  {
    task: 'after_sales',
    pattern: /\b(?:refund|return|returns|warranty|defective|broken|damaged)\b/i,
    weight: 3,
  },
  { task: 'after_sales', pattern: /\b(?:exchange|repair)\b/i, weight: 2 },
  // product: sizes, specs, usage, stock, comparison
  ...words('product', 3, [
    '尺码',
    '码数',
    '多大码',
    '穿多大',
    '色号',
    '规格',
    '参数',
    '怎么用',
    '如何使用',
    '使用方法',
    '材质',
    '面料',
    '型号',
    '尺寸',
    '有没有货',
    '有货吗',
  ]),
  ...words('product', 2, [
    '颜色',
    '区别',
    '推荐',
    '有货',
    '现货',
    '库存',
    '缺货',
    '重量',
    '适合',
    '功能',
    '防水',
    '兼容',
    '保质期',
    '成分',
    '说明书',
    '好用吗',
    '质量怎么样',
  ]),
  { task: 'product', pattern: /\b(?:size|sizes|colou?r|specs?|material|compatible|recommend)\b/i, weight: 2 },
  { task: 'product', pattern: /\b(?:in stock|how to use|difference)\b/i, weight: 3 },
];

function matches(rule: TaskRule, text: string, lower: string): boolean {
  if (typeof rule.pattern === 'string') return lower.includes(rule.pattern.toLowerCase());
  return rule.pattern.test(text);
}

export type TaskScores = Record<ScoredTask, number>;

function emptyScores(): TaskScores {
  return { order: 0, shipping: 0, after_sales: 0, product: 0 };
}

/** Add each rule's weight (times `factor`) once if it matches anywhere in `text`. */
export function scoreText(text: string, scores: TaskScores = emptyScores(), factor = 1): TaskScores {
  if (!text) return scores;
  const lower = text.toLowerCase();
  for (const rule of TASK_RULES) {
    if (matches(rule, text, lower)) scores[rule.task] += rule.weight * factor;
  }
  return scores;
}

/** The best-scoring task, `other` when nothing scored. */
export function pickTask(scores: TaskScores): Task {
  let best: Task = 'other';
  let bestScore = 0;
  for (const task of TIE_ORDER) {
    if (scores[task] > bestScore) {
      best = task;
      bestScore = scores[task];
    }
  }
  return best;
}

/**
 * Scores for every task: each user turn is scored on its own, so a topic the customer keeps
 * coming back to outweighs one mentioned once; `input` counts at half weight.
 */
export function scoreExample(example: Pick<Example, 'messages' | 'input'>): TaskScores {
  const scores = emptyScores();
  for (const message of example.messages) {
    if (message.role === 'user') scoreText(message.content, scores);
  }
  if (example.input) scoreText(example.input, scores, INPUT_WEIGHT);
  return scores;
}

/** The example's task: its own `task` label when set, else the rule-based guess. */
export function classifyTask(example: Pick<Example, 'messages' | 'input' | 'task'>): Task {
  if (example.task) return example.task;
  return pickTask(scoreExample(example));
}

/** Classify a single piece of user text (for previews and tests). */
export function classifyText(text: string): Task {
  return pickTask(scoreText(text));
}
