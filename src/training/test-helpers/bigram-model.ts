/**
 * Test helper: the smallest real `TrainableModel` — a bigram logit table W[V, V] (row = current
 * token, column = next token). forward = log-softmax of W[token] at the target; backward is exact:
 * dW[token, j] += dLogprob · (1[j = target] − p_j). `nanAfter` makes forward return NaN from that
 * call on, to test divergence handling. Not for production use.
 */
import {
  IGNORE_INDEX,
  type ModelConfig,
  type Parameter,
  type TrainableModel,
} from '../../engine/contracts.js';

export interface BigramOptions {
  vocabSize: number;
  /** Seed of the initial weights (small, deterministic); 0 gives all zeros. */
  seed?: number;
  nanAfter?: number;
}

export class BigramModel implements TrainableModel {
  readonly config: ModelConfig;
  readonly weight: Parameter;
  forwardCalls = 0;
  private saved?: { tokens: Int32Array; targets: Int32Array; probs: Float64Array };

  constructor(private readonly options: BigramOptions) {
    const v = options.vocabSize;
    this.config = {
      architecture: 'llama',
      vocab_size: v,
      hidden_size: v,
      intermediate_size: v,
      num_hidden_layers: 0,
      num_attention_heads: 1,
      num_key_value_heads: 1,
      max_position_embeddings: 1 << 20,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      tie_word_embeddings: false,
      attention_bias: false,
    };
    const data = new Float32Array(v * v);
    let s = options.seed ?? 0;
    if (s !== 0) {
      for (let i = 0; i < data.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        data[i] = (s / 4294967296 - 0.5) * 0.1;
      }
    }
    this.weight = { name: 'lm_head.weight', shape: [v, v], data, grad: new Float32Array(v * v) };
  }

  forward(tokens: Int32Array, targets: Int32Array, batch: number, seqLen: number): Float32Array {
    this.forwardCalls++;
    const v = this.options.vocabSize;
    const out = new Float32Array(batch * seqLen);
    const probs = new Float64Array(batch * seqLen * v);
    const w = this.weight.data;
    const poisoned = this.options.nanAfter !== undefined && this.forwardCalls > this.options.nanAfter;
    for (let i = 0; i < batch * seqLen; i++) {
      const target = targets[i]!;
      if (target === IGNORE_INDEX) continue;
      const row = tokens[i]! * v;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < v; j++) max = Math.max(max, w[row + j]!);
      let sum = 0;
      for (let j = 0; j < v; j++) sum += Math.exp(w[row + j]! - max);
      const logZ = max + Math.log(sum);
      for (let j = 0; j < v; j++) probs[i * v + j] = Math.exp(w[row + j]! - logZ);
      out[i] = poisoned ? Number.NaN : w[row + target]! - logZ;
    }
    this.saved = { tokens: tokens.slice(), targets: targets.slice(), probs };
    return out;
  }

  backward(dLogprobs: Float32Array): void {
    const saved = this.saved;
    if (!saved) throw new Error('backward before forward');
    const v = this.options.vocabSize;
    const grad = this.weight.grad!;
    for (let i = 0; i < dLogprobs.length; i++) {
      const d = dLogprobs[i]!;
      const target = saved.targets[i]!;
      if (d === 0 || target === IGNORE_INDEX) continue;
      const row = saved.tokens[i]! * v;
      for (let j = 0; j < v; j++) grad[row + j] = grad[row + j]! - d * saved.probs[i * v + j]!;
      grad[row + target] = grad[row + target]! + d;
    }
  }

  trainableParameters(): Parameter[] {
    return [this.weight];
  }

  zeroGrad(): void {
    this.weight.grad!.fill(0);
  }
}
