/**
 * Tiny model configurations and a perturbed random model for the whole-model tests (larger
 * weights than the 0.02 init so gradients are well above float32 noise).
 */
import type { ModelConfig } from '../../contracts.js';
import { Rng } from '../rng.js';
import { Transformer } from '../transformer.js';
import { naiveKernels } from './naive-kernels.js';

export function tinyConfig(architecture: 'llama' | 'qwen2'): ModelConfig {
  const qwen = architecture === 'qwen2';
  return {
    architecture,
    vocab_size: 37,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 64,
    rms_norm_eps: 1e-6,
    rope_theta: qwen ? 1_000_000 : 10_000,
    tie_word_embeddings: qwen,
    attention_bias: qwen,
  };
}

export function tinyModel(architecture: 'llama' | 'qwen2', seed = 1): Transformer {
  const model = Transformer.random(tinyConfig(architecture), seed, { kernels: naiveKernels });
  const rng = new Rng(seed + 100);
  for (const p of model.parameters()) {
    for (let i = 0; i < p.data.length; i++) {
      if (p.name.endsWith('norm.weight')) p.data[i] = 1 + 0.2 * rng.normal();
      else if (p.name.endsWith('.bias')) p.data[i] = 0.2 * rng.normal();
      else p.data[i] = (p.name.includes('embed') ? 1 : 0.3) * rng.normal();
    }
  }
  return model;
}

export function seqs(
  B: number,
  T: number,
  V: number,
  seed: number,
): { tokens: Int32Array; targets: Int32Array } {
  const rng = new Rng(seed);
  const tokens = Int32Array.from({ length: B * T }, () => Math.floor(rng.next() * V));
  const targets = Int32Array.from({ length: B * T }, () => Math.floor(rng.next() * V));
  return { tokens, targets };
}
