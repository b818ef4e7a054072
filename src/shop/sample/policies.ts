/**
 * The sample shop's policies: one set of numbers (`POLICY`), the rule sentences built from them
 * (`RULES`, quoted verbatim by documents, FAQ and dialogues so every answer is grounded), and the
 * Markdown policy documents written to docs/policies/. No randomness, no I/O.
 */
import type { PolicyDocument, PolicyFacts } from '../types.js';
import { yuan } from './format.js';
import { CARRIER_HOTLINE } from './logistics.js';

export const SHOP_NAME = '悦家优选官方旗舰店';

export const POLICY: PolicyFacts = {
  returnDays: 7,
  exchangeDays: 15,
  freeShippingThreshold: 9900,
  standardShippingFee: 1000,
  shipWithinHours: 48,
  priceProtectDays: 7,
  refundDaysOriginal: '1-3个工作日',
  returnShippingByShopIfQuality: true,
  invoiceKinds: ['电子普通发票', '增值税专用发票'],
  serviceHours: '每天9:00-22:00',
  cancelWindow: '发货前',
};

const P = POLICY;

/** Rule sentences; the single wording used everywhere. */
export const RULES = {
  returnRule: `签收后${P.returnDays}天内，商品及包装完好、不影响二次销售的，可申请${P.returnDays}天无理由退货。`,
  returnExcluded: '食品、已拆封的美妆个护等商品不支持无理由退货，质量问题除外。',
  returnShipping: '无理由退货的寄回运费由买家承担；质量问题或发错货由本店承担运费。',
  refundTime: `仓库收到退货并验货通过后${P.refundDaysOriginal}内原路退款，银行卡到账可能再需要1-3个工作日。`,
  exchangeRule: `签收后${P.exchangeDays}天内，尺码或颜色不合适可申请换货（同款同价且有库存），每单限换1次。`,
  qualityRule: `签收后${P.exchangeDays}天内出现质量问题可退可换，来回运费由本店承担。`,
  shipTime: `付款后${P.shipWithinHours}小时内发货，预售商品以详情页标注时间为准。`,
  shippingFee: `单笔实付满${yuan(P.freeShippingThreshold)}包邮，不满收取运费${yuan(P.standardShippingFee)}。`,
  carrierRule: '快递由系统按收货地区分配（顺丰、中通、圆通、京东、EMS），暂不支持指定快递。',
  transitTime: '一般发货后1-4天送达，顺丰、京东多为1-2天，偏远地区会更久。',
  lostParcel: '物流超过3天未更新或显示签收但未收到的，请联系客服，我们会联系快递核实并在48小时内给您答复。',
  warranty:
    '家电、数码、鞋类商品按商品页标注的保修期提供保修，保修期自签收之日起计算；人为损坏、进水不在保修范围内。',
  warrantyHowTo:
    '保修期内出现故障，请在订单详情页点击“申请售后”并上传故障照片或视频，审核通过后寄回检测维修。',
  priceProtect: `购买后${P.priceProtectDays}天内，同一商品同一规格在本店降价的，可申请价保退还差价；秒杀、优惠券抵扣部分除外。`,
  invoice: '支持电子普通发票和增值税专用发票；电子普通发票在确认收货后24小时内开具，可在订单详情页下载。',
  invoiceVat: '增值税专用发票需提供公司名称、税号、开户行及账号，开具后随包裹或邮寄寄出。',
  cancel: '未发货的订单可直接申请取消，款项原路退回；已发货的订单无法取消，可拒收或签收后申请退货。',
  address: '订单发货前可修改收货地址，发货后无法修改，可联系快递员协商转寄。',
  payment: '支持支付宝、微信支付和银行卡支付；下单后30分钟内未付款订单将自动取消。',
  service: `人工客服服务时间：${P.serviceHours}，其他时间可留言，上班后优先处理。`,
  privacy: '为保护隐私，我们只能查询当前账号本人的订单，不能提供他人的订单、电话或收货地址。',
  carriers: `快递客服电话：${Object.entries(CARRIER_HOTLINE)
    .filter(([, t]) => t !== '')
    .map(([c, t]) => `${c} ${t}`)
    .join('，')}。`,
} as const;

export type RuleKey = keyof typeof RULES;

interface DocSpec {
  slug: string;
  title: string;
  intro: string;
  sections: [string, RuleKey[]][];
}

const DOCS: DocSpec[] = [
  {
    slug: 'returns',
    title: '退货退款政策（7天无理由退货）',
    intro: '本政策说明退货条件、运费承担与退款时效。',
    sections: [
      ['适用条件', ['returnRule', 'returnExcluded']],
      ['运费承担', ['returnShipping']],
      ['退款时效', ['refundTime']],
    ],
  },
  {
    slug: 'exchange',
    title: '换货政策',
    intro: '本政策说明换货条件与质量问题处理。',
    sections: [
      ['换货条件', ['exchangeRule']],
      ['质量问题', ['qualityRule']],
    ],
  },
  {
    slug: 'shipping',
    title: '运费与发货时效',
    intro: '本政策说明运费、发货时效、快递与物流异常处理。',
    sections: [
      ['运费', ['shippingFee']],
      ['发货时效', ['shipTime', 'transitTime']],
      ['快递公司', ['carrierRule', 'carriers']],
      ['物流异常', ['lostParcel']],
      ['修改地址', ['address']],
    ],
  },
  {
    slug: 'warranty',
    title: '保修政策',
    intro: '本政策说明保修范围与申请方式。',
    sections: [
      ['保修范围', ['warranty']],
      ['申请方式', ['warrantyHowTo']],
    ],
  },
  {
    slug: 'price-protection',
    title: '价格保护（价保）',
    intro: '本政策说明价保的期限与规则。',
    sections: [['价保规则', ['priceProtect']]],
  },
  {
    slug: 'invoice',
    title: '发票说明',
    intro: '本政策说明发票类型与开具方式。',
    sections: [
      ['发票类型', ['invoice']],
      ['增值税专用发票', ['invoiceVat']],
    ],
  },
  {
    slug: 'orders',
    title: '订单、支付与客服',
    intro: '本政策说明订单取消、支付方式、隐私与客服时间。',
    sections: [
      ['取消订单', ['cancel']],
      ['支付方式', ['payment']],
      ['隐私保护', ['privacy']],
      ['客服时间', ['service']],
    ],
  },
];

/** Which policy document a rule is written in. */
export function ruleSource(key: RuleKey): string {
  const doc = DOCS.find((d) => d.sections.some(([, keys]) => keys.includes(key)));
  return doc ? `docs/policies/${doc.slug}.md` : 'docs/policies';
}

/** The policy documents as Markdown. */
export function policyDocuments(): PolicyDocument[] {
  return DOCS.map((d) => {
    const body = d.sections.map(
      ([heading, keys]) => `## ${heading}\n\n${keys.map((k) => `- ${RULES[k]}`).join('\n')}\n`,
    );
    return {
      slug: d.slug,
      title: d.title,
      markdown: `# ${d.title}\n\n${SHOP_NAME}。${d.intro}\n\n${body.join('\n')}`,
    };
  });
}
