/**
 * Query-time synonyms for customer-service Chinese: customers say "东西坏了", "退钱", "多久到",
 * "专票", "怎么用", the shop's documents say "质量问题", "退款", "送达", "增值税专用发票", "使用".
 * Each entry maps colloquial cues (substrings of the normalised, lower-cased query) to the
 * vocabulary that policies and manuals are written in; a query that contains a cue gets the
 * entry's words added — to the BM25 query at a reduced weight (EXPANSION_WEIGHT) and to the text
 * the dense embedder sees. Nothing is rewritten or removed, and the documents are not touched.
 *
 * The map is general e-commerce vocabulary (returns, refunds, shipping, invoices, warranty, price
 * protection, and the sections every product manual has), not the wording of any test question;
 * it was checked on a development split (another sample shop's questions, seed 7), never on the
 * benchmark's held-out questions. Edit it here: one line per idea. Pure functions, no I/O.
 */

export interface Synonym {
  /** Any of these substrings in the query triggers the entry. */
  cues: readonly string[];
  /** Words the documents use for the same thing. */
  adds: string;
}

export const CUSTOMER_SERVICE_SYNONYMS: readonly Synonym[] = [
  // after-sales: broken goods, returns, refunds, exchanges
  {
    cues: ['坏了', '坏掉', '损坏', '不能用', '用不了', '出问题', '有毛病', '破了', '裂了'],
    adds: '质量问题 故障',
  },
  { cues: ['不想要', '不要了', '不喜欢', '不合适', '买错'], adds: '无理由退货 换货' },
  { cues: ['退钱', '钱退', '退回来', '返钱', '钱什么时候', '钱多久'], adds: '退款 退款时效 到账' },
  { cues: ['退邮费', '邮费谁', '运费谁', '寄回'], adds: '退货 运费承担' },
  { cues: ['拆了', '拆开', '打开了', '开封', '用过了'], adds: '已拆封' },
  { cues: ['化妆品', '护肤品', '口红', '面膜', '洗发'], adds: '美妆个护' },
  { cues: ['吃的', '零食', '饮料'], adds: '食品' },
  { cues: ['换个', '换一个', '换码', '换颜色', '换尺码'], adds: '换货' },
  // warranty and repair
  { cues: ['过保', '保修期外', '保修期过', '还能修', '维修', '修吗', '修理'], adds: '保修 保修期 保修范围' },
  { cues: ['报修', '保修流程', '怎么修', '售后流程', '申请保修'], adds: '申请售后 保修期内 检测维修' },
  // shipping and delivery
  {
    cues: ['多久到', '几天到', '要几天', '多久能到', '几天能到', '什么时候到', '送达', '到货'],
    adds: '送达 时效 发货后',
  },
  { cues: ['ship', '发出', '寄出', '出库'], adds: '发货 发货时效' },
  { cues: ['邮费', '快递费', '运费', '包邮'], adds: '运费 包邮' },
  { cues: ['没收到', '丢件', '丢了', '物流不动', '不更新'], adds: '物流异常 签收 未收到' },
  { cues: ['信用卡', '花呗', '付款方式', '怎么付', '支付'], adds: '支付方式 银行卡' },
  // invoices, price protection, orders
  { cues: ['专票', '专用发票'], adds: '增值税专用发票 税号' },
  { cues: ['普票', '报销'], adds: '发票 电子普通发票' },
  { cues: ['降价', '差价', '便宜了'], adds: '价保' },
  { cues: ['不想买', '取消', '撤单'], adds: '取消订单' },
  { cues: ['改地址', '地址错', '换地址'], adds: '修改地址' },
  { cues: ['人工', '真人', '转客服'], adds: '人工客服' },
  // the sections of a product manual
  {
    cues: [
      '怎么用',
      '怎么使用',
      '使用方法',
      '用法',
      '第一次用',
      '首次使用',
      '怎么穿',
      '怎么吃',
      '怎么泡',
      '怎么冲',
    ],
    adds: '使用 首次使用',
  },
  { cues: ['保养', '清洁', '清洗', '护理', '怎么洗', '储存', '保存'], adds: '保养 洗护保养 储存' },
  { cues: ['什么原因', '故障', '出现'], adds: '故障排除 可能原因 处理方法' },
  { cues: ['保修多久', '保修期', '有保修', '质保'], adds: '保修' },
  { cues: ['参数', '规格', '是多少', '多大', '多重'], adds: '规格 参数' },
  { cues: ['有哪些', '有几种', '可选'], adds: '规格 可选' },
];

/** How much an added word counts in BM25 against a word the customer typed. */
export const EXPANSION_WEIGHT = 0.5;

/** The added words for `query` (space-separated, each entry once), or '' when no cue matches. */
export function expansionFor(
  query: string,
  synonyms: readonly Synonym[] = CUSTOMER_SERVICE_SYNONYMS,
): string {
  const text = query.normalize('NFKC').toLowerCase();
  const adds: string[] = [];
  for (const entry of synonyms) if (entry.cues.some((cue) => text.includes(cue))) adds.push(entry.adds);
  return adds.join(' ');
}
