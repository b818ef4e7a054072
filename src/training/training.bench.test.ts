/**
 * The training benchmark's pieces on a tiny shape: the FLOP budget formula and one optimizer step
 * through the step runner (LoRA moves only adapters, full moves base weights), with the portable
 * or native kernels, whichever load.
 */
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../engine/contracts.js';
import { makeStepRunner, QUICKSTART_CONFIG, trainingFlopsPerToken } from './training.bench.js';

const tiny: ModelConfig = {
  ...QUICKSTART_CONFIG,
  vocab_size: 50,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
};

describe('training benchmark', () => {
  it('counts forward+backward matmul FLOPs per token', () => {
    const C = 16;
    const I = 24;
    const KC = 8;
    const linear = 2 * (C * C + 2 * C * KC + C * C + 3 * C * I);
    const forward = 2 * (linear + 2 * 2 * 4 * C) + 2 * C * 50; // T = 8: 4 keys on average
    expect(trainingFlopsPerToken(tiny, 8, 'full')).toBe(3 * forward);
    const lora = trainingFlopsPerToken(tiny, 8, 'lora', 2);
    expect(lora).toBeGreaterThan(2 * forward);
    expect(lora).toBeLessThan(3 * forward);
  });

  it.each(['lora', 'full'] as const)(
    'runs %s optimizer steps that move only the trainable weights',
    (mode) => {
      const runner = makeStepRunner(mode, 2, 8, tiny);
      const base = runner.model.parameters().find((p) => p.name === 'model.layers.0.mlp.up_proj.weight')!;
      const before = base.data.slice();
      const trained = runner.model.trainableParameters();
      const snapshot = trained.map((p) => p.data.slice());
      runner.step();
      runner.step();
      expect(trained.some((p, i) => p.data.some((x, j) => x !== snapshot[i]![j]))).toBe(true);
      expect(base.data.some((x, j) => x !== before[j])).toBe(mode === 'full');
    },
  );
});
