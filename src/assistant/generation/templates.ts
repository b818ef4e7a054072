/**
 * Template answers in the shop's voice, used where the words must be exact (asking for an order
 * number, asking for a confirmation, handing off) and as the safe fallback when a model reply fails
 * grounding. Every fact in a template comes from a tool result, a passage or the shop config; no
 * number is made up here. Deterministic (the opener rotates with the turn number).
 */
import type { Handoff, HandoffReason, Passage, ToolResult } from '../contracts.js';
import type { Intent } from '../understanding/intent.js';

export interface Voice {
  shopName: string;
  personaName: string;
  tone: 'warm' | 'formal';
}

const WARM_OPENERS = ['亲，', '您好，', '亲，您好～', '好的亲，'];
const FORMAL_OPENERS = ['您好，', '您好，', '您好，', '好的，'];
const WARM_CLOSERS = ['还有其他可以帮您的吗？', '有任何问题随时找我哦～', '祝您购物愉快！'];
const FORMAL_CLOSERS = ['请问还有其他可以帮您的吗？', '如有其他问题，欢迎随时咨询。', '感谢您的支持。'];

/** Fact keys each intent's answer should mention, in order. */
const INTENT_FACT_KEYS: Partial<Record<Intent, RegExp[]>> = {
  order_status: [/^状态$|订单状态/, /^商品/, /实付/, /物流状态|^最新/],
  order_items: [/^商品/, /数量|规格/],
  order_list: [/最近订单/],
  order_payment: [/实付|金额/, /支付方式/, /运费/, /付款时间/],
  shipping_track: [/物流状态/, /^最新/, /预计送达/, /签收时间/, /承运商/, /运单号/],
  order_address: [/收货地区|收货地址/],
  after_sales_status: [/^售后$|售后状态/, /售后单号/, /退款金额/],
  product_info: [/型号/, /最低价|价格/, /保修/],
  product_stock: [/库存|有货/],
  return: [/可退|退货|无理由/, /质量问题/, /已签收天数/],
  exchange: [/可换|换货/, /已签收天数/],
};

/**
 * What a product question asks about, beyond the spec names themselves (a spec key such as 接口 or
 * 面料 named in the question is asked about directly). The one place these keyword lists live.
 */
const PRODUCT_ASKS = {
  warranty: /保修|质保|保固|包修|维修|坏了|故障/,
  sevenDay: /无理由|7天|七天/,
  stock: /有货|有没有货|库存|缺货|现货|还有吗|卖完|售罄|断货/,
} as const;

/** Chinese words for option axes (τ-bench names them in English). */
const AXIS_WORDS: Record<string, RegExp> = {
  color: /颜色|色/,
  size: /尺码|尺寸|大小|码/,
  material: /材质|材料/,
  style: /款式|样式/,
  capacity: /容量/,
  storage: /存储|内存|容量/,
  type: /类型|种类|款式/,
};

/** The option axes a question asks to list ("有哪些颜色"), with their distinct values. */
function askedAxes(text: string, variants: readonly { options: Record<string, string> }[]): string[] {
  if (!/哪些|哪几|几种|什么|可选|可以选|能选|挑/.test(text)) return [];
  const values = new Map<string, string[]>();
  for (const v of variants)
    for (const [axis, value] of Object.entries(v.options)) {
      const list = values.get(axis) ?? [];
      if (!list.includes(value)) list.push(value);
      values.set(axis, list);
    }
  return [...values]
    .filter(
      ([axis, list]) =>
        list.length > 1 && (text.includes(axis) || AXIS_WORDS[axis.toLowerCase()]?.test(text)),
    )
    .map(([axis, list]) => `可选${axis}有${list.join('、')}`);
}

