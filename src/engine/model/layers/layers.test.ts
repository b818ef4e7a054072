/**
 * Parity (against float64 naive references) and gradient checks (analytic float32 backward vs
 * central differences of the float64 reference) for embedding, RMSNorm, linear, SwiGLU and the
 * log-softmax gather.
 */
import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../../contracts.js';
import { gradCheck, maxDiff, randf64 } from '../test-helpers/check.js';
import { naiveKernels } from '../test-helpers/naive-kernels.js';
import { embeddingBackward, embeddingForward } from './embedding.js';
import { linearBackward, linearForward } from './linear.js';
import { logprobBackwardFromProbs, logprobBackwardInPlace, logprobForward } from './logprob.js';
import { rmsnormBackward, rmsnormForward } from './rmsnorm.js';
import { swigluBackward, swigluForward } from './swiglu.js';

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('embedding', () => {
  it('gathers rows and scatters gradients', () => {
    const V = 7;
    const C = 5;
    const tokens = Int32Array.from([3, 0, 3, 6]);
    const wte = randf64(V * C, 1);
    const out = new Float32Array(4 * C);
    embeddingForward(out, tokens, f32(wte), 4, C);
    const ref = Array.from(tokens).flatMap((t) => Array.from(wte.subarray(t * C, t * C + C)));
    expect(maxDiff('embedding out', out, ref)).toBeLessThan(1e-6);
    const w = randf64(4 * C, 2);
    const dwte = new Float32Array(V * C);
    embeddingBackward(dwte, f32(w), tokens, 4, C);
    const loss = () => {
      let s = 0;
      for (let n = 0; n < 4; n++) for (let i = 0; i < C; i++) s += w[n * C + i]! * wte[tokens[n]! * C + i]!;
      return s;
    };
    expect(gradCheck('embedding dwte', wte, dwte, loss, 1e-5)).toBeLessThan(1e-4);
  });
});

describe('rmsnorm', () => {
  const N = 3;
  const C = 8;
  const eps = 1e-6;
  const ref = (x: Float64Array, w: Float64Array) => {
    const out = new Float64Array(N * C);
    for (let n = 0; n < N; n++) {
      let ss = 0;
      for (let i = 0; i < C; i++) ss += x[n * C + i]! ** 2;
      const r = 1 / Math.sqrt(ss / C + eps);
      for (let i = 0; i < C; i++) out[n * C + i] = x[n * C + i]! * r * w[i]!;
    }
    return out;
  };
  it('matches the reference and its gradients', () => {
    const x = randf64(N * C, 3);
    const w = randf64(C, 4);
    const out = new Float32Array(N * C);
    const rstd = new Float32Array(N);
    rmsnormForward(out, rstd, f32(x), f32(w), N, C, eps);
    expect(maxDiff('rmsnorm out', out, ref(x, w))).toBeLessThan(1e-5);
    const g = randf64(N * C, 5);
    const dx = new Float32Array(N * C);
    const dw = new Float32Array(C);
    rmsnormBackward(dx, dw, f32(g), f32(x), f32(w), rstd, N, C);
    const loss = () => dot(g, ref(x, w));
    expect(gradCheck('rmsnorm dinp', x, dx, loss, 1e-5)).toBeLessThan(1e-3);
    expect(gradCheck('rmsnorm dweight', w, dw, loss, 1e-5)).toBeLessThan(1e-3);
  });
});

describe('linear', () => {
  const N = 4;
  const IC = 6;
  const OC = 5;
  const ref = (x: Float64Array, W: Float64Array, b: Float64Array) => {
    const out = new Float64Array(N * OC);
    for (let n = 0; n < N; n++)
      for (let o = 0; o < OC; o++) {
        let s = b[o]!;
        for (let i = 0; i < IC; i++) s += x[n * IC + i]! * W[o * IC + i]!;
        out[n * OC + o] = s;
      }
    return out;
  };
  it('matches the reference and its gradients (with bias, accumulating)', () => {
    const x = randf64(N * IC, 6);
    const W = randf64(OC * IC, 7);
    const b = randf64(OC, 8);
    const out = new Float32Array(N * OC);
    linearForward(out, f32(x), f32(W), f32(b), N, IC, OC, naiveKernels);
    expect(maxDiff('linear out', out, ref(x, W, b))).toBeLessThan(1e-5);
    const g = randf64(N * OC, 9);
    const dx = new Float32Array(N * IC).fill(1); // accumulate onto 1
    const dW = new Float32Array(OC * IC);
    const db = new Float32Array(OC);
    linearBackward(dx, dW, db, f32(g), f32(x), f32(W), N, IC, OC, naiveKernels);
    for (let i = 0; i < dx.length; i++) dx[i]! -= 1;
    const loss = () => dot(g, ref(x, W, b));
    expect(gradCheck('linear dinp', x, dx, loss, 1e-5)).toBeLessThan(1e-4);
    expect(gradCheck('linear dweight', W, dW, loss, 1e-5)).toBeLessThan(1e-4);
    expect(gradCheck('linear dbias', b, db, loss, 1e-5)).toBeLessThan(1e-4);
  });
});

