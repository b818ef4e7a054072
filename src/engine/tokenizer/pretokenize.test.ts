/** Tests for pretokenize.ts: Qwen2 splits, Oniguruma translation, special-token splitting. */

import { describe, expect, it } from 'vitest';
import { compilePattern, QWEN2_PATTERN, splitText, TokenSplitter, translatePattern } from './pretokenize.js';

describe('pre-tokenisation', () => {
  const qwen2 = compilePattern(QWEN2_PATTERN);

  it('splits Chinese runs, single digits, punctuation and spaces as Qwen2 does', () => {
    expect(splitText('您好，订单123 ok', qwen2)).toEqual(['您好', '，订单', '1', '2', '3', ' ok']);
    expect(splitText("I'LL go  now\n\n", qwen2)).toEqual(['I', "'LL", ' go', ' ', ' now', '\n\n']);
    expect(splitText('', qwen2)).toEqual([]);
  });

  it('translates Oniguruma constructs the way llama.cpp / Tokenizers.js do', () => {
    expect(translatePattern("(?i:'s|'t)|\\s+(?!\\S)|[^\\s\\p{L}]")).toBe(
      "(?:'[sS]|'[tT])|\\p{White_Space}+(?!\\P{White_Space})|[^\\p{White_Space}\\p{L}]",
    );
    // U+0085 is whitespace for Oniguruma, U+FEFF is not (unlike JavaScript's \s).
    expect(splitText('\u0085\u0085!', qwen2)).toEqual(['\u0085', '\u0085', '!']);
    expect(splitText('\ufeff\ufeff!', qwen2)).toEqual(['\ufeff\ufeff!']);
  });

  it('keeps gaps between matches as pieces (HF "Isolated")', () => {
    expect(splitText('ab12cd', compilePattern('\\d+'))).toEqual(['ab', '12', 'cd']);
  });

  it('finds special tokens leftmost, longest first', () => {
    const splitter = new TokenSplitter(['<|im_start|>', '<|im_end|>', '<|im']);
    const parts: string[] = [];
    splitter.split(
      'x<|im_start|>user\n你好<|im_end|><|im',
      (t) => parts.push(`text:${t}`),
      (t) => parts.push(`tok:${t}`),
    );
    expect(parts).toEqual(['text:x', 'tok:<|im_start|>', 'text:user\n你好', 'tok:<|im_end|>', 'tok:<|im']);
  });
});
