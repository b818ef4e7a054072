/**
 * Copy-constrained decoding: a token-acceptance rule that keeps what the grounding check checks
 * inside the evidence while the model writes, so a small model that cannot copy an order number
 * still produces one that is in the facts. It judges a candidate token on text (the reply so far
 * and the reply with the token):
 *
 * - an open claim — the number run at the end of the text, with a claim prefix (DD, TH, #W / W,
 *   SF, YT, JD, E?), after ¥, or bare once it has 3 characters — must be a prefix of a number of
 *   the evidence (claim-prefixed numbers only of the same prefix; money also in its short forms,
 *   129.90 → 129.9 / 129);
 * - a number run may end only where an evidence number ends (bare runs of up to 3 characters — a
 *   quantity — may end anywhere; a run may also end in 年 / 月 on its way to a date);
 * - a token may not complete a claim (price, date, time, status word, N天 / N小时 …) that the
 *   evidence does not support (../grounding.ts decides support), and may not start a status word
 *   such as 已签 / 待发 that only unsupported status words begin with.
 *
 * Pure and synchronous. Does not pick tokens (the engine's sampler asks it) and does not replace
 * the grounding check, which still checks every reply. Letters before digits that are not a claim
 * prefix (product codes like PD67) are left alone.
 *
 *   const rule = new CopyConstraint(['订单号: DD20240315521468', '实付金额: ¥129.90']);
 *   rule.accepts('订单DD2024', '订单DD20240', false) // true; '订单DD20249' → false
 */
import { type Claim, Evidence, extractClaims, STATUS_WORDS } from './grounding.js';

