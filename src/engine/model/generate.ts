/**
 * Autoregressive generation: prefill the prompt into a KV cache, then decode one token at a time
 * with a Sampler until a stop token, maxTokens or the context limit. An async generator that yields
 * each new token id (stop tokens are not yielded), gives the event loop a turn and checks the
 * AbortSignal before every token (throwing AbortedError). An optional `accept` hook constrains the
 * next token (stop tokens included): candidates are tried in the sampler's order of preference, at
 * most `maxAcceptTries` of them, falling back to the unconstrained choice (see Sampler.sampleAccepted).
 * Does not detokenize or apply templates.
 *
 * Example:
 *   for await (const id of generate(model, prompt, { maxTokens: 64, stopTokenIds: [eos] })) …
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AbortedError, InputError } from '../../core/errors.js';
import type { ModelConfig } from '../contracts.js';
import { KVCache } from './inference.js';
import { Sampler, type SamplingOptions } from './sampling.js';

/** What generation needs from a model (Transformer implements it). */
export interface Decoder {
  readonly config: ModelConfig;
  prefill(tokens: Int32Array, cache: KVCache): Float32Array;
  step(token: number, position: number, cache: KVCache): Float32Array;
}

export interface GenerateOptions {
  /** Most new tokens to produce. */
  maxTokens: number;
  /** Token ids that end generation (not yielded). Defaults to config.eos_token_id when set. */
  stopTokenIds?: readonly number[];
  /** Sampling settings. Defaults to greedy (temperature 0). */
  sampling?: SamplingOptions;
  /** Cancels generation; checked before every token. */
  signal?: AbortSignal;
  /** Called with each yielded token id, in order. */
  onToken?: (id: number) => void;
  /**
   * Whether `tokenId` may come next after the `generated` ids (prompt excluded). Asked about stop
   * tokens too, so a constraint can forbid ending here. Without it every token is accepted.
   */
  accept?: (tokenId: number, generated: readonly number[]) => boolean;
  /** Most candidates `accept` is asked about per token before the best one is taken anyway. Default 32. */
  maxAcceptTries?: number;
}

/** Why generation ended: a stop token, maxTokens, or the model's max_position_embeddings. */
export type FinishReason = 'stop' | 'length' | 'context';

export async function* generate(
  model: Decoder,
  promptIds: readonly number[],
  options: GenerateOptions,
): AsyncGenerator<number, FinishReason> {
  const { config } = model;
  const limit = config.max_position_embeddings;
  if (promptIds.length === 0) throw new InputError('generate needs a non-empty prompt');
  if (promptIds.length >= limit) {
    throw new InputError(`the prompt has ${promptIds.length} tokens; the model's context is ${limit}`);
  }
  const stop = new Set(
    options.stopTokenIds ?? (config.eos_token_id === undefined ? [] : [config.eos_token_id]),
  );
  const sampler = new Sampler(config.vocab_size, { temperature: 0, ...options.sampling });
  const total = Math.min(limit, promptIds.length + options.maxTokens);
  const history = new Int32Array(total);
  history.set(promptIds);
  let count = promptIds.length;
  const generated: number[] = [];
  const accept = options.accept;
  const pick = accept
    ? (logits: Float32Array) =>
        sampler.sampleAccepted(
          logits,
          history,
          count,
          (id) => accept(id, generated),
          options.maxAcceptTries ?? 32,
        )
    : (logits: Float32Array) => sampler.sample(logits, history, count);
  const cache = new KVCache(config, total);
  const check = () => {
    if (options.signal?.aborted)
      throw new AbortedError('generation aborted', { cause: options.signal.reason });
  };
  check();
  let logits = model.prefill(history.subarray(0, count), cache);
  for (let produced = 0; produced < options.maxTokens; produced++) {
    await nextTurn();
    check();
    const id = pick(logits);
    if (stop.has(id)) return 'stop';
    history[count++] = id;
    generated.push(id);
    options.onToken?.(id);
    yield id;
    if (count >= limit) return 'context';
    if (produced + 1 < options.maxTokens) logits = model.step(id, count - 1, cache);
  }
  return 'length';
}
