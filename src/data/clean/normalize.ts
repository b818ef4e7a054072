/**
 * Text normalisation and hashing for duplicate detection.
 *
 * Does: build a comparison key (NFKC, one width for CJK/ASCII punctuation, whitespace collapsed,
 * Latin lower-cased) and a fast 64-bit hash of it (two independent 32-bit FNV-1a variants) so
 * seen-sets hold 16-character hashes instead of whole texts; build the text of a whole `Example`
 * that duplicates are compared on.
 * Does not: change the text that is written out (keys are for comparison only), detect anything.
 */

import type { Example } from '../example.js';

/** CJK punctuation NFKC leaves alone, mapped to the ASCII form NFKC gives the full-width ones. */
const PUNCT: Record<string, string> = {
  '。': '.',
  '｡': '.',
  '、': ',',
  '､': ',',
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
  '「': '"',
  '」': '"',
  '『': '"',
  '』': '"',
  '【': '[',
  '】': ']',
  '〔': '[',
  '〕': ']',
  '《': '<',
  '》': '>',
  '〈': '<',
  '〉': '>',
  '—': '-',
  '–': '-',
  '―': '-',
  '·': '.',
  '・': '.',
  '〜': '~',
};
const PUNCT_RE = new RegExp(`[${Object.keys(PUNCT).join('')}]`, 'g');

/**
 * The comparison key: NFKC (full-width ASCII, digits and ，！？：；（） become half-width), the
 * remaining CJK punctuation mapped to ASCII, runs of whitespace collapsed to one space, trimmed,
 * lower-cased. Two texts that differ only in punctuation width, spacing or letter case get the
 * same key.
 */
export function normalizeKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(PUNCT_RE, (c) => PUNCT[c]!)
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** 32-bit FNV-1a over UTF-16 code units, starting from `seed` (the FNV offset basis by default). */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's finaliser: a bijection on 32-bit integers that mixes every input bit into every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * 64-bit hash of a key as 16 lower-case hex digits: two FNV-1a passes with different offset
 * bases, each finished with `fmix32`. Collisions are negligible below billions of records.
 */
export function hashKey(key: string): string {
  const a = fmix32(fnv1a32(key));
  const b = fmix32(fnv1a32(key, 0x9e3779b9) ^ key.length);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * The text of an example that near-duplicates are compared on: every message with its role, the
 * alpaca input, chosen and rejected. The system prompt and tool definitions are left out: they are
 * usually shared by the whole dataset and would make unrelated dialogues look alike.
 */
export function dialogueText(example: Example): string {
  const parts: string[] = [];
  for (const m of example.messages) parts.push(`${m.role}:${m.content}`);
  if (example.input) parts.push(`input:${example.input}`);
  if (example.chosen !== undefined) parts.push(`chosen:${example.chosen}`);
  if (example.rejected !== undefined) parts.push(`rejected:${example.rejected}`);
  return parts.join('\n');
}

/**
 * The text exact duplicates are compared on: `dialogueText` plus the system prompt and tools, so
 * the same dialogue under two different system prompts is not an exact duplicate.
 */
export function exactText(example: Example): string {
  const head = `${example.kind}\nsystem:${example.system ?? ''}\ntools:${example.tools ?? ''}\n`;
  return head + dialogueText(example);
}

/** The set of character n-grams of `text` (the whole text when it is shorter than `n`). */
export function ngrams(text: string, n: number): Set<string> {
  const set = new Set<string>();
  if (text.length === 0) return set;
  if (text.length <= n) {
    set.add(text);
    return set;
  }
  for (let i = 0; i + n <= text.length; i++) set.add(text.slice(i, i + n));
  return set;
}

/** Exact Jaccard similarity of the character n-gram sets of two texts (1 when both are empty). */
export function ngramJaccard(a: string, b: string, n: number): number {
  const sa = ngrams(a, n);
  const sb = ngrams(b, n);
  if (sa.size === 0 && sb.size === 0) return 1;
  let inter = 0;
  for (const g of sa) if (sb.has(g)) inter++;
  return inter / (sa.size + sb.size - inter);
}
