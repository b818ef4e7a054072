import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KefuError } from '../core/errors.js';
import type { ModelConfig } from '../engine/contracts.js';
import { getKernels } from '../engine/kernels/index.js';
import { allocActivations } from '../engine/model/activations.js';
import { Transformer } from '../engine/model/transformer.js';
import {
  assertTrainingFits,
  checkTrainingMemory,
  currentMemorySystem,
  estimateTrainingMemory,
  type MemorySystem,
} from './memory.js';
import { parseRecipe, type RecipeInput } from './recipe.js';
import { trainRecipe } from './workflow.js';

const GiB = 1024 ** 3;

const config = (over: Partial<ModelConfig> = {}): ModelConfig => ({
  architecture: 'qwen2',
  vocab_size: 300,
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 128,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: true,
  attention_bias: true,
  ...over,
});

const recipe = (over: Partial<RecipeInput> = {}) =>
  parseRecipe({ model_name_or_path: 'm', dataset: 'd', cutoff_len: 64, ...over });

const QWEN_05B = config({
  vocab_size: 151_936,
  hidden_size: 896,
  intermediate_size: 4864,
  num_hidden_layers: 24,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  max_position_embeddings: 32_768,
});

const machine = (total: number, free = total): MemorySystem => ({
  total,
  free,
  maxArrayLength: 2 ** 32,
});

const bytesOf = (arrays: Iterable<Float32Array | null>) => {
  let n = 0;
  for (const a of arrays) n += a?.byteLength ?? 0;
  return n;
};

const codeOf = (fn: () => unknown): KefuError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof KefuError) return error;
    throw error;
  }
  throw new Error('expected a KefuError');
};

