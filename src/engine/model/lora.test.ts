/**
 * LoRA on the tiny llama/qwen2 models: B = 0 leaves the model unchanged, LoRA forward equals the
 * merged model, finite-difference gradients of A and B (with and without dropout), naming and
 * trainable-set behaviour, eval mode disabling dropout.
 */
import { describe, expect, it } from 'vitest';
import type { LoraConfig } from '../contracts.js';
import { Rng } from './rng.js';
import { maxDiff } from './test-helpers/check.js';
import { seqs, tinyModel } from './test-helpers/tiny.js';

const lora = (dropout = 0, targets = ['all']): LoraConfig => ({ rank: 4, alpha: 8, dropout, targets });
const fillB = (model: ReturnType<typeof tinyModel>, seed: number, std = 0.3) => {
  const rng = new Rng(seed);
  for (const p of model.parameters()) if (p.name.includes('lora_B')) rng.fillNormal(p.data, std);
};

describe.each(['llama', 'qwen2'] as const)('LoRA (%s)', (arch) => {
  it('names adapters HF-style and trains only them', () => {
    const model = tinyModel(arch);
    model.addLora(lora(0, ['q_proj', 'v_proj']), 1);
    model.setTrainable('lora');
    const names = model.trainableParameters().map((p) => p.name);
    expect(names).toContain('model.layers.0.self_attn.q_proj.lora_A.weight');
    expect(names).toContain('model.layers.1.self_attn.v_proj.lora_B.weight');
    expect(names).toHaveLength(2 * 2 * 2);
    const a = model.parameters().find((p) => p.name === 'model.layers.0.self_attn.q_proj.lora_A.weight')!;
    expect(a.shape).toEqual([4, 16]);
    expect(Math.max(...a.data.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(() => model.addLora(lora(0, ['qkv']), 1)).toThrow(/unknown LoRA target/);
  });

  it('with B = 0 equals the base model, and LoRA forward equals the merged model', () => {
    const model = tinyModel(arch);
    const tokens = Int32Array.from([5, 1, 30, 2, 9, 9]);
    const base = model.logits(tokens, 6);
    model.addLora(lora(), 2);
    expect(maxDiff(`${arch} B=0 vs base`, model.logits(tokens, 6), base)).toBe(0);
    fillB(model, 3);
    const withLora = model.logits(tokens, 6);
    expect(maxDiff(`${arch} lora vs base (should differ)`, withLora, base)).toBeGreaterThan(1e-2);
    model.mergeLora();
    expect(model.parameters().some((p) => p.name.includes('lora'))).toBe(false);
    expect(maxDiff(`${arch} lora vs merged`, model.logits(tokens, 6), withLora)).toBeLessThan(1e-4);
  });

  it.each([0, 0.3])('gradients of A and B pass the finite-difference check (dropout %s)', (dropout) => {
    const model = tinyModel(arch);
    model.addLora(lora(dropout), 4);
    fillB(model, 5, 0.05);
    model.setTrainable('lora');
    const { tokens, targets } = seqs(2, 5, 37, 6);
    const w = Float32Array.from({ length: 10 }, (_, i) => Math.sin(i + 1));
    const loss = () => {
      model.reseedDropout(7); // same mask every call
      const lp = model.forward(tokens, targets, 2, 5);
      return lp.reduce((s, x, i) => s + w[i]! * x, 0);
    };
    model.zeroGrad();
    loss();
    model.backward(w);
    let worst = 0;
    for (const p of model.trainableParameters()) {
      for (const i of [0, 5, p.data.length - 1]) {
        const orig = p.data[i]!;
        p.data[i] = orig + 1e-2;
        const lp = loss();
        p.data[i] = orig - 1e-2;
        const lm = loss();
        p.data[i] = orig;
        const num = (lp - lm) / 2e-2;
        const a = p.grad![i]!;
        worst = Math.max(worst, Math.abs(a - num) / (Math.abs(a) + Math.abs(num) + 2e-2));
      }
    }
    console.log(`${arch} LoRA grad (dropout ${dropout}): max rel err ${worst.toExponential(3)}`);
    expect(worst).toBeLessThan(1e-2);
  });

  it('inference between forward and backward leaves the adapter grads alone', () => {
    const run = (interleave: boolean) => {
      const model = tinyModel(arch);
      model.addLora(lora(0.2), 4);
      fillB(model, 5);
      model.setTrainable('lora');
      const { tokens, targets } = seqs(2, 5, 37, 6);
      model.forward(tokens, targets, 2, 5);
      if (interleave) model.logits(Int32Array.from([1, 2, 3, 4, 5, 6, 7]), 7);
      model.backward(new Float32Array(10).fill(-0.1));
      return model.trainableParameters().flatMap((p) => Array.from(p.grad!));
    };
    expect(maxDiff('grads with inference in between', run(true), run(false))).toBe(0);
  });

  it('applies dropout only in training mode', () => {
    const model = tinyModel(arch);
    model.addLora(lora(0.5), 8);
    fillB(model, 9);
    const { tokens, targets } = seqs(1, 5, 37, 10);
    const a = model.forward(tokens, targets, 1, 5);
    const b = model.forward(tokens, targets, 1, 5);
    expect(maxDiff('two dropout masks', a, b)).toBeGreaterThan(0);
    model.training = false;
    const c = model.forward(tokens, targets, 1, 5);
    const d = model.forward(tokens, targets, 1, 5);
    expect(maxDiff('eval twice', c, d)).toBe(0);
  });
});
