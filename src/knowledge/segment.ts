/**
 * Chinese-aware word segmentation for the lexical index: jieba's search-mode cut (which adds the
 * sub-words of long words), lower-cased, punctuation and spaces dropped, plus the character
 * bigrams of every CJK word of three or more characters so that a wrong jieba split on one side
 * ("退|货运费") still meets the other side ("运费"). The same function runs at index and at query
 * time. Does not rank or store anything.
 */
import { createRequire } from 'node:module';

interface JiebaInstance {
  cutForSearch(text: string, hmm?: boolean): string[];
}

let jieba: JiebaInstance | undefined;

function instance(): JiebaInstance {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): JiebaInstance } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

const WORDLIKE = /[\p{L}\p{N}]/u;
const CJK_RUN = /^\p{Script=Han}+$/u;

/** Segment `text` into index terms, in order (duplicates kept: term frequency matters). */
export function segment(text: string): string[] {
  const terms: string[] = [];
  if (!text.trim()) return terms;
  for (const raw of instance().cutForSearch(text.normalize('NFKC'), true)) {
    const word = raw.trim().toLowerCase();
    if (!word || !WORDLIKE.test(word)) continue;
    terms.push(word);
    if (word.length >= 3 && CJK_RUN.test(word)) {
      for (let i = 0; i + 2 <= word.length; i++) terms.push(word.slice(i, i + 2));
    }
  }
  return terms;
}

/** Distinct terms of `text`, first occurrence order. */
export function distinctTerms(text: string): string[] {
  return [...new Set(segment(text))];
}