/** Other words customers use for a spec key ("材质" asked as 什么做的 …). */
const SPEC_SYNONYMS: Record<string, RegExp> = {
  面料: /面料|布料|材质|成分|什么料/,
  材质: /材质|材料|什么做的/,
  保质期: /保质期|能放多久|过期/,
  重量: /重量|多重|几斤|多少克/,
  续航: /续航|用多久|待机/,
  接口: /接口|插口|充电口/,
  屏幕: /屏幕|屏/,
  尺寸: /尺寸|多大/,
};

interface ProductData {
  name: string;
  specs?: Record<string, string>;
  warrantyMonths?: number;
  sevenDayReturn?: boolean;
  variants?: { stock: number; options: Record<string, string> }[];
}

function warrantyOf(months: number): string {
  if (months === 0) return '不提供保修服务，质量问题按退换货政策处理';
  const years = months % 12 === 0 ? `（${months / 12}年）` : '';
  return `保修期为${months}个月${years}，自签收之日起计算`;
}

/** How many distinct Chinese character bigrams of `question` appear in `text`. */
function sharedBigrams(question: string, text: string): number {
  const seen = new Set<string>();
  for (const run of question.match(/[\u4e00-\u9fff]+/g) ?? [])
    for (let i = 0; i + 1 < run.length; i += 1) {
      const bigram = run.slice(i, i + 2);
      if (text.includes(bigram)) seen.add(bigram);
    }
  return seen.size;
}

