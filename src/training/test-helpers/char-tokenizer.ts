/**
 * Test helper: a character-level `TextTokenizer` over printable ASCII plus "\n", with the ChatML
 * special tokens (<|endoftext|> = 0, <|im_start|> = 1, <|im_end|> = 2). `encode` never produces
 * special ids (special-looking text is encoded character by character), like an HF tokenizer
 * called without special-token parsing. Unknown characters become "?". Not for production use.
 */
import type { TextTokenizer } from '../../engine/contracts.js';

const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
const CHARS = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];

export class CharTokenizer implements TextTokenizer {
  readonly vocabSize = SPECIALS.length + CHARS.length;
  private readonly ids = new Map(CHARS.map((c, i) => [c, SPECIALS.length + i]));

  encode(text: string): number[] {
    return [...text].map((c) => this.ids.get(c) ?? this.ids.get('?')!);
  }

  decode(ids: readonly number[]): string {
    return ids
      .map((id) => (id < SPECIALS.length ? SPECIALS[id] : CHARS[id - SPECIALS.length]) ?? '')
      .join('');
  }

  tokenId(token: string): number | undefined {
    const i = SPECIALS.indexOf(token);
    return i >= 0 ? i : undefined;
  }
}
