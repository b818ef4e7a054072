/**
 * Advertising and spam detectors.
 *
 * Does: find URLs (http(s)://, www., bare domains such as xx.com / xx.cn), contact solicitations
 * (WeChat/QQ ids after 微信/vx/加V/薇信/扣扣…, phone numbers after 加我/联系我/私聊…, including
 * the `[手机号]` mask pii.ts leaves) and promotion phrases (刷单, 兼职日结, 扫码关注 … from config).
 * Matching runs on an NFKC form so full-width letters and digits are caught. The shop's own
 * domains, phone numbers and contact ids can be allow-listed.
 * Does not: decide whether a record is dropped (pipeline.ts), mask anything (pii.ts), or report
 * the matched ids or numbers themselves (details name the kind; for URLs, the host).
 */

export type AdCode = 'ad.url' | 'ad.contact' | 'ad.promotion';

export interface AdFinding {
  code: AdCode;
  detail?: string;
}

export interface AdOptions {
  /** Promotion phrases; matched after NFKC, lower-casing and removing whitespace. */
  promotionPhrases: readonly string[];
  /** The shop's own domains: a URL on one of these (or a subdomain) is not an ad. */
  allowDomains: readonly string[];
  /** The shop's own phone numbers (digits only after removing separators). */
  allowPhones: readonly string[];
  /** The shop's own WeChat / QQ ids. */
  allowContactIds: readonly string[];
}

export const DEFAULT_PROMOTION_PHRASES: readonly string[] = [
  '加微信领优惠',
  '加微信领',
  '免费领取',
  '刷单',
  '兼职日结',
  '日结工资',
  '代购',
  '低价出',
  '扫码关注',
  '扫码领',
  '扫码加',
  '加群领',
  '招代理',
  '诚招代理',
  '高仿',
  '日赚',
  '躺赚',
  '网赚',
  '点击链接领取',
  '私聊领取',
  '博彩',
  '网贷秒批',
  '信用卡套现',
];

const TLDS =
  'com|cn|net|org|cc|top|xyz|vip|shop|info|io|me|co|tk|ink|link|club|site|online|wang|store|tv|app|biz|ltd|work|live|fun|icu';
const URL_RE = new RegExp(
  `https?://[^\\s\\u3000-\\u303f\\uff00-\\uffef"'<>]+|(?<![@a-z0-9.-])(?:www\\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS})(?![a-z0-9-])(?::\\d+)?(?:/[^\\s\\u3000-\\u303f\\uff00-\\uffef"'<>]*)?`,
  'gi',
);

/** Keywords that announce a WeChat / QQ / other messenger id. */
const CONTACT_WORDS =
  '微信号?|威信|薇信|徽信|维信|围信|v信|vx|wx|weixin|wechat|加v|加微|qq号?|扣扣|企鹅号?|q号|line|telegram|tg';
const CONTACT_RE = new RegExp(
  `(?<![a-z])(${CONTACT_WORDS})((?:号码|号|id)?\\s*[:：是为]?\\s*)([a-z][-_a-z0-9]{5,19}|[1-9]\\d{4,11})(?![a-z0-9_-])`,
  'gi',
);
/** Someone asking to be contacted, followed by a phone number or the phone mask. */
const PHONE_SOLICIT_RE =
  /(加我|联系我|找我|私聊我?|私信我?|打我电话|call\s*me|咨询热线|代理热线|招商热线)[^\d[\n]{0,6}?((?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\[手机号\])/gi;
/** A delivery context in which "联系我 + number" is a customer's own instruction, not spam. */
const DELIVERY_CONTEXT = /(快递|到了|送到|派送|配送|签收|上门|师傅|收件|收货)/;

function normalizeForAds(text: string): string {
  // NFKC only changes non-ASCII text; skip the call for the ASCII-only case.
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC');
}

function hostOf(url: string): string {
  let rest = url.replace(/^https?:\/\//i, '');
  rest = rest.split(/[/:?#]/, 1)[0] ?? rest;
  return rest.toLowerCase().replace(/^www\./, '');
}

function domainAllowed(host: string, allow: readonly string[]): boolean {
  return allow.some((d) => {
    const dom = d.toLowerCase().replace(/^www\./, '');
    return host === dom || host.endsWith(`.${dom}`);
  });
}

/** URLs that are not on an allow-listed domain; one finding per distinct host. */
export function detectUrls(text: string, allowDomains: readonly string[] = []): AdFinding[] {
  const out: AdFinding[] = [];
  const hosts = new Set<string>();
  for (const m of normalizeForAds(text).matchAll(URL_RE)) {
    const host = hostOf(m[0]);
    if (!host || hosts.has(host) || domainAllowed(host, allowDomains)) continue;
    hosts.add(host);
    out.push({ code: 'ad.url', detail: host });
  }
  return out;
}

/** Messenger-id and phone solicitations not on the allow-lists. */
export function detectContacts(
  text: string,
  allowPhones: readonly string[] = [],
  allowContactIds: readonly string[] = [],
): AdFinding[] {
  const t = normalizeForAds(text);
  const out: AdFinding[] = [];
  const ids = new Set(allowContactIds.map((s) => s.toLowerCase()));
  for (const m of t.matchAll(CONTACT_RE)) {
    const [, word0, gap, id] = m as unknown as [string, string, string, string];
    // "wxyz123": a Latin keyword running straight into a Latin id is just a word.
    if (gap === '' && /[a-z]$/i.test(word0) && /^[a-z]/i.test(id)) continue;
    if (ids.has(id.toLowerCase())) continue;
    const word = word0.toLowerCase();
    const kind = /qq|扣扣|企鹅|q号/.test(word)
      ? 'qq'
      : /line|telegram|tg/.test(word)
        ? 'messenger'
        : 'wechat';
    out.push({ code: 'ad.contact', detail: `${kind} id` });
  }
  const phones = new Set(allowPhones.map((p) => p.replace(/\D/g, '').replace(/^(?:0086|86)(?=1)/, '')));
  for (const m of t.matchAll(PHONE_SOLICIT_RE)) {
    const digits = m[2]!.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
    if (m[2] !== '[手机号]' && phones.has(digits)) continue;
    const before = t.slice(Math.max(0, m.index - 12), m.index);
    if (DELIVERY_CONTEXT.test(before) || DELIVERY_CONTEXT.test(m[0])) continue;
    out.push({ code: 'ad.contact', detail: 'phone' });
  }
  return out;
}

/** Normal form for phrase matching: NFKC, lower case, no whitespace. */
export function phraseForm(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

const phraseForms = new WeakMap<readonly string[], string[]>();

/** Promotion phrases found in `text`; one finding per phrase. */
export function detectPromotions(
  text: string,
  phrases: readonly string[] = DEFAULT_PROMOTION_PHRASES,
): AdFinding[] {
  let forms = phraseForms.get(phrases);
  if (!forms) phraseForms.set(phrases, (forms = phrases.map(phraseForm)));
  const t = phraseForm(text);
  const out: AdFinding[] = [];
  for (let i = 0; i < forms.length; i++) {
    const form = forms[i]!;
    if (form && t.includes(form)) out.push({ code: 'ad.promotion', detail: phrases[i]! });
  }
  return out;
}

/** Every ad finding in `text`. */
export function detectAds(text: string, options: Partial<AdOptions> = {}): AdFinding[] {
  return [
    ...detectUrls(text, options.allowDomains ?? []),
    ...detectContacts(text, options.allowPhones ?? [], options.allowContactIds ?? []),
    ...detectPromotions(text, options.promotionPhrases ?? DEFAULT_PROMOTION_PHRASES),
  ];
}