describe('swiglu', () => {
  it('matches silu(gate)·up and its gradients', () => {
    const n = 20;
    const gate = randf64(n, 10, 2);
    const up = randf64(n, 11);
    const ref = () => Float64Array.from(gate, (g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
    const out = new Float32Array(n);
    swigluForward(out, f32(gate), f32(up), n);
    expect(maxDiff('swiglu out', out, ref())).toBeLessThan(1e-5);
    const g = randf64(n, 12);
    const dgate = new Float32Array(n);
    const dup = new Float32Array(n);
    swigluBackward(dgate, dup, f32(g), f32(gate), f32(up), n);
    const loss = () => dot(g, ref());
    expect(gradCheck('swiglu dgate', gate, dgate, loss, 1e-5)).toBeLessThan(1e-4);
    expect(gradCheck('swiglu dup', up, dup, loss, 1e-5)).toBeLessThan(1e-4);
    // saved σ(gate): same output and gradients
    const sig = new Float32Array(n);
    const out2 = new Float32Array(n);
    swigluForward(out2, f32(gate), f32(up), n, sig);
    expect(maxDiff('swiglu out (sig saved)', out2, out)).toBeLessThan(1e-6);
    const dgate2 = new Float32Array(n);
    const dup2 = new Float32Array(n);
    swigluBackward(dgate2, dup2, f32(g), f32(gate), f32(up), n, sig);
    expect(maxDiff('swiglu dgate (sig saved)', dgate2, dgate)).toBeLessThan(1e-6);
    expect(maxDiff('swiglu dup (sig saved)', dup2, dup)).toBeLessThan(1e-6);
  });
});

describe('logprob', () => {
  it('gathers log-softmax of targets, 0 on IGNORE_INDEX, and its gradients', () => {
    const N = 4;
    const V = 9;
    const logits = randf64(N * V, 13, 3);
    const targets = Int32Array.from([2, IGNORE_INDEX, 8, 0]);
    const ref = () => {
      const out = new Float64Array(N);
      for (let n = 0; n < N; n++) {
        if (targets[n] === IGNORE_INDEX) continue;
        let s = 0;
        for (let j = 0; j < V; j++) s += Math.exp(logits[n * V + j]!);
        out[n] = logits[n * V + targets[n]!]! - Math.log(s);
      }
      return out;
    };
    const lp = new Float32Array(N);
    const lse = new Float32Array(N);
    logprobForward(lp, lse, f32(logits), targets, N, V);
    expect(maxDiff('logprob out', lp, ref())).toBeLessThan(1e-5);
    expect(lp[1]).toBe(0);
    const g = randf64(N, 14);
    const d = f32(logits);
    logprobBackwardInPlace(d, f32(g), lse, targets, N, V);
    const loss = () => dot(g, ref());
    expect(gradCheck('logprob dlogits', logits, d, loss, 1e-5)).toBeLessThan(1e-4);
    // keepProbs: same outputs, softmax left in place, and the same dlogits from it
    const lp2 = new Float32Array(N);
    const lse2 = new Float32Array(N);
    const probs = f32(logits);
    logprobForward(lp2, lse2, probs, targets, N, V, true);
    expect(maxDiff('logprob keepProbs out', lp2, lp)).toBeLessThan(1e-6);
    expect(maxDiff('logprob keepProbs lse', lse2, lse)).toBeLessThan(1e-6);
    logprobBackwardFromProbs(probs, f32(g), targets, N, V);
    expect(maxDiff('logprob dlogits from probs', probs, d)).toBeLessThan(1e-6);
  });
});
