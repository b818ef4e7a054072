/**
 * Junk detectors for single texts, each answering with a stable reason code.
 *
 * Does: mojibake (U+FFFD, 锟斤拷 and friends, UTF-8 read as Latin-1/CP1252 such as 'Ã©' 'å¥½',
 * UTF-8 read as GBK which leaves a high share of rare CJK characters, a high share of Latin-1
 * supplement characters), control characters (anything in C0/C1 except \n, \t and a \r that
 * ends a line), empty / too short / too long texts, and a reply that merely repeats the question.
 * Does not: decide which fields get which checks or drop anything (pipeline.ts), mask (pii.ts).
 * The rare-CJK check needs Node's full ICU (GB18030 decoder); without it that one check is off.
 */

import { ngramJaccard, normalizeKey } from './normalize.js';

export type JunkCode =
  | 'junk.mojibake'
  | 'junk.control'
  | 'junk.empty'
  | 'junk.too_short'
  | 'junk.too_long'
  | 'junk.repeats_question';

export interface JunkFinding {
  code: JunkCode;
  detail?: string;
}

/** GB2312 level-1 hanzi: the 3,755 characters that cover ~99.7% of everyday Chinese text. */
const COMMON_HANZI: Set<number> | undefined = (() => {
  try {
    const bytes: number[] = [];
    for (let hi = 0xb0; hi <= 0xd7; hi++) {
      for (let lo = 0xa1; lo <= 0xfe; lo++) {
        if (hi === 0xd7 && lo > 0xf9) break;
        bytes.push(hi, lo);
      }
    }
    const text = new TextDecoder('gb18030').decode(new Uint8Array(bytes));
    const set = new Set<number>();
    for (const ch of text) set.add(ch.codePointAt(0)!);
    return set.size > 3000 ? set : undefined;
  } catch {
    return undefined;
  }
})();

/** Fixed strings left behind by broken encodings (锟斤拷: U+FFFD saved as GBK; 烫/屯: uninitialised MSVC memory). */
const MOJIBAKE_MARKERS = ['锟斤拷', '烫烫烫', '屯屯屯', 'ï¿½', 'ï»¿'];
/** A continuation byte 0x80-0xBF as Latin-1 or as Windows-1252 shows it. */
const CONT =
  '[\\u0080-\\u00BF\\u0152\\u0153\\u0160\\u0161\\u0178\\u017D\\u017E\\u0192\\u02C6\\u02DC\\u2013\\u2014\\u2018-\\u201E\\u2020-\\u2022\\u2026\\u2030\\u2039\\u203A\\u20AC\\u2122]';
/** UTF-8 multi-byte sequences read as Latin-1/CP1252: 'Ã©' (é), 'å¥½' (好), 'â€™' (’). */
const UTF8_AS_LATIN1 = new RegExp(
  `[\\u00C2-\\u00DF]${CONT}|[\\u00E0-\\u00EF]${CONT}{2}|[\\u00F0-\\u00F4]${CONT}{3}`,
  'g',
);
const CJK = /[\u4e00-\u9fff\u3400-\u4dbf]/;

export interface MojibakeOptions {
  /** Share of CJK characters outside GB2312 level 1 at which a text counts as mojibake. */
  rareCjkShare: number;
  /** Share of Latin-1 supplement / C1 characters (U+0080-U+00FF) at which a text counts as mojibake. */
  latin1Share: number;
  /** Fewest characters of the relevant kind before either share is judged. */
  minChars: number;
}

export const DEFAULT_MOJIBAKE_OPTIONS: MojibakeOptions = { rareCjkShare: 0.5, latin1Share: 0.3, minChars: 6 };

/** Why `text` looks like broken encoding (a short detail), or undefined when it does not. */
export function detectMojibake(
  text: string,
  options: MojibakeOptions = DEFAULT_MOJIBAKE_OPTIONS,
): string | undefined {
  if (text.includes('\uFFFD')) return 'replacement character U+FFFD';
  for (const marker of MOJIBAKE_MARKERS) if (text.includes(marker)) return `marker ${marker}`;
  UTF8_AS_LATIN1.lastIndex = 0;
  if (UTF8_AS_LATIN1.test(text)) return 'UTF-8 read as Latin-1';
  let cjk = 0;
  let rare = 0;
  let latin1 = 0;
  let visible = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x20) visible++;
    if (cp >= 0x80 && cp <= 0xff) latin1++;
    else if (CJK.test(ch)) {
      cjk++;
      if (COMMON_HANZI && !COMMON_HANZI.has(cp)) rare++;
    }
  }
  if (COMMON_HANZI && cjk >= options.minChars && rare / cjk >= options.rareCjkShare) {
    return `rare CJK share ${(rare / cjk).toFixed(2)} (UTF-8 read as GBK?)`;
  }
  if (latin1 >= options.minChars && latin1 / Math.max(1, visible) >= options.latin1Share) {
    return `Latin-1 supplement share ${(latin1 / visible).toFixed(2)}`;
  }
  return undefined;
}

/** C0 and C1 control characters except tab, newline and a carriage return before a newline. */
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/;

/** The first disallowed control character as `U+XXXX`, or undefined. */
export function detectControl(text: string): string | undefined {
  const m = CONTROL_RE.exec(text);
  if (!m) return undefined;
  return `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export interface LengthLimits {
  minChars: number;
  maxChars: number;
}

/**
 * Length check on the trimmed text, counted in code points: empty, shorter than `minChars`,
 * longer than `maxChars`.
 */
export function checkLength(text: string, limits: LengthLimits): JunkFinding | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { code: 'junk.empty' };
  let n = 0;
  for (const _ of trimmed) n++;
  if (n < limits.minChars) return { code: 'junk.too_short', detail: `${n} < ${limits.minChars} chars` };
  if (n > limits.maxChars) return { code: 'junk.too_long', detail: `${n} > ${limits.maxChars} chars` };
  return undefined;
}

/**
 * Similarity of a reply to the question it answers: Jaccard similarity of character bigrams of
 * the normalised texts with spaces and punctuation removed. 1 means the same characters.
 */
export function replySimilarity(question: string, reply: string): number {
  const strip = (s: string) => normalizeKey(s).replace(/[\s\p{P}\p{S}]/gu, '');
  const q = strip(question);
  const r = strip(reply);
  if (q.length === 0 || r.length === 0) return 0;
  return ngramJaccard(q, r, 2);
}

/** A finding when `reply` repeats `question` (similarity at or above `threshold`). */
export function detectRepeatsQuestion(
  question: string,
  reply: string,
  threshold: number,
): JunkFinding | undefined {
  const sim = replySimilarity(question, reply);
  return sim >= threshold
    ? { code: 'junk.repeats_question', detail: `similarity ${sim.toFixed(2)}` }
    : undefined;
}

/** Mojibake and control findings for any text. */
export function detectEncodingJunk(
  text: string,
  options: MojibakeOptions = DEFAULT_MOJIBAKE_OPTIONS,
): JunkFinding[] {
  const out: JunkFinding[] = [];
  const moji = detectMojibake(text, options);
  if (moji) out.push({ code: 'junk.mojibake', detail: moji });
  const ctrl = detectControl(text);
  if (ctrl) out.push({ code: 'junk.control', detail: ctrl });
  return out;
}