describe('estimateTrainingMemory', () => {
  it('counts activations exactly as allocActivations allocates them', () => {
    for (const [cfg, batch, cutoff] of [
      [config(), 2, 16], // attention probabilities kept
      [config({ num_attention_heads: 8, num_key_value_heads: 8 }), 4, 512], // recomputed
      [config({ vocab_size: 200_000, tie_word_embeddings: false }), 3, 40], // lm_head in chunks
    ] as const) {
      const r = recipe({
        per_device_train_batch_size: batch,
        per_device_eval_batch_size: 1,
        cutoff_len: cutoff,
      });
      const estimate = estimateTrainingMemory(cfg, r, { lora: false });
      const a = allocActivations(cfg, batch, cutoff);
      const layers = a.layers.flatMap((l) => Object.values(l) as (Float32Array | null)[]);
      const shared = Object.entries(a)
        .filter(([k, v]) => k !== 'logits' && v instanceof Float32Array)
        .map(([, v]) => v as Float32Array);
      expect(estimate.parts.activations).toBe(bytesOf(layers) + bytesOf(shared));
      expect(estimate.parts.logits).toBe(a.logits.byteLength);
    }
  });

  it('counts weights, gradients and moments of full and LoRA training exactly', () => {
    const cfg = config({ tie_word_embeddings: false, attention_bias: true });
    const unique = (m: Transformer, pick: 'data' | 'grad') =>
      bytesOf(new Set(m.parameters().map((p) => p[pick] ?? null)));
    const full = Transformer.random(cfg, 1, { kernels: getKernels('portable') });
    full.setTrainable('all');
    const fullEstimate = estimateTrainingMemory(cfg, recipe(), { lora: false });
    expect(fullEstimate.parts.weights).toBe(unique(full, 'data'));
    expect(fullEstimate.parts.gradients).toBe(unique(full, 'grad'));
    expect(fullEstimate.parts.optimizer).toBe(2 * unique(full, 'grad'));

    const r = recipe({ lora_rank: 4, lora_target: 'q_proj, v_proj,down_proj' });
    const lora = Transformer.random(cfg, 1, { kernels: getKernels('portable') });
    lora.addLora({ rank: 4, alpha: 8, dropout: 0, targets: ['q_proj', 'v_proj', 'down_proj'] }, 1);
    lora.setTrainable('lora');
    const loraEstimate = estimateTrainingMemory(cfg, r, { lora: true });
    expect(loraEstimate.parts.weights).toBe(unique(lora, 'data'));
    expect(loraEstimate.parts.gradients).toBe(unique(lora, 'grad'));
  });

  it('lets realistic runs through', () => {
    const small = config({
      vocab_size: 4000,
      hidden_size: 128,
      intermediate_size: 352,
      num_hidden_layers: 4,
    });
    const pt = recipe({ stage: 'pt', finetuning_type: 'full', cutoff_len: 512 });
    expect(() => assertTrainingFits(small, pt, { lora: false })).not.toThrow(); // this machine
    // Qwen2-0.5B: LoRA SFT (batch 4 × 1024) and full fine-tuning (batch 2 × 512) on a 16 GiB laptop
    const sft = recipe({ per_device_train_batch_size: 4, per_device_eval_batch_size: 4, cutoff_len: 1024 });
    const estimate = assertTrainingFits(QWEN_05B, sft, { lora: true, system: machine(16 * GiB, 12 * GiB) });
    expect(estimate.bytes).toBeGreaterThan(2 * GiB);
    expect(estimate.bytes).toBeLessThan(12 * GiB);
    const full = recipe({
      finetuning_type: 'full',
      per_device_train_batch_size: 2,
      per_device_eval_batch_size: 2,
      cutoff_len: 512,
    });
    expect(() =>
      assertTrainingFits(QWEN_05B, full, { lora: false, system: machine(16 * GiB, 12 * GiB) }),
    ).not.toThrow();
  });

  it('refuses activations that do not fit, pointing at batch size and cutoff_len', () => {
    const sft = recipe({ per_device_train_batch_size: 64, per_device_eval_batch_size: 8, cutoff_len: 4096 });
    const error = codeOf(() =>
      assertTrainingFits(QWEN_05B, sft, { lora: true, system: machine(16 * GiB, 12 * GiB) }),
    );
    expect(error.code).toBe('E_OUT_OF_MEMORY');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/needs about [\d.]+ GiB .*activations .*only 12\.0 GiB is available/);
    expect(error.hint).toMatch(/per_device_train_batch_size \(64\) or cutoff_len \(4096\)/);
    expect(error.details.estimateBytes).toBeGreaterThan(12 * GiB);
  });

  it('counts weights already loaded as available, and honours a cgroup limit', () => {
    const sft = recipe({ per_device_train_batch_size: 1, per_device_eval_batch_size: 1, cutoff_len: 256 });
    const estimate = estimateTrainingMemory(QWEN_05B, sft, { lora: true });
    const weights = estimate.parts.weights!;
    const free = estimate.bytes - weights / 2;
    expect(() => checkTrainingMemory(estimate, sft, { system: machine(64 * GiB, free) })).toThrow(/only/);
    expect(() =>
      checkTrainingMemory(estimate, sft, { resident: weights, system: machine(64 * GiB, free) }),
    ).not.toThrow();
    const limited = { ...machine(64 * GiB), limit: estimate.bytes / 2 };
    expect(codeOf(() => checkTrainingMemory(estimate, sft, { system: limited })).code).toBe(
      'E_OUT_OF_MEMORY',
    );
  });

  it('refuses a single array over the typed array limit even with memory to spare', () => {
    const cfg = config({
      vocab_size: 1000,
      hidden_size: 4096,
      intermediate_size: 32_768,
      num_hidden_layers: 1,
    });
    const r = recipe({ per_device_train_batch_size: 64, per_device_eval_batch_size: 1, cutoff_len: 4096 });
    const error = codeOf(() => assertTrainingFits(cfg, r, { lora: true, system: machine(2 ** 60) }));
    expect(error.code).toBe('E_OUT_OF_MEMORY');
    expect(error.message).toMatch(/one array of [\d,]+ values \(the MLP activation buffer/);
  });

  it('reads the limits of this process', () => {
    const system = currentMemorySystem();
    expect(system.total).toBeGreaterThan(0);
    expect(system.free).toBeGreaterThan(0);
    expect(system.maxArrayLength).toBeGreaterThanOrEqual(2 ** 30);
  });
});

describe('trainRecipe memory guard', () => {
  it('fails fast on an absurd new_model and allocates nothing large', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-memory-'));
    writeFileSync(join(dir, 'pt.json'), JSON.stringify([{ text: 'hello world' }]));
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const error = await trainRecipe({
      baseDir: dir,
      recipe: parseRecipe({
        model_name_or_path: 'scratch',
        stage: 'pt',
        finetuning_type: 'full',
        dataset: 'pt.json',
        output_dir: 'out',
        cutoff_len: 2048,
        new_model: {
          vocab_size: 32_000,
          hidden_size: 65_536,
          intermediate_size: 262_144,
          num_hidden_layers: 64,
          num_attention_heads: 64,
          num_key_value_heads: 8,
          max_position_embeddings: 4096,
        },
      }),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(KefuError);
    const failure = error as KefuError;
    expect(failure.code).toBe('E_OUT_OF_MEMORY');
    expect(failure.message).toMatch(/needs about [\d.]+ [TP]iB of memory .*weights .* is available/);
    expect(failure.hint).toMatch(/smaller new_model/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });
});
