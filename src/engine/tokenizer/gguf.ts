/**
 * The tokenizer half of a GGUF file's metadata, as llama.cpp reads it (`tokenizer.ggml.*`), for
 * the engineer who writes the GGUF file:
 *
 *   tokenizer.ggml.model = "gpt2"          byte-level BPE
 *   tokenizer.ggml.pre = "qwen2"           which pre-tokenizer regex llama.cpp runs (compiled in,
 *                                          chosen by name: qwen2, llama-bpe, gpt-2, default …)
 *   tokenizer.ggml.tokens / token_type     one entry per id: byte-level strings (as in tokenizer.json
 *                                          vocab) or an added token's text; 1 normal, 3 control
 *                                          (special), 4 user-defined (added, not special), 5 unused
 *   tokenizer.ggml.merges                  "left right" byte-level strings in rank order
 *   tokenizer.ggml.{bos,eos,padding}_token_id, add_bos_token, tokenizer.chat_template
 *
 * Ids missing from the vocabulary, and ids up to a larger model vocab_size, become "[PAD{id}]"
 * with type 5, as llama.cpp's convert_hf_to_gguf.py writes them. Does not write GGUF bytes.
 */
import type { BpeTokenizer } from './bpe.js';
import { CHATML_TEMPLATE } from './chat-template.js';
import { GPT2_PATTERN, LLAMA3_PATTERN, QWEN2_PATTERN } from './pretokenize.js';

export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

export type GgufPre = 'qwen2' | 'llama-bpe' | 'gpt-2' | 'default';

export interface GgufTokenizerMetadata {
  model: 'gpt2';
  pre: GgufPre;
  /** False when llama.cpp has no pre-tokenizer matching this tokenizer's (it then runs 'default'). */
  preExact: boolean;
  tokens: string[];
  token_type: number[];
  merges: string[];
  bos_token_id?: number;
  eos_token_id?: number;
  padding_token_id?: number;
  add_bos_token: boolean;
  chat_template: string;
}

/** llama.cpp's name for a sequence of split patterns. */
export function ggufPre(patterns: readonly string[]): { pre: GgufPre; exact: boolean } {
  const only = patterns.length === 1 ? patterns[0] : undefined;
  if (only === QWEN2_PATTERN) return { pre: 'qwen2', exact: true };
  if (only === LLAMA3_PATTERN) return { pre: 'llama-bpe', exact: true };
  if (only === GPT2_PATTERN) return { pre: 'gpt-2', exact: true };
  return { pre: 'default', exact: false };
}

export interface GgufTokenizerOptions {
  /** The model's embedding rows (config vocab_size), when larger than the tokenizer's. */
  vocabSize?: number;
  /** Defaults to CHATML_TEMPLATE. */
  chatTemplate?: string;
}

export function ggufTokenizerMetadata(
  tok: BpeTokenizer,
  options: GgufTokenizerOptions = {},
): GgufTokenizerMetadata {
  const size = Math.max(tok.vocabSize, options.vocabSize ?? 0);
  const tokens = new Array<string>(size);
  const types = new Array<number>(size);
  for (let id = 0; id < size; id++) {
    tokens[id] = `[PAD${id}]`;
    types[id] = TOKEN_TYPE.unused;
  }
  for (const [token, id] of tok.model.vocab) {
    tokens[id] = token;
    types[id] = TOKEN_TYPE.normal;
  }
  for (const t of tok.model.addedTokens) {
    tokens[t.id] = t.content;
    types[t.id] = t.special ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined;
  }
  const { pre, exact } = ggufPre(tok.model.patterns);
  const meta: GgufTokenizerMetadata = {
    model: 'gpt2',
    pre,
    preExact: exact && !tok.model.normalizer && !tok.model.addPrefixSpace,
    tokens,
    token_type: types,
    merges: tok.model.merges.map(([a, b]) => `${a} ${b}`),
    add_bos_token: false,
    chat_template: options.chatTemplate ?? CHATML_TEMPLATE,
  };
  if (tok.bosId !== undefined) meta.bos_token_id = tok.bosId;
  if (tok.eosId !== undefined) meta.eos_token_id = tok.eosId;
  if (tok.padId !== undefined) meta.padding_token_id = tok.padId;
  return meta;
}
