/**
 * Pre-tokenisation: cutting text into pieces that BPE then encodes one by one (merges never
 * cross a piece boundary). Patterns are written as in HF tokenizer.json (Oniguruma syntax) and
 * translated to JavaScript here, the way llama.cpp and Tokenizers.js do: `(?i:'s|'t)` becomes
 * `(?:'[sS]|'[tT])` (ASCII folding) and `\s` / `\S` become `\p{White_Space}` / `\P{White_Space}`
 * (Oniguruma's set: with U+0085, without U+FEFF). Split behaviour is HF's "Isolated": matches
 * and the gaps between them are both pieces.
 *
 *   splitText('您好，订单123 ok', compilePattern(QWEN2_PATTERN))
 *   // ['您好', '，订单', '1', '2', '3', ' ok']
 *
 * Also the splitter that cuts special / added tokens out of the text first. Does not do BPE, and
 * translates only the constructs the byte-level BPE families use (others are passed through).
 */

/** Qwen2 / Qwen2.5 / Qwen3 pattern; llama.cpp calls it `tokenizer.ggml.pre = "qwen2"`. */
export const QWEN2_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** Llama-3 pattern (digits in groups of up to three); llama.cpp's `pre = "llama-bpe"`. */
export const LLAMA3_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** GPT-2 pattern, used by HF's ByteLevel pre-tokenizer when `use_regex` is true; `pre = "gpt-2"`. */
export const GPT2_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/**
 * Oniguruma pattern (as in tokenizer.json) → JavaScript source for `new RegExp(source, 'gu')`.
 * Handles `(?i:…)` groups of literals, `\s`, `\S`; everything else is copied unchanged.
 */
export function translatePattern(pattern: string): string {
  let out = '';
  let inClass = false;
  let foldDepth = -1; // group depth of an open (?i: … ) group, -1 when none
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (next === 's') out += '\\p{White_Space}';
      else if (next === 'S') out += '\\P{White_Space}';
      else out += ch + next;
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === '(') {
      depth++;
      if (pattern.startsWith('(?i:', i)) {
        foldDepth = depth;
        out += '(?:';
        i += 3;
      } else out += ch;
    } else if (ch === ')') {
      if (depth === foldDepth) foldDepth = -1;
      depth--;
      out += ch;
    } else if (foldDepth >= 0 && /[a-zA-Z]/.test(ch)) {
      out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    } else out += ch;
  }
  return out;
}

/** Compiles an HF-style pattern; throws SyntaxError when JavaScript cannot run it. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(translatePattern(pattern), 'gu');
}

/**
 * Calls `emit` with each piece of `text`: every match of `regex` and every non-empty gap
 * between matches, in order (HF Split, behaviour "Isolated", invert false).
 */
export function forEachPiece(text: string, regex: RegExp, emit: (piece: string) => void): void {
  regex.lastIndex = 0;
  let last = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    const start = m.index;
    const piece = m[0];
    if (piece.length === 0) {
      regex.lastIndex++; // never loop on an empty match
      continue;
    }
    if (start > last) emit(text.slice(last, start));
    emit(piece);
    last = start + piece.length;
  }
  if (last < text.length) emit(text.slice(last));
}

/** Pieces of `text` after applying each regex in turn (an HF Sequence of Splits). */
export function splitText(text: string, ...regexes: RegExp[]): string[] {
  let pieces = [text];
  for (const regex of regexes) {
    const next: string[] = [];
    for (const p of pieces) forEachPiece(p, regex, (piece) => next.push(piece));
    pieces = next;
  }
  return pieces;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Finds whole special / added tokens in text, leftmost first and longest on ties (as
 * Tokenizers.js and HF tokenizers do), e.g. with ['<|im_start|>', '<|im_end|>']:
 *   split('<|im_start|>user\n你好<|im_end|>') → ['<|im_start|>', 'user\n你好', '<|im_end|>'].
 */
export class TokenSplitter {
  private readonly regex: RegExp | undefined;

  constructor(tokens: readonly string[]) {
    const sorted = [...new Set(tokens)].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
    this.regex = sorted.length > 0 ? new RegExp(sorted.map(escapeRegex).join('|'), 'gu') : undefined;
  }

  /** Calls `text(gap)` for ordinary text and `token(content)` for each token found. */
  split(input: string, text: (gap: string) => void, token: (content: string) => void): void {
    const regex = this.regex;
    if (regex === undefined) {
      if (input.length > 0) text(input);
      return;
    }
    regex.lastIndex = 0;
    let last = 0;
    for (let m = regex.exec(input); m !== null; m = regex.exec(input)) {
      if (m.index > last) text(input.slice(last, m.index));
      token(m[0]);
      last = m.index + m[0].length;
    }
    if (last < input.length) text(input.slice(last));
  }
}
