/**
 * Slot extraction from one customer message, by rules: order numbers (kefu 'DD' + 14 digits,
 * τ-bench '#W' + 7 digits), tracking numbers (the carriers' formats of src/shop/types.ts and
 * τ-bench's 12-digit ids), product ids and model codes, quantities, dates, references to earlier
 * orders ("它 / 这单 / 上一单 / 第二个"), yes / no, handoff requests and anger.
 * Pure and synchronous. Does not look anything up (product names are matched by ./understand.ts
 * through the order book) and does not decide what to do.
 */

export type OrderReference =
  | { kind: 'current' } // 它 / 这个订单 / 这单 / 该订单
  | { kind: 'previous' } // 上一单 / 上个订单 / 之前那单
  | { kind: 'recent' } // 刚才那单 / 刚刚那个
  | { kind: 'ordinal'; index: number }; // 第二个 / 第2单 (0-based)

export interface Slots {
  orderIds: string[];
  trackingNumbers: string[];
  productIds: string[];
  models: string[];
  quantity?: number;
  dates: string[];
  reference?: OrderReference;
  /** 'yes' / 'no' when the message answers a confirmation question. */
  answer?: 'yes' | 'no';
  handoffAsked: boolean;
  angry: boolean;
  /** "帮我提交 / 直接办理 / 就按这个": go ahead with the change just discussed. */
  goAhead: boolean;
}

const ORDER_ID = /(?<![A-Za-z0-9])(DD\d{14})(?!\d)|(?<![A-Za-z0-9])#?(W\d{7})(?!\d)/gi;
const TRACKING =
  /(?<![A-Za-z0-9])((?:SF|YT|JD)\d{13}|7\d{13}|E[A-Z]\d{9}CN)(?![A-Za-z0-9])|(?<![#A-Za-z0-9\d])(\d{12})(?!\d)/gi;
const PRODUCT_ID = /(?<![A-Za-z0-9])(P\d{5})(?!\d)/g;
/** Model codes like KF-35GW, XR-2000, LP-990, NT98 (letters, optional dash, digits, optional letters). */
const MODEL = /(?<![A-Za-z0-9-])([A-Z]{1,4}-?\d{2,5}[A-Z]{0,3})(?![A-Za-z0-9])/g;
const DATE = /(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?|(?<!\d)(\d{1,2})月(\d{1,2})[日号]/g;

const CN_DIGITS: Record<string, number> = {
  一: 1,
  两: 2,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

const YES =
  /^(?:嗯+|恩|对|对的|是|是的|好|好的|好滴|行|可以|确认|确定|没问题|ok|okay|yes|y|同意|要|需要|麻烦了|就这样)[!！。.～~，,\s]*|确认(?:取消|修改|退货|换货|办理)|确定(?:取消|要)|是的|可以的|没问题|好的/i;
const NO =
  /不用了|不需要|算了|不要了|^不要|^不[!！。.\s]*$|^不是|先不|别[取改退换]|取消操作|不取消|^no\b|^n$|暂时不|再想想|不确认|我再考虑|^取消[!！。.～~\s]*$|^(?:那)?算了吧?/i;
const GO_AHEAD =
  /帮我(?:提交|办理|申请|处理|弄一下|退|换)|直接(?:办理|提交|申请|帮我)|就按这个|提交吧|办理吧|申请吧/;
const HANDOFF =
  /转人工|人工客服|找人工|要人工|真人|人工服务|人工坐席|接人工|联系客服主管|叫你们(?:经理|主管)/;
/**
 * Real anger cues (insults, complaints, "太差了", repeated exclamation). A broken product ("坏了",
 * "不能用", "再也不能开机") is a warranty / quality question, not anger: words that also describe a
 * product fault are matched only in their angry use.
 */
const ANGER =
  /垃圾|骗子|什么破(?:东西|玩意|店|服务|质量)|破店|投诉|差评|(?:^|[，,。！!\s]|给我|你)滚(?:蛋|开|吧)?(?:$|[，,。！!\s])|气死|太差了|差劲|有病|无语死|坑人|欺骗|骗人|再也不(?:买|来|会)|(?<!\d)12315(?!\d)|消协|忍无可忍|他妈|妈的|tmd|[!！]{3,}/i;

function ordinal(text: string): number | undefined {
  const m = text.match(/第\s*([一二两三四五六七八九十\d])\s*(?:个|单|笔|件)/);
  if (!m) return undefined;
  const n = CN_DIGITS[m[1]!] ?? Number(m[1]);
  return n >= 1 ? n - 1 : undefined;
}

function reference(text: string): OrderReference | undefined {
  const index = ordinal(text);
  if (index !== undefined) return { kind: 'ordinal', index };
  if (/上一单|上一个订单|上个订单|上一笔|之前那[个单笔]|之前的订单|前一单|上一个/.test(text))
    return { kind: 'previous' };
  if (/刚才那|刚刚那|刚才的订单|刚说的那/.test(text)) return { kind: 'recent' };
  if (/它|这个订单|这单|这笔|该订单|那个订单|那单|这个包裹|这件|这个快递|同一单|还是那单/.test(text))
    return { kind: 'current' };
  return undefined;
}

function quantity(text: string): number | undefined {
  const m = text.match(/(\d+|[一两二三四五六七八九十])\s*(?:件|个|台|双|瓶|支|盒|箱|套|份)/);
  if (!m) return undefined;
  const n = CN_DIGITS[m[1]!] ?? Number(m[1]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

const pad = (n: string) => n.padStart(2, '0');

function dates(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(DATE)) {
    if (m[1]) out.push(`${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`);
    else out.push(`${pad(m[4]!)}-${pad(m[5]!)}`);
  }
  return out;
}

const unique = (list: string[]) => [...new Set(list)];

/** Normalised order number: 'DD…' upper-case, τ-bench ids as '#W1234567'. */
export function normaliseOrderId(raw: string): string {
  const upper = raw.toUpperCase();
  return upper.startsWith('DD') ? upper : `#${upper.replace(/^#/, '')}`;
}

export function extractSlots(message: string): Slots {
  const text = message.normalize('NFKC');
  const orderIds = unique([...text.matchAll(ORDER_ID)].map((m) => normaliseOrderId(m[1] ?? m[2]!)));
  const withoutOrders = text.replace(ORDER_ID, ' ');
  const trackingNumbers = unique(
    [...withoutOrders.matchAll(TRACKING)].map((m) => (m[1] ?? m[2]!).toUpperCase()),
  );
  const withoutIds = withoutOrders.replace(TRACKING, ' ');
  const productIds = unique([...withoutIds.matchAll(PRODUCT_ID)].map((m) => m[1]!));
  const models = unique(
    [...withoutIds.replace(PRODUCT_ID, ' ').matchAll(MODEL)].map((m) => m[1]!).filter((m) => /\d/.test(m)),
  );
  const trimmed = text.trim();
  const no = NO.test(trimmed);
  const yes = !no && YES.test(trimmed) && trimmed.length <= 16;
  const qty = quantity(withoutIds);
  const ref = orderIds.length === 0 ? reference(text) : undefined;
  return {
    orderIds,
    trackingNumbers,
    productIds,
    models,
    ...(qty !== undefined ? { quantity: qty } : {}),
    dates: dates(text),
    ...(ref ? { reference: ref } : {}),
    ...(no ? { answer: 'no' as const } : yes ? { answer: 'yes' as const } : {}),
    handoffAsked: HANDOFF.test(text),
    angry: ANGER.test(text),
    goAhead: !no && GO_AHEAD.test(text),
  };
}
