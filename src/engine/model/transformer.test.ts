/**
 * Whole-model checks on a tiny config (V=37, C=16, L=2, H=4, KV=2, B=2, T=5) for the llama
 * (no bias, untied) and qwen2 (bias, tied) variants: finite-difference gradients of a sample of
 * every parameter, training-path log-probs vs the inference `logits()`, parameter naming,
 * loading from a weights map, trainable-set switching.
 */
import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX, type Kernels } from '../contracts.js';
import { getKernels } from '../kernels/index.js';
import { Rng } from './rng.js';
import { maxDiff } from './test-helpers/check.js';
import { naiveKernels } from './test-helpers/naive-kernels.js';
import { seqs, tinyConfig, tinyModel } from './test-helpers/tiny.js';
import { Transformer } from './transformer.js';

const B = 2;
const T = 5;

describe.each(['llama', 'qwen2'] as const)('Transformer (%s)', (arch) => {
  it('has HF parameter names', () => {
    const names = tinyModel(arch)
      .parameters()
      .map((p) => p.name);
    expect(names).toContain('model.layers.1.self_attn.k_proj.weight');
    expect(names).toContain('model.layers.0.mlp.down_proj.weight');
    expect(names.includes('lm_head.weight')).toBe(arch === 'llama');
    expect(names.includes('model.layers.0.self_attn.q_proj.bias')).toBe(arch === 'qwen2');
    expect(names.includes('model.layers.0.self_attn.o_proj.bias')).toBe(false);
    expect(names.length).toBe(new Set(names).size);
  });

  it('training log-probs equal log-softmax of logits(), 0 on IGNORE_INDEX', () => {
    const model = tinyModel(arch);
    const V = model.config.vocab_size;
    const { tokens, targets } = seqs(B, T, V, 3);
    targets[4] = IGNORE_INDEX;
    const lp = model.forward(tokens, targets, B, T);
    const ref = new Float64Array(B * T);
    for (let b = 0; b < B; b++) {
      const logits = model.logits(tokens.subarray(b * T, b * T + T), T);
      for (let t = 0; t < T; t++) {
        const n = b * T + t;
        if (targets[n] === IGNORE_INDEX) continue;
        let s = 0;
        for (let j = 0; j < V; j++) s += Math.exp(logits[t * V + j]!);
        ref[n] = logits[t * V + targets[n]!]! - Math.log(s);
      }
    }
    expect(lp[4]).toBe(0);
    expect(maxDiff(`${arch} forward vs logits()`, lp, ref)).toBeLessThan(1e-5);
  });

  it('passes a finite-difference gradient check on a sample of every parameter', () => {
    const model = tinyModel(arch);
    model.setTrainable('all');
    const { tokens, targets } = seqs(B, T, model.config.vocab_size, 4);
    targets[2] = IGNORE_INDEX;
    const rng = new Rng(5);
    const w = Float32Array.from({ length: B * T }, () => rng.normal());
    const loss = () => {
      const lp = model.forward(tokens, targets, B, T);
      let s = 0;
      for (let i = 0; i < lp.length; i++) s += w[i]! * lp[i]!;
      return s;
    };
    model.zeroGrad();
    loss();
    model.backward(w);
    const h = 1e-2;
    let worst = 0;
    let worstAbs = 0;
    for (const p of model.trainableParameters()) {
      let pw = 0;
      const picks = p.name.includes('embed')
        ? [tokens[0]! * 16, tokens[3]! * 16 + 5, 7]
        : [0, 3, p.data.length - 1];
      for (const i of picks) {
        const orig = p.data[i]!;
        p.data[i] = orig + h;
        const lp = loss();
        p.data[i] = orig - h;
        const lm = loss();
        p.data[i] = orig;
        const num = (lp - lm) / (2 * h);
        const a = p.grad![i]!;
        // float32 forward: FD noise is ~1e-4 absolute, so allow that on top of 1e-2 relative
        const err = Math.abs(a - num) / (Math.abs(a) + Math.abs(num) + 2e-2);
        pw = Math.max(pw, err);
        worstAbs = Math.max(worstAbs, Math.abs(a - num));
      }
      worst = Math.max(worst, pw);
      if (pw > 1e-2) console.log(`${p.name}: rel err ${pw}`);
    }
    console.log(
      `${arch} whole-model grad: max rel err ${worst.toExponential(3)} (abs ${worstAbs.toExponential(3)}) over ${model.trainableParameters().length} params`,
    );
    expect(worst).toBeLessThan(1e-2);
  });

  it('loads from a weights map and rejects missing or extra tensors', () => {
    const src = tinyModel(arch);
    const weights = new Map(src.parameters().map((p) => [p.name, p.data]));
    const copy = new Transformer(src.config, weights, { kernels: naiveKernels });
    const tokens = Int32Array.from([1, 2, 3]);
    expect(maxDiff('loaded logits', copy.logits(tokens, 3), src.logits(tokens, 3))).toBe(0);
    const missing = new Map(weights);
    missing.delete('model.norm.weight');
    expect(() => new Transformer(src.config, missing, { kernels: naiveKernels })).toThrow(
      /model.norm.weight/,
    );
    const extra = new Map(weights).set('model.layers.9.mlp.up_proj.weight', new Float32Array(1));
    expect(() => new Transformer(src.config, extra, { kernels: naiveKernels })).toThrow(/layers.9/);
  });
});

