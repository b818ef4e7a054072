/**
 * The cleaner behind `kefu data clean`: one `Example` in, one keep/drop decision out, in a fixed
 * order: PII masking → junk → ads → exact duplicates → near-duplicates.
 *
 * Decisions worth knowing:
 * - Personal data is masked in every text field (system, all messages, input, chosen, rejected),
 *   never a reason to drop. The returned example is the masked one, whether kept or dropped, so
 *   a rejects file never holds personal data either.
 * - Junk: mojibake and control characters are checked in every text field; length limits and
 *   empty texts in user/assistant turns, chosen and rejected (tool calls and results are JSON and
 *   exempt); "repeats the question" for assistant replies and chosen, not for rejected (a
 *   rejected answer is meant to be bad).
 * - Ads: checked in user and assistant turns, input and chosen. An ad in a reply drops the record
 *   (we must not teach the model to advertise); an ad only in the user turn drops it too: such
 *   dialogues are spam sessions whose "answers" are noise, and the shop gains nothing from them.
 *   Rejected answers, the system prompt and tool turns are not checked.
 * - Duplicates are compared on the masked, normalised text (normalize.ts): exact on everything
 *   including system prompt and tools, near on the dialogue (messages, input, chosen, rejected).
 *   Only records that passed junk and ad checks enter the indexes, and the first of each cluster
 *   is kept, so the result depends only on input order.
 * Does not: read or write files, or print; the CLI reports `summary()`.
 */

import type { Example, Message } from '../example.js';
import type { CleanSummary } from '../stats.js';
import { detectAds } from './ads.js';
import type { CleanConfig } from './config.js';
import { parseCleanConfig } from './config.js';
import { checkLength, detectEncodingJunk, detectRepeatsQuestion, type MojibakeOptions } from './junk.js';
import { NearDuplicateIndex } from './near-duplicates.js';
import { dialogueText, exactText, hashKey, normalizeKey } from './normalize.js';
import { maskPii, type PiiOptions } from './pii.js';

export interface CleanReason {
  /** Stable code: duplicate.exact, duplicate.near, junk.*, ad.*, pii.* (pii.* are informational). */
  code: string;
  /** Where: system, input, chosen, rejected, messages[i].content, messages, example. */
  field: string;
  detail?: string;
}

export interface CleanDecision {
  action: 'keep' | 'drop';
  /** The example with personal data masked. */
  example: Example;
  reasons: CleanReason[];
  /** Masked occurrences per PII kind in this example. */
  masked: Record<string, number>;
}

/** The cleaner's counts; the shape reports consume (defined with them in stats.ts). */
export type { CleanSummary } from '../stats.js';

interface TextField {
  field: string;
  text: string;
  /** user / assistant / chosen / rejected / other: which checks apply. */
  kind: 'user' | 'assistant' | 'chosen' | 'rejected' | 'other';
}

function textFields(ex: Example): TextField[] {
  const out: TextField[] = [];
  if (ex.system !== undefined) out.push({ field: 'system', text: ex.system, kind: 'other' });
  ex.messages.forEach((m, i) => {
    const kind = m.role === 'user' || m.role === 'assistant' ? m.role : 'other';
    out.push({ field: `messages[${i}].content`, text: m.content, kind });
  });
  if (ex.input !== undefined) out.push({ field: 'input', text: ex.input, kind: 'other' });
  if (ex.chosen !== undefined) out.push({ field: 'chosen', text: ex.chosen, kind: 'chosen' });
  if (ex.rejected !== undefined) out.push({ field: 'rejected', text: ex.rejected, kind: 'rejected' });
  return out;
}

export class Cleaner {
  readonly config: CleanConfig;
  private readonly piiOptions: PiiOptions;
  private readonly mojibake: MojibakeOptions;
  private readonly phrases: string[];
  private readonly seen = new Map<string, string>();
  private readonly near: NearDuplicateIndex;
  private readonly totals: CleanSummary = { processed: 0, kept: 0, dropped: 0, reasons: {}, masked: {} };

  constructor(config: CleanConfig = parseCleanConfig()) {
    this.config = config;
    this.piiOptions = { kinds: config.pii.kinds, allowPhones: config.allow.phones };
    this.mojibake = {
      rareCjkShare: config.junk.rareCjkShare,
      latin1Share: config.junk.latin1Share,
      minChars: config.junk.mojibakeMinChars,
    };
    this.phrases = [...config.ads.promotionPhrases, ...config.ads.extraPromotionPhrases];
    const nd = config.nearDuplicates;
    this.near = new NearDuplicateIndex({
      threshold: nd.threshold,
      bands: nd.bands,
      rowsPerBand: nd.rowsPerBand,
      shingleSize: nd.shingleSize,
      seed: nd.seed,
      maxBucketSize: nd.maxBucketSize,
    });
  }