const CLAIM_PREFIX = /^(?:DD|TH|W|SF|YT|JD|E[A-Z])$/;
const NUMBER = /(?<![A-Za-z0-9])(#?[A-Za-z]{1,2})?(\d(?:[\d\-/:.,]*\d)?)/g;
const OPEN_RUN = /(?<![A-Za-z0-9])(#?[A-Za-z]{1,2})?(\d[\d\-/:.,]*)$/;
const SEPARATORS = /[-/:.,]+$/;
const MONEY_SIGN = /[¥￥$]\s?$/;
/** Status words whose first characters are everyday words (运输, 派送, 已收到) get no prefix rule. */
const NO_PREFIX_RULE = new Set(['运输中', '派送中', '已收货']);

/** Full-width digits and letters to ASCII; punctuation stays (NFKC would turn ， into a separator). */
function norm(text: string): string {
  return text.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

interface Run {
  start: number;
  /** Upper-case claim prefix without '#', or '' for a bare number. */
  prefix: string;
  digits: string;
  money: boolean;
}

function openRun(text: string): Run | undefined {
  const m = OPEN_RUN.exec(text);
  if (!m) return undefined;
  const letters = (m[1] ?? '').replace('#', '').toUpperCase();
  if (letters && !CLAIM_PREFIX.test(letters)) return undefined;
  const start = m.index;
  return { start, prefix: letters, digits: m[2]!, money: !letters && MONEY_SIGN.test(text.slice(0, start)) };
}

function moneyForms(digits: string): string[] {
  const value = Number(digits);
  if (!/^\d+(?:\.\d{1,2})?$/.test(digits) || !Number.isFinite(value)) return [];
  return [value.toFixed(2), value.toFixed(1), String(value)];
}

export class CopyConstraint {
  private readonly evidence: Evidence;
  /** Evidence numbers by claim prefix ('' = bare numbers and non-claim product codes). */
  private readonly numbers = new Map<string, Set<string>>();
  private readonly supportedStatus: string[];
  private readonly unsupportedStatus: string[];
  private lastPrevious: string | undefined;
  private lastUnsupported: Map<string, number> = new Map();

  constructor(texts: readonly string[]) {
    this.evidence = new Evidence(texts);
    for (const text of texts) {
      const t = norm(text);
      for (const m of t.matchAll(NUMBER)) {
        const letters = (m[1] ?? '').replace('#', '').toUpperCase();
        const prefix = CLAIM_PREFIX.test(letters) ? letters : '';
        const digits = m[2]!;
        const forms = [digits];
        const after = t.slice(m.index + m[0].length);
        if (
          !prefix &&
          (/\.\d{1,2}$/.test(digits) || MONEY_SIGN.test(t.slice(0, m.index)) || /^\s?元/.test(after))
        )
          forms.push(...moneyForms(digits));
        const set = this.numbers.get(prefix) ?? new Set<string>();
        for (const form of forms) set.add(form);
        this.numbers.set(prefix, set);
      }
    }
    const plain = texts.join('\n').normalize('NFKC').replace(/\s+/g, '');
    this.supportedStatus = STATUS_WORDS.filter((w) => plain.includes(w));
    this.unsupportedStatus = STATUS_WORDS.filter(
      (w) => !plain.includes(w) && /^[已待]/.test(w) && !NO_PREFIX_RULE.has(w),
    );
  }

  /** Whether `text` (= `previous` + one candidate token) may be generated; `ends`: the reply ends here. */
  accepts(previousRaw: string, textRaw: string, ends: boolean): boolean {
    const previous = norm(previousRaw);
    const text = ends ? previous : norm(textRaw);
    const before = openRun(previous);
    const after = ends ? undefined : openRun(text);
    if (after && !this.mayContinue(after)) return false;
    if (before && !(after && after.start === before.start)) {
      const terminator = ends ? '' : text.charAt(before.start + before.prefix.length + before.digits.length);
      if (!this.mayEnd(before, terminator)) return false;
    }
    if (!ends && !this.statusPrefixOk(text)) return false;
    return this.closedClaimsOk(previous, text, ends);
  }

  /**
   * Numbers of a finished reply that are not evidence numbers: claim-prefixed ones (DD20 cut short)
   * and bare ones of 4+ characters (a year before 年 excepted). What decoding could not keep inside
   * the evidence when every candidate was rejected shows up here.
   */
  strayNumbers(reply: string): string[] {
    const t = norm(reply);
    const stray: string[] = [];
    for (const m of t.matchAll(NUMBER)) {
      const letters = (m[1] ?? '').replace('#', '').toUpperCase();
      if (letters && !CLAIM_PREFIX.test(letters)) continue;
      const digits = m[2]!;
      if (this.candidates(letters).has(digits)) continue;
      if (!letters && (digits.length < 4 || t.charAt(m.index + m[0].length) === '年')) continue;
      stray.push(m[0]);
    }
    return stray;
  }

  private candidates(prefix: string): Set<string> {
    return this.numbers.get(prefix) ?? new Set();
  }

  private mayContinue(run: Run): boolean {
    if (!run.prefix && !run.money && run.digits.length < 3) return true;
    for (const n of this.candidates(run.prefix)) if (n.startsWith(run.digits)) return true;
    return false;
  }

  private mayEnd(run: Run, terminator: string): boolean {
    const digits = run.digits.replace(SEPARATORS, '');
    if (this.candidates(run.prefix).has(digits)) return true;
    if (run.prefix) return false;
    if (digits.length <= 3) return true; // a quantity; a price or policy number it forms is checked below
    return /^[年月]/.test(terminator) && this.mayContinue({ ...run, digits });
  }

  private statusPrefixOk(text: string): boolean {
    for (const word of this.unsupportedStatus) {
      for (let k = 2; k < word.length; k++) {
        const head = word.slice(0, k);
        if (text.endsWith(head) && !this.supportedStatus.some((w) => w.startsWith(head))) return false;
      }
    }
    return true;
  }

  /** Unsupported claims of `text` that can no longer grow, counted by kind and key. */
  private unsupported(text: string, allClosed: boolean): Map<string, number> {
    const counts = new Map<string, number>();
    for (const claim of extractClaims(text)) {
      if (!allClosed && isOpen(claim, text)) continue;
      if (this.evidence.supports(claim)) continue;
      const key = `${claim.kind}:${claim.key}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  private closedClaimsOk(previous: string, text: string, ends: boolean): boolean {
    if (previous !== this.lastPrevious) {
      this.lastPrevious = previous;
      this.lastUnsupported = this.unsupported(previous, false);
    }
    for (const [key, n] of this.unsupported(text, ends))
      if (n > (this.lastUnsupported.get(key) ?? 0)) return false;
    return true;
  }
}

/** A claim at the very end of the text that ends in a digit may still grow into a supported one. */
function isOpen(claim: Claim, text: string): boolean {
  return /\d$/.test(claim.text) && text.endsWith(claim.text);
}
