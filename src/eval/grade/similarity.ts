/**
 * LLaMA-Factory's predict metrics (src/llamafactory/train/sft/metric.py, `ComputeSimilarity`),
 * reproduced so kefu's numbers compare with that tool's:
 *   - ROUGE-1/2/L: prediction and label cut with jieba (precise mode, HMM on), joined by spaces and
 *     scored by the `rouge_chinese` package — n-grams as *sets* (its `exclusive=True` default),
 *     sentences cut at 。！？ and flattened, ROUGE-L as the LCS over all words, F = 2PR/(P+R+1e-8);
 *     an empty side scores 0.
 *   - BLEU-4: NLTK `sentence_bleu([list(label)], list(pred))` over characters, weights ¼ each,
 *     `SmoothingFunction().method3` (a zero n-gram precision becomes 1/(2^k · hypothesis n-grams)),
 *     brevity penalty exp(1 − r/c) when c ≤ r, 0 when no unigram matches.
 * Each score is ×100 and rounded to 4 decimals, as LLaMA-Factory reports them; the mean over
 * examples is the set's score. Pure apart from loading jieba lazily.
 */
import { createRequire } from 'node:module';

// ───────────────────────────── BLEU-4 (NLTK sentence_bleu, method3) ─────────────────────────────

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** NLTK's modified precision for one reference: clipped matches and max(1, hypothesis n-grams). */
export function modifiedPrecision(
  reference: readonly string[],
  hypothesis: readonly string[],
  n: number,
): { numerator: number; denominator: number } {
  const hyp = ngramCounts(hypothesis, n);
  const ref = ngramCounts(reference, n);
  let numerator = 0;
  let total = 0;
  for (const [gram, count] of hyp) {
    numerator += Math.min(count, ref.get(gram) ?? 0);
    total += count;
  }
  return { numerator, denominator: Math.max(1, total) };
}

/** Sentence BLEU-4 in [0, 1] with one reference, smoothing method3, as NLTK computes it. */
export function sentenceBleu4(reference: readonly string[], hypothesis: readonly string[]): number {
  const precisions = [1, 2, 3, 4].map((n) => modifiedPrecision(reference, hypothesis, n));
  if ((precisions[0] as { numerator: number }).numerator === 0) return 0;
  const c = hypothesis.length;
  const r = reference.length;
  const brevity = c > r ? 1 : c === 0 ? 0 : Math.exp(1 - r / c);
  let k = 1;
  let logSum = 0;
  for (const p of precisions) {
    let value: number;
    if (p.numerator === 0) {
      value = 1 / (2 ** k * p.denominator);
      k++;
    } else value = p.numerator / p.denominator;
    logSum += 0.25 * Math.log(value);
  }
  return brevity * Math.exp(logSum);
}

// ───────────────────────────── ROUGE (rouge_chinese) ─────────────────────────────

/** rouge_chinese's `cut_sent`. */
export function cutSentences(paragraph: string): string[] {
  return paragraph
    .replace(/([。！？?])([^”’])/g, '$1\n$2')
    .replace(/(\.{6})([^”’])/g, '$1\n$2')
    .replace(/(…{2})([^”’])/g, '$1\n$2')
    .replace(/([。！？?][”’])([^，。！？?])/g, '$1\n$2')
    .trimEnd()
    .split('\n');
}

/** The word list rouge_chinese scores: sentences, whitespace normalised, split on single spaces. */
export function rougeWords(spaceJoined: string): string[] {
  return cutSentences(spaceJoined)
    .filter((s) => s.length > 0)
    .map((s) => s.split(/\s+/).filter(Boolean).join(' '))
    .flatMap((s) => s.split(' '));
}

export interface Prf {
  f: number;
  p: number;
  r: number;
}

function prf(overlap: number, hypCount: number, refCount: number): Prf {
  const p = hypCount === 0 ? 0 : overlap / hypCount;
  const r = refCount === 0 ? 0 : overlap / refCount;
  return { f: (2 * (p * r)) / (p + r + 1e-8), p, r };
}

function ngramSet(words: readonly string[], n: number): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) set.add(words.slice(i, i + n).join('\u0001'));
  return set;
}

export function rougeN(hypWords: readonly string[], refWords: readonly string[], n: number): Prf {
  const hyp = ngramSet(hypWords, n);
  const ref = ngramSet(refWords, n);
  let overlap = 0;
  for (const gram of hyp) if (ref.has(gram)) overlap++;
  return prf(overlap, hyp.size, ref.size);
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] =
        a[i - 1] === b[j - 1]
          ? (prev[j - 1] as number) + 1
          : Math.max(prev[j] as number, row[j - 1] as number);
    }
    prev = row;
  }
  return prev[b.length] as number;
}

export function rougeL(hypWords: readonly string[], refWords: readonly string[]): Prf {
  const lcs = lcsLength(refWords, hypWords);
  return prf(lcs, hypWords.length, refWords.length);
}

// ───────────────────────────── LLaMA-Factory's ComputeSimilarity ─────────────────────────────

export type Segmenter = (text: string) => string[];

let jieba: { cut(text: string, hmm?: boolean): string[] } | undefined;

/** jieba precise mode with HMM, as Python's `jieba.cut(text)`. */
export const jiebaCut: Segmenter = (text) => {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): typeof jieba } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return (jieba as NonNullable<typeof jieba>).cut(text, true);
};

export interface SimilarityScores {
  'bleu-4': number;
  'rouge-1': number;
  'rouge-2': number;
  'rouge-l': number;
}

const round4 = (x: number) => Math.round(x * 100 * 10_000) / 10_000;

/** One prediction against its label, ×100 and rounded to 4 decimals like LLaMA-Factory. */
export function similarityScores(
  prediction: string,
  label: string,
  segment: Segmenter = jiebaCut,
): SimilarityScores {
  const hypothesis = segment(prediction);
  const reference = segment(label);
  const empty = (tokens: string[]) => tokens.join(' ').split(/\s+/).filter(Boolean).length === 0;
  let rouge = { r1: 0, r2: 0, rl: 0 };
  if (!empty(hypothesis) && !empty(reference)) {
    const hyp = rougeWords(hypothesis.join(' '));
    const ref = rougeWords(reference.join(' '));
    rouge = { r1: rougeN(hyp, ref, 1).f, r2: rougeN(hyp, ref, 2).f, rl: rougeL(hyp, ref).f };
  }
  const bleu = sentenceBleu4([...label], [...prediction]);
  return {
    'bleu-4': round4(bleu),
    'rouge-1': round4(rouge.r1),
    'rouge-2': round4(rouge.r2),
    'rouge-l': round4(rouge.rl),
  };
}

/** Mean of each score over pairs (LLaMA-Factory's `predict_*` numbers). */
export function meanSimilarity(scores: readonly SimilarityScores[]): SimilarityScores {
  const keys = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l'] as const;
  const out = { 'bleu-4': 0, 'rouge-1': 0, 'rouge-2': 0, 'rouge-l': 0 };
  if (scores.length === 0) return out;
  for (const k of keys) out[k] = scores.reduce((sum, s) => sum + s[k], 0) / scores.length;
  return out;
}