describe('Transformer', () => {
  it('switches trainable sets and zeroes grads', () => {
    const model = Transformer.random(tinyConfig('llama'), 1, { kernels: naiveKernels });
    expect(model.trainableParameters()).toHaveLength(0);
    model.setTrainable('all');
    expect(model.trainableParameters()).toHaveLength(model.parameters().length);
    model.trainableParameters()[0]!.grad![0] = 3;
    model.zeroGrad();
    expect(model.trainableParameters()[0]!.grad![0]).toBe(0);
    model.setTrainable('lora');
    expect(model.trainableParameters()).toHaveLength(0);
  });

  it('reuses activation buffers across shapes and accumulates grads across calls', () => {
    const model = tinyModel('qwen2');
    model.setTrainable('all');
    const { tokens, targets } = seqs(B, T, 37, 6);
    const dl = new Float32Array(B * T).fill(-0.1);
    model.forward(tokens, targets, B, T);
    model.backward(dl);
    const once = Float32Array.from(model.parameters()[1]!.grad!);
    const s = seqs(1, 3, 37, 7);
    model.forward(s.tokens, s.targets, 1, 3); // smaller shape in between
    model.forward(tokens, targets, B, T);
    model.backward(dl);
    const twice = model.parameters()[1]!.grad!;
    expect(
      maxDiff(
        'accumulated grad',
        twice,
        once.map((x) => 2 * x),
      ),
    ).toBeLessThan(1e-5);
  });

  it('gives the same log-probs and grads with the real kernels (getKernels)', () => {
    const run = (kernels: Kernels) => {
      const model = new Transformer(
        tinyConfig('qwen2'),
        new Map(
          tinyModel('qwen2')
            .parameters()
            .map((p) => [p.name, p.data]),
        ),
        { kernels },
      );
      model.setTrainable('all');
      const { tokens, targets } = seqs(B, T, 37, 8);
      const lp = model.forward(tokens, targets, B, T);
      model.backward(new Float32Array(B * T).fill(-0.1));
      return [...lp, ...model.trainableParameters().flatMap((p) => Array.from(p.grad!))];
    };
    const real = getKernels('auto');
    expect(maxDiff(`naive vs ${real.name}`, run(real), run(naiveKernels))).toBeLessThan(1e-4);
  });

  it('rejects tokens outside the vocabulary', () => {
    const model = tinyModel('llama');
    expect(() => model.forward(Int32Array.from([0, 37]), Int32Array.from([1, 2]), 1, 2)).toThrow(
      /vocabulary/,
    );
  });
});
