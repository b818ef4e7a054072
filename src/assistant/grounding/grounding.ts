/**
 * The grounding check: every checkable claim in a reply — order numbers, tracking numbers, after-
 * sales numbers, prices (¥ / 元), dates and times, order and shipment status words, and policy
 * numbers (N天 / N小时 / 满N元 / N个工作日), carrier names and item counts (N件, found in the
 * evidence as N件 or ×N) — must appear in the evidence: the tool facts, the
 * retrieved passages or the customer's own messages. Comparison ignores spacing and money format
 * (¥129.90 = 129.9元). Pure and synchronous. Does not rewrite the reply (the assistant falls back).
 */

export type ClaimKind =
  | 'order'
  | 'tracking'
  | 'price'
  | 'date'
  | 'time'
  | 'status'
  | 'policy'
  | 'carrier'
  | 'quantity';

export interface Claim {
  kind: ClaimKind;
  text: string;
  /** The normalised form compared with the evidence. */
  key: string;
}

export interface GroundingResult {
  grounded: boolean;
  claims: Claim[];
  unsupported: Claim[];
}

/** Order, shipment and after-sales status words the check compares with the evidence. */
export const STATUS_WORDS: readonly string[] = [
  '待付款',
  '待发货',
  '已发货',
  '已签收',
  '已取消',
  '已退货退款',
  '已换货',
  '运输中',
  '派送中',
  '已退款',
  '已完成',
  '已拒绝',
  '已收货',
  '已审核',
  'pending',
  'processed',
  'delivered',
  'cancelled',
  'returned',
  'exchanged',
];

function normaliseMoney(value: string): string {
  const n = Number(value.replace(/,/g, ''));
  return Number.isFinite(n) ? `¥${n.toFixed(2)}` : value;
}

const pad = (n: string) => n.padStart(2, '0');

/** Money amounts of a text as '¥12.30' keys. */
function prices(text: string): Claim[] {
  const out: Claim[] = [];
  for (const m of text.matchAll(
    /[¥￥$]\s?(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s?(?:元|块钱|块)/g,
  ))
    out.push({ kind: 'price', text: m[0], key: normaliseMoney(m[1] ?? m[2]!) });
  return out;
}

function datesAndTimes(text: string): Claim[] {
  const out: Claim[] = [];
  for (const m of text.matchAll(/(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?/g))
    out.push({ kind: 'date', text: m[0], key: `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}` });
  for (const m of text.matchAll(/(?<![\d-])(\d{1,2})月(\d{1,2})[日号]/g))
    out.push({ kind: 'date', text: m[0], key: `-${pad(m[1]!)}-${pad(m[2]!)}` });
  for (const m of text.matchAll(/(?<!\d)(\d{1,2}):(\d{2})(?!\d)/g))
    out.push({ kind: 'time', text: m[0], key: `${pad(m[1]!)}:${m[2]}` });
  return out;
}

function policyNumbers(text: string): Claim[] {
  const out: Claim[] = [];
  const pattern =
    /(\d+)\s?(?:个)?(天|小时|个工作日|工作日|分钟|个月|年)|满\s?(\d+(?:\.\d+)?)\s?元|(\d+)\s?%/g;
  for (const m of text.matchAll(pattern)) {
    if (m[3]) out.push({ kind: 'policy', text: m[0], key: `满${Number(m[3])}` });
    else if (m[4]) out.push({ kind: 'policy', text: m[0], key: `${m[4]}%` });
    else out.push({ kind: 'policy', text: m[0], key: `${m[1]}${m[2]!.replace(/^个/, '')}` });
  }
  return out;
}

/** Carrier names a reply may not swap (中通 for 圆通). */
export const CARRIER_WORDS: readonly string[] = [
  '顺丰',
  '圆通',
  '中通',
  '申通',
  '韵达',
  '京东物流',
  '极兔',
  '邮政',
  'EMS',
];

/** Every checkable claim of `text`, in order of kind. */
export function extractClaims(text: string): Claim[] {
  const t = text.normalize('NFKC');
  const claims: Claim[] = [];
  for (const m of t.matchAll(/(?<![A-Za-z0-9])(?:DD\d{6,}|#?W\d{7}|TH\d{6,})(?!\d)/gi))
    claims.push({ kind: 'order', text: m[0], key: m[0].toUpperCase().replace(/^W/, '#W') });
  for (const m of t.matchAll(/(?<![A-Za-z0-9])(?:(?:SF|YT|JD)\d{8,}|7\d{13}|E[A-Z]\d{9}CN|\d{12})(?!\d)/gi))
    claims.push({ kind: 'tracking', text: m[0], key: m[0].toUpperCase() });
  claims.push(...prices(t), ...datesAndTimes(t));
  for (const word of STATUS_WORDS)
    if (t.includes(word)) claims.push({ kind: 'status', text: word, key: word });
  for (const word of CARRIER_WORDS)
    if (t.includes(word)) claims.push({ kind: 'carrier', text: word, key: word });
  for (const m of t.matchAll(/(?<![\d.])(\d+)\s?件/g))
    claims.push({ kind: 'quantity', text: m[0], key: `${Number(m[1])}件` });
  for (const m of t.matchAll(/[×xX*]\s?(\d+)(?![\d.])/g))
    claims.push({ kind: 'quantity', text: m[0], key: `${Number(m[1])}件` });
  claims.push(...policyNumbers(t));
  return claims;
}

/** Keys the evidence supports: the claims found in it, plus its plain text for substring checks. */
export class Evidence {
  private readonly keys = new Set<string>();
  private readonly plain: string;
  /** The evidence texts as given (copy-constrained decoding reads them, see ./copy-constraint.ts). */
  readonly texts: readonly string[];

  constructor(texts: readonly string[]) {
    this.texts = texts.slice();
    const joined = texts.join('\n').normalize('NFKC');
    this.plain = joined.replace(/\s+/g, '');
    for (const claim of extractClaims(joined)) this.keys.add(`${claim.kind}:${claim.key}`);
  }

  supports(claim: Claim): boolean {
    if (this.keys.has(`${claim.kind}:${claim.key}`)) return true;
    if (claim.kind === 'date' && claim.key.startsWith('-'))
      return [...this.keys].some((k) => k.startsWith('date:') && k.endsWith(claim.key));
    if (claim.kind === 'order' || claim.kind === 'tracking')
      return this.plain.toUpperCase().includes(claim.key.replace(/^#/, ''));
    if (claim.kind === 'status' || claim.kind === 'carrier') return this.plain.includes(claim.key);
    return false;
  }
}

/** Checks `reply` against the evidence texts (fact lines, passages, customer messages). */
export function checkGrounding(reply: string, evidence: readonly string[] | Evidence): GroundingResult {
  const ev = evidence instanceof Evidence ? evidence : new Evidence(evidence);
  const claims = extractClaims(reply);
  const unsupported = claims.filter((c) => !ev.supports(c));
  return { grounded: unsupported.length === 0, claims, unsupported };
}
