/**
 * The pruned training backward and the fused LoRA groups on the tiny models: LoRA-only grads
 * equal those of a full backward (frozen dW/db and the embedding gradient skipped, fewer matmuls),
 * adapters trained only in upper layers stop backprop below them with the same grads, a group
 * equals its modules run one by one, and a second backward after one forward repeats the first.
 */
import { describe, expect, it } from 'vitest';
import type { Kernels, LoraConfig } from '../contracts.js';
import { groupBackward, groupForward, LoraGroupScratch } from './lora-group.js';
import { Rng } from './rng.js';
import { maxDiff } from './test-helpers/check.js';
import { naiveKernels } from './test-helpers/naive-kernels.js';
import { seqs, tinyModel } from './test-helpers/tiny.js';
import type { Transformer } from './transformer.js';

const lora: LoraConfig = { rank: 3, alpha: 6, dropout: 0, targets: ['all'] };

/** naiveKernels counting matmul calls. */
function counting(): Kernels & { calls: number } {
  const k = {
    name: 'counting',
    calls: 0,
    matmul: (...args: Parameters<Kernels['matmul']>) => {
      k.calls++;
      naiveKernels.matmul(...args);
    },
  };
  return k;
}

function withLora(arch: 'llama' | 'qwen2', kernels: Kernels): Transformer {
  const model = tinyModel(arch);
  (model as { kernels: Kernels }).kernels = kernels;
  model.addLora(lora, 3);
  const rng = new Rng(4);
  for (const p of model.parameters()) if (p.name.includes('lora_B')) rng.fillNormal(p.data, 0.2);
  return model;
}

const loraGrads = (m: Transformer) =>
  m
    .parameters()
    .filter((p) => p.name.includes('.lora_'))
    .map((p) => ({ name: p.name, grad: p.grad?.slice() }));

function step(model: Transformer, backwards = 1) {
  const { tokens, targets } = seqs(2, 5, 37, 8);
  const w = Float32Array.from({ length: 10 }, (_, i) => Math.cos(i));
  model.zeroGrad();
  model.forward(tokens, targets, 2, 5);
  for (let i = 0; i < backwards; i++) model.backward(w);
}

describe.each(['llama', 'qwen2'] as const)('pruned backward (%s)', (arch) => {
  it('LoRA-only grads equal the full backward, with fewer matmuls and no frozen grads', () => {
    const kAll = counting();
    const all = withLora(arch, kAll);
    all.setTrainable('all');
    step(all);
    const kLora = counting();
    const only = withLora(arch, kLora);
    only.setTrainable('lora');
    step(only);
    expect(kLora.calls).toBeLessThan(kAll.calls);
    expect(only.parameters().filter((p) => p.grad && !p.name.includes('.lora_'))).toHaveLength(0);
    const ref = loraGrads(all);
    const got = loraGrads(only);
    for (let i = 0; i < ref.length; i++)
      expect(maxDiff(got[i]!.name, got[i]!.grad!, ref[i]!.grad!)).toBeLessThan(1e-5);
  });

  it('stops backprop below the lowest trainable layer (adapters frozen in layer 0)', () => {
    const kAll = counting();
    const all = withLora(arch, kAll);
    all.setTrainable('lora');
    step(all);
    const kTop = counting();
    const top = withLora(arch, kTop);
    top.setTrainable('lora');
    for (const p of top.parameters()) if (p.name.startsWith('model.layers.0.')) p.grad = undefined;
    step(top);
    expect(kTop.calls).toBeLessThan(kAll.calls);
    const ref = loraGrads(all);
    const got = loraGrads(top);
    for (let i = 0; i < ref.length; i++) {
      if (ref[i]!.name.startsWith('model.layers.0.')) expect(got[i]!.grad).toBeUndefined();
      else expect(maxDiff(got[i]!.name, got[i]!.grad!, ref[i]!.grad!)).toBeLessThan(1e-6);
    }
  });

  it('a second backward after one forward doubles the grads (kept softmax is not reused twice)', () => {
    for (const set of ['lora', 'all'] as const) {
      const once = withLora(arch, naiveKernels);
      once.setTrainable(set);
      step(once, 1);
      const twice = withLora(arch, naiveKernels);
      twice.setTrainable(set);
      step(twice, 2);
      const a = once.trainableParameters().flatMap((p) => Array.from(p.grad!, (g) => 2 * g));
      const b = twice.trainableParameters().flatMap((p) => Array.from(p.grad!));
      expect(maxDiff(`${set} twice`, b, a)).toBeLessThan(1e-5);
    }
  });

  it('a LoRA group equals its modules one by one (forward, grads, dx)', () => {
    const run = (fused: boolean) => {
      const model = withLora(arch, naiveKernels);
      model.setTrainable('all');
      const w = model.params.layers[0]!;
      const mods = [w.q, w.k, w.v];
      const N = 4;
      const rng = new Rng(11);
      const x = new Float32Array(N * 16);
      rng.fillNormal(x, 1);
      const outs = mods.map((m) => new Float32Array(N * m.outFeatures));
      const douts = outs.map((o) => {
        const d = new Float32Array(o.length);
        rng.fillNormal(d, 1);
        return d;
      });
      const dx = new Float32Array(N * 16);
      const scratch = new LoraGroupScratch();
      if (fused) groupForward(mods, outs, x, N, naiveKernels, null, scratch);
      else for (let j = 0; j < 3; j++) mods[j]!.forward(outs[j]!, x, N, naiveKernels, null);
      if (fused) groupBackward(mods, dx, douts, x, N, naiveKernels, scratch);
      else for (let j = 0; j < 3; j++) mods[j]!.backward(dx, douts[j]!, x, N, naiveKernels);
      const grads = mods
        .flatMap((m) => [m.weight, m.bias, m.lora!.A, m.lora!.B])
        .flatMap((p) => (p?.grad ? Array.from(p.grad) : []));
      return [...outs.flatMap((o) => Array.from(o)), ...dx, ...grads];
    };
    expect(maxDiff(`${arch} fused vs one by one`, run(true), run(false))).toBeLessThan(1e-5);
  });
});
