/**
 * The plain data of a byte-level BPE tokenizer, as training produces it and tokenizer.json
 * stores it: vocabulary (byte-level strings → ids), ranked merges, added tokens and the
 * pre-tokenizer settings. `BpeTokenizer` compiles it into fast tables; the HF and GGUF writers
 * read it. No behaviour lives here.
 *
 *   { vocab: Map { 'a' → 64, 'b' → 65, 'ab' → 256 }, merges: [['a', 'b']],
 *     addedTokens: [{ id: 257, content: '<|im_end|>', special: true }], patterns: [QWEN2_PATTERN] }
 */

export interface AddedToken {
  id: number;
  content: string;
  /** Control tokens (`<|im_end|>`). Non-special added tokens are always matched as whole tokens. */
  special: boolean;
}

export type NormalizerName = 'NFC' | 'NFKC' | 'NFD' | 'NFKD';

export interface BpeModel {
  /** Byte-level string (GPT-2 alphabet) → id, for regular tokens. Must hold all 256 single bytes. */
  vocab: Map<string, number>;
  /** Merges in rank order, as byte-level string pairs: merges[0] is applied first. */
  merges: [string, string][];
  addedTokens: AddedToken[];
  /** HF-style (Oniguruma) split patterns applied in turn, e.g. [QWEN2_PATTERN]; [] = no split. */
  patterns: string[];
  /** Unicode normalisation before pre-tokenisation (Qwen2 files use NFC). Defaults to none. */
  normalizer?: NormalizerName | undefined;
  /** HF ByteLevel `add_prefix_space`. Defaults to false. */
  addPrefixSpace?: boolean | undefined;
  /** HF BPE `ignore_merges` (Llama-3): a piece that is itself in the vocabulary is one token. */
  ignoreMerges?: boolean | undefined;
  /** Token strings with roles, when known (tokenizer_config.json or training options). */
  bosToken?: string | undefined;
  eosToken?: string | undefined;
  padToken?: string | undefined;
}
