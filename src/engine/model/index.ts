/**
 * The model module's public surface: the Llama / Qwen2 Transformer (training, LoRA, inference),
 * the KV cache, sampling and generation. Layer functions stay importable from ./layers/*.js.
 */
export { type Decoder, type FinishReason, type GenerateOptions, generate } from './generate.js';
export { type GenerateTextOptions, generateText, type TextResult } from './generate-text.js';
export { KVCache } from './inference.js';
export { LINEAR_NAMES, type LinearName, validateConfig } from './params.js';
export { Rng } from './rng.js';
export { argmax, Sampler, type SamplingOptions } from './sampling.js';
export { type TrainableSet, Transformer, type TransformerOptions } from './transformer.js';
