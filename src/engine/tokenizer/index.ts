/**
 * kefu's byte-level BPE tokenizer: training (`trainBpe`), encoding / decoding (`BpeTokenizer`),
 * HF tokenizer.json + tokenizer_config.json files, GGUF metadata and the ChatML template.
 * Re-exports only.
 */

export { BpeTokenizer, type EncodeOptions } from './bpe.js';
export { BYTE_TO_CHAR, byteLevelDecode, byteLevelEncode, utf8Bytes } from './byte-level.js';
export { CHATML_TEMPLATE, type ChatMessage, IM_END, IM_START, renderChatMl } from './chat-template.js';
export { type GgufTokenizerMetadata, ggufPre, ggufTokenizerMetadata, TOKEN_TYPE } from './gguf.js';
export {
  loadTokenizerJson,
  saveTokenizerConfig,
  saveTokenizerJson,
  TOKENIZER_FORMAT_VERSION,
  tokenizerConfig,
  tokenizerFromJson,
} from './hf-files.js';
export { fromTokenizerJson, toTokenizerJson } from './hf-json.js';
export type { AddedToken, BpeModel } from './model.js';
export { GPT2_PATTERN, LLAMA3_PATTERN, QWEN2_PATTERN } from './pretokenize.js';
export { type TrainBpeOptions, trainBpe } from './train.js';