/** At most `max` characters, cut after the last separator that fits. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = Math.max(cut.lastIndexOf('；'), cut.lastIndexOf('，'), cut.lastIndexOf(';'));
  return `${at > max / 2 ? cut.slice(0, at) : cut}等`;
}

export class Templates {
  constructor(
    private readonly voice: Voice,
    private readonly turn = 0,
  ) {}

  private pick(list: readonly string[]): string {
    return list[this.turn % list.length]!;
  }

  opener(): string {
    return this.pick(this.voice.tone === 'warm' ? WARM_OPENERS : FORMAL_OPENERS);
  }

  closer(): string {
    return this.pick(this.voice.tone === 'warm' ? WARM_CLOSERS : FORMAL_CLOSERS);
  }

  private wrap(body: string, close = true): string {
    const text = body.trim();
    const ended = /[。！？～!?]$/.test(text) ? text : `${text}。`;
    return `${this.opener()}${ended}${close ? this.closer() : ''}`;
  }

  greeting(): string {
    const who = this.voice.personaName
      ? `我是${this.voice.shopName}的客服${this.voice.personaName}`
      : `这里是${this.voice.shopName}智能客服`;
    return `您好，${who}，请问有什么可以帮您？订单、物流、售后和商品的问题都可以问我哦～`;
  }

  /** A yes or no with nothing waiting for it. */
  acknowledge(): string {
    return this.voice.tone === 'warm' ? '好的亲～请问还有什么可以帮您的吗？' : '好的，请问还有什么可以帮您？';
  }

  thanks(): string {
    return this.voice.tone === 'warm'
      ? '不客气哦～能帮到您很开心，祝您购物愉快！'
      : '不客气，很高兴为您服务。';
  }

  askOrder(intent: Intent): string {
    const what: Partial<Record<Intent, string>> = {
      shipping_track: '查物流',
      order_cancel: '取消订单',
      order_address: '修改地址',
      return: '办理退货',
      exchange: '办理换货',
      price_protect: '申请价保',
    };
    const doing = what[intent] ?? '查询';
    return this.wrap(`请您提供一下订单号（在“我的订单”里可以复制），我马上为您${doing}`, false);
  }

  askProduct(): string {
    return this.wrap('请问您咨询的是哪款商品呢？发一下商品名称或型号，我帮您查一下', false);
  }

  /** Nothing found under this customer for what they named. */
  notFound(result: ToolResult, named?: string): string {
    const body = result.message || (named ? `没有查到${named}的相关记录` : '没有查到相关记录');
    return this.wrap(`${body.replace(/[。.]$/, '')}，麻烦您核对一下订单号后再发给我`, false);
  }

  /** The summary of a change and the question the customer answers with 确认 / 不用了. */
  confirm(summary: string): string {
    return `${this.opener()}请确认以下操作：${summary.replace(/[。.]$/, '')}。确认办理请回复“确认”，不需要请回复“不用了”。`;
  }

  /** The exchange is possible: which spec (size / colour) does the customer want instead? */
  askExchangeSpec(eligibility: ToolResult): string {
    const window = eligibility.facts.find((f) => f.key === '换货')?.value;
    const item = eligibility.facts.find((f) => f.key === '商品')?.value;
    const can = `${item ? `${item}` : '这件商品'}可以换货${window ? `（${window}）` : ''}`;
    return this.wrap(`${can}，请问您要换成哪个尺码或规格呢？告诉我后马上为您提交`, false);
  }

  /** The address change needs the new address, written out in full. */
  askAddress(): string {
    return this.wrap(
      '请把新的收货地址完整发给我（省市区+详细地址，或 街道门牌, 城市, 州 邮编），我核对后为您修改',
      false,
    );
  }

  declined(): string {
    return this.wrap('好的，已为您取消这次操作，订单不做任何改动', true);
  }

  /**
   * A tool's own customer-safe summary as the answer, plus the facts the intent asks about that
   * the summary does not already say (the items for "买了什么", the amount for "付了多少" …).
   */
  fromTool(result: ToolResult, intent?: Intent): string {
    const wanted = intent ? INTENT_FACT_KEYS[intent] : undefined;
    const body = clip(result.message.trim(), 200).replace(/[。.]$/, '');
    const extra = (wanted ?? [])
      .flatMap((pattern) => result.facts.filter((f) => pattern.test(f.key)))
      .filter((f, i, all) => all.indexOf(f) === i && f.value && !body.includes(f.value.trim()))
      .slice(0, 4)
      .map((f) => `${f.key}：${clip(f.value.trim(), 260)}`);
    if (body) return this.wrap(extra.length ? `${body}。${extra.join('；')}` : body);
    const lines = result.facts.map((f) => `${f.key}：${f.value}`).join('；');
    return this.wrap(`为您查到：${lines}`);
  }

  /**
   * The product fact the question asks for (a spec, the warranty, 7-day returns, stock), from a
   * product-details result, then the price in a few words; undefined when the question names no
   * attribute (the model, or fromTool, answers then).
   */
  productFact(result: ToolResult, question: string): string | undefined {
    const product = (result.data as { product?: ProductData } | undefined)?.product;
    if (!product || result.outcome !== 'ok') return undefined;
    const text = question.normalize('NFKC');
    const parts: string[] = [];
    for (const [key, value] of Object.entries(product.specs ?? {})) {
      if (text.includes(key) || SPEC_SYNONYMS[key]?.test(text)) parts.push(`${key}是${value}`);
    }
    if (PRODUCT_ASKS.warranty.test(text) && product.warrantyMonths !== undefined)
      parts.push(warrantyOf(product.warrantyMonths));
    if (PRODUCT_ASKS.sevenDay.test(text) && product.sevenDayReturn !== undefined)
      parts.push(product.sevenDayReturn ? '支持7天无理由退货' : '不支持7天无理由退货');
    if (product.variants) parts.push(...askedAxes(text, product.variants));
    if (PRODUCT_ASKS.stock.test(text) && product.variants) {
      const inStock = product.variants.filter((v) => v.stock > 0).length;
      parts.push(inStock ? `目前有货（${inStock}/${product.variants.length}个规格有库存）` : '目前暂时缺货');
    }
    if (!parts.length) return undefined;
    const price = result.message.trim().replace(/[。.]$/, '');
    const priced = price ? `；${price.replace(product.name, '')}` : '';
    return this.wrap(`${product.name}${parts.join('，')}${priced}`);
  }

  /**
   * The best passage quoted, with its title; a second one from another document too (a question
   * such as "退换货规矩" spans the returns and the exchange policy), each cut to fit.
   */
  fromPassages(passages: readonly Passage[], question = ''): string {
    const clean = (p: Passage) =>
      p.text
        .replace(/\s+/g, ' ')
        .replace(/^#+\s*/, '')
        .replace(/^-\s*/, '')
        .trim();
    const cut = (text: string, max: number) =>
      text.length > max ? `${text.slice(0, max).replace(/[，,；;][^，,；;]*$/, '')}…` : text;
    const top = passages[0]!;
    const second = passages
      .slice(1)
      .find(
        (p) =>
          p.source !== top.source &&
          p.title !== top.title &&
          !clean(top).includes(clean(p)) &&
          sharedBigrams(question, clean(p)) >= 2,
      );
    const quote = (p: Passage, max: number) =>
      `${p.title ? `《${p.title}》中说明：` : ''}${cut(clean(p), max)}`;
    const body = second ? `${quote(top, 110)}；另外，${quote(second, 90)}` : quote(top, 160);
    return this.wrap(`关于您的问题，${body}`);
  }

  /**
   * The shop's stated rules a question asks about ("退款到账时间：5-7个工作日"), and the topics its
   * policy does not state, said as such with the offer of a person.
   */
  policyAnswer(lines: readonly { topic: string; rule?: string }[], passage?: Passage): string {
    const stated = lines.filter((l) => l.rule).map((l) => `${l.topic}：${l.rule}`);
    const unstated = lines.filter((l) => !l.rule).map((l) => l.topic);
    const parts = [
      ...(stated.length ? [`根据本店规定，${stated.join('；')}`] : []),
      ...(unstated.length ? [`关于${unstated.join('、')}，本店政策中没有具体说明`] : []),
    ];
    if (!stated.length && passage) {
      const text = passage.text
        .replace(/\s+/g, ' ')
        .replace(/^#+\s*/, '')
        .trim();
      const cut = text.length > 140 ? `${text.slice(0, 140)}…` : text;
      parts.push(`${passage.title ? `《${passage.title}》` : '政策'}原文：${cut}`);
    }
    if (!stated.length) parts.push('需要的话我可以为您转人工客服核实');
    return this.wrap(parts.join('。'), stated.length > 0);
  }

  /** A product's variants the question names, each with its price and whether it is in stock. */
  variantPrices(
    name: string,
    rows: readonly { options: string; price: string; inStock: boolean }[],
    total: number,
  ): string {
    const stock = (r: (typeof rows)[number]) => (r.inStock ? '目前有货' : '暂时缺货');
    if (rows.length === 1) {
      const only = rows[0]!;
      return this.wrap(`${name}（${only.options}）售价${only.price}，${stock(only)}`);
    }
    const listed = rows.map((r) => `${r.options} ${r.price}（${stock(r)}）`).join('；');
    const more = total > rows.length ? `等${total}个` : '';
    return this.wrap(`${name}符合的规格有：${listed}${more}，请问您要哪一个呢`, false);
  }

  outOfScope(): string {
    return this.wrap(
      '这个问题我暂时没能理解，我可以帮您查询订单、物流、售后和商品信息，您可以换个说法或告诉我订单号',
      false,
    );
  }

  handoff(reason: HandoffReason): string {
    const lead: Record<HandoffReason, string> = {
      customer_asked: '好的，',
      repeated_failure: '抱歉没能帮您解决，',
      low_confidence: '这个问题需要人工客服核实，',
      anger: '非常抱歉给您带来不好的体验，',
      out_of_scope: '这个问题需要人工客服为您处理，',
    };
    return `${lead[reason]}已为您转接人工客服，请稍候，人工客服会尽快为您处理。`;
  }

  handoffSummary(handoff: Omit<Handoff, 'summary'>, what: string): Handoff {
    return { ...handoff, summary: what.slice(0, 200) };
  }
}