  process(example: Example): CleanDecision {
    const ordinal = ++this.totals.processed;
    const reasons: CleanReason[] = [];
    const masked: Record<string, number> = {};
    const ex = this.mask(example, reasons, masked);
    const drops: CleanReason[] = [];

    this.checkJunk(ex, drops);
    if (this.config.ads.enabled) this.checkAds(ex, drops);

    if (drops.length === 0) {
      const key = ex.id ?? (ex.source ? `${ex.source.file}:${ex.source.line}` : `#${ordinal}`);
      const exactHash = this.config.exactDuplicates ? hashKey(normalizeKey(exactText(ex))) : undefined;
      const first = exactHash === undefined ? undefined : this.seen.get(exactHash);
      if (first !== undefined) {
        drops.push({ code: 'duplicate.exact', field: 'example', detail: `of ${first}` });
      } else {
        let head = key;
        if (this.config.nearDuplicates.enabled) {
          const hit = this.near.checkKey(key, normalizeKey(dialogueText(ex)));
          if (hit.duplicateOf !== undefined) {
            head = hit.duplicateOf;
            const sim = hit.similarity?.toFixed(2) ?? '?';
            drops.push({
              code: 'duplicate.near',
              field: 'example',
              detail: `of ${head} (similarity ${sim})`,
            });
          }
        }
        if (exactHash !== undefined) this.seen.set(exactHash, head);
      }
    }

    reasons.push(...drops);
    const action = drops.length === 0 ? 'keep' : 'drop';
    this.record(action, reasons, masked);
    return { action, example: ex, reasons, masked };
  }

  /** Counts so far: records processed, kept, dropped, per reason code and per PII kind. */
  summary(): CleanSummary {
    return {
      processed: this.totals.processed,
      kept: this.totals.kept,
      dropped: this.totals.dropped,
      reasons: { ...this.totals.reasons },
      masked: { ...this.totals.masked },
    };
  }

  private mask(example: Example, reasons: CleanReason[], masked: Record<string, number>): Example {
    const one = (field: string, text: string): string => {
      const r = maskPii(text, this.piiOptions);
      for (const [kind, n] of Object.entries(r.counts)) {
        masked[kind] = (masked[kind] ?? 0) + n;
        reasons.push({ code: `pii.${kind}`, field, detail: String(n) });
      }
      return r.text;
    };
    const ex: Example = { ...example };
    if (ex.system !== undefined) ex.system = one('system', ex.system);
    ex.messages = example.messages.map(
      (m, i): Message => ({ ...m, content: one(`messages[${i}].content`, m.content) }),
    );
    if (ex.input !== undefined) ex.input = one('input', ex.input);
    if (ex.chosen !== undefined) ex.chosen = one('chosen', ex.chosen);
    if (ex.rejected !== undefined) ex.rejected = one('rejected', ex.rejected);
    return ex;
  }

  private checkJunk(ex: Example, drops: CleanReason[]): void {
    const { length, junk } = this.config;
    if (ex.messages.length === 0)
      drops.push({ code: 'junk.empty', field: 'messages', detail: 'no messages' });
    let question: string | undefined;
    const lastUser = ex.messages.findLastIndex((m) => m.role === 'user');
    for (const f of textFields(ex)) {
      for (const j of detectEncodingJunk(f.text, this.mojibake)) drops.push({ ...j, field: f.field });
      if (f.kind === 'other') continue;
      const minChars = f.kind === 'user' ? length.minUserChars : length.minReplyChars;
      const len = checkLength(f.text, { minChars, maxChars: length.maxChars });
      if (len) drops.push({ ...len, field: f.field });
      if (f.kind === 'user') {
        const isLast = f.field === `messages[${lastUser}].content`;
        question = isLast && ex.input ? `${f.text}\n${ex.input}` : f.text;
      } else if ((f.kind === 'assistant' || f.kind === 'chosen') && question !== undefined && !len) {
        const rep = detectRepeatsQuestion(question, f.text, junk.repeatsQuestionThreshold);
        if (rep) drops.push({ ...rep, field: f.field });
      }
    }
  }

  private checkAds(ex: Example, drops: CleanReason[]): void {
    const { allow } = this.config;
    const options = {
      promotionPhrases: this.phrases,
      allowDomains: allow.domains,
      allowPhones: allow.phones,
      allowContactIds: allow.contactIds,
    };
    for (const f of textFields(ex)) {
      const checked =
        f.kind === 'user' || f.kind === 'assistant' || f.kind === 'chosen' || f.field === 'input';
      if (!checked) continue;
      for (const a of detectAds(f.text, options)) drops.push({ ...a, field: f.field });
    }
  }

  private record(action: 'keep' | 'drop', reasons: CleanReason[], masked: Record<string, number>): void {
    if (action === 'keep') this.totals.kept++;
    else this.totals.dropped++;
    for (const code of new Set(reasons.map((r) => r.code))) {
      this.totals.reasons[code] = (this.totals.reasons[code] ?? 0) + 1;
    }
    for (const [kind, n] of Object.entries(masked))
      this.totals.masked[kind] = (this.totals.masked[kind] ?? 0) + n;
  }
}
