/**
 * RoPE and causal GQA attention: parity with float64 references written the HF way
 * (rotate_half with cat(freqs, freqs); repeat_kv + masked softmax) and gradient checks.
 */
import { describe, expect, it } from 'vitest';
import { gradCheck, maxDiff, randf64 } from '../test-helpers/check.js';
import { naiveKernels } from '../test-helpers/naive-kernels.js';
import { attentionBackward, attentionForward } from './attention.js';
import { AttentionScratch, attentionBackwardMatmul, attentionForwardMatmul } from './attention-matmul.js';
import { RopeTables, ropeBackward, ropeForward } from './rope.js';

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** HF apply_rotary_pos_emb on (B, T, NH, hd), positions pos0… */
function ropeRef(x: Float64Array, B: number, T: number, NH: number, hd: number, theta: number, pos0: number) {
  const out = new Float64Array(x.length);
  const half = hd / 2;
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let h = 0; h < NH; h++) {
        const o = ((b * T + t) * NH + h) * hd;
        for (let d = 0; d < hd; d++) {
          const i = d % half;
          const ang = (pos0 + t) * theta ** (-(2 * i) / hd); // emb = cat(freqs, freqs)
          const rot = d < half ? -x[o + d + half]! : x[o + d - half]!; // rotate_half
          out[o + d] = x[o + d]! * Math.cos(ang) + rot * Math.sin(ang);
        }
      }
  return out;
}

/** Causal attention with repeat_kv; queries are the last T of Tk positions. */
function attnRef(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  B: number,
  T: number,
  Tk: number,
  NH: number,
  KV: number,
  hd: number,
) {
  const out = new Float64Array(B * T * NH * hd);
  const rep = NH / KV;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++) {
      const kh = Math.floor(h / rep);
      for (let t = 0; t < T; t++) {
        const scores: number[] = [];
        for (let t2 = 0; t2 < Tk; t2++) {
          let s = 0;
          for (let i = 0; i < hd; i++)
            s += q[((b * T + t) * NH + h) * hd + i]! * k[((b * Tk + t2) * KV + kh) * hd + i]!;
          scores.push(t2 <= Tk - T + t ? s / Math.sqrt(hd) : Number.NEGATIVE_INFINITY);
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, c) => a + c, 0);
        for (let i = 0; i < hd; i++) {
          let s = 0;
          for (let t2 = 0; t2 < Tk; t2++) s += (e[t2]! / z) * v[((b * Tk + t2) * KV + kh) * hd + i]!;
          out[((b * T + t) * NH + h) * hd + i] = s;
        }
      }
    }
  return out;
}

describe('rope', () => {
  const [B, T, NH, hd, theta] = [2, 5, 3, 8, 10000];
  it('matches HF rotate_half and its gradient, with a position offset', () => {
    for (const pos0 of [0, 7]) {
      const x = randf64(B * T * NH * hd, 20 + pos0);
      const tab = new RopeTables(hd, theta);
      tab.ensure(pos0 + T);
      const out = new Float32Array(x.length);
      ropeForward(out, f32(x), tab.cos, tab.sin, B, T, NH, hd, pos0);
      expect(maxDiff(`rope out (pos0=${pos0})`, out, ropeRef(x, B, T, NH, hd, theta, pos0))).toBeLessThan(
        2e-5,
      );
      const g = randf64(x.length, 21);
      const dx = new Float32Array(x.length);
      ropeBackward(dx, f32(g), tab.cos, tab.sin, B, T, NH, hd, pos0);
      const loss = () => dot(g, ropeRef(x, B, T, NH, hd, theta, pos0));
      expect(gradCheck('rope dinp', x, dx, loss, 1e-5)).toBeLessThan(1e-3);
    }
  });
  it('in place equals out of place', () => {
    const x = f32(randf64(B * T * NH * hd, 22));
    const tab = new RopeTables(hd, theta);
    tab.ensure(T);
    const out = new Float32Array(x.length);
    ropeForward(out, x, tab.cos, tab.sin, B, T, NH, hd, 0);
    ropeForward(x, x, tab.cos, tab.sin, B, T, NH, hd, 0);
    expect(maxDiff('rope in place', x, out)).toBe(0);
  });
});

describe('attention (causal, GQA)', () => {
  const [B, T, NH, KV, hd] = [2, 5, 4, 2, 4];
  it('matches the reference and its gradients', () => {
    const q = randf64(B * T * NH * hd, 30);
    const k = randf64(B * T * KV * hd, 31);
    const v = randf64(B * T * KV * hd, 32);
    const out = new Float32Array(q.length);
    const lse = new Float32Array(B * NH * T);
    const row = new Float32Array(T);
    attentionForward(out, lse, f32(q), f32(k), f32(v), row, B, T, T, NH, KV, hd);
    expect(maxDiff('attention out', out, attnRef(q, k, v, B, T, T, NH, KV, hd))).toBeLessThan(1e-5);
    const g = randf64(q.length, 33);
    const [dq, dk, dv] = [new Float32Array(q.length), new Float32Array(k.length), new Float32Array(v.length)];
    attentionBackward(
      dq,
      dk,
      dv,
      row,
      new Float32Array(T),
      f32(g),
      f32(q),
      f32(k),
      f32(v),
      lse,
      B,
      T,
      NH,
      KV,
      hd,
    );
    const loss = () => dot(g, attnRef(q, k, v, B, T, T, NH, KV, hd));
    expect(gradCheck('attention dq', q, dq, loss, 1e-5)).toBeLessThan(1e-3);
    expect(gradCheck('attention dk', k, dk, loss, 1e-5)).toBeLessThan(1e-3);
    expect(gradCheck('attention dv', v, dv, loss, 1e-5)).toBeLessThan(1e-3);
  });
  it('serves queries after cached keys (Tk > T)', () => {
    const [Tq, Tk] = [2, 6];
    const q = randf64(Tq * NH * hd, 34);
    const k = randf64(Tk * KV * hd, 35);
    const v = randf64(Tk * KV * hd, 36);
    const out = new Float32Array(q.length);
    attentionForward(
      out,
      new Float32Array(NH * Tq),
      f32(q),
      f32(k),
      f32(v),
      new Float32Array(Tk),
      1,
      Tq,
      Tk,
      NH,
      KV,
      hd,
    );
    expect(maxDiff('attention with cache', out, attnRef(q, k, v, 1, Tq, Tk, NH, KV, hd))).toBeLessThan(1e-5);
  });
});

describe('attention via matmul kernels', () => {
  const [B, T, NH, KV, hd] = [2, 6, 6, 2, 4];
  it('matches the JS-loop attention forward (with and without cache) and backward', () => {
    const q = f32(randf64(B * T * NH * hd, 40));
    const k = f32(randf64(B * T * KV * hd, 41));
    const v = f32(randf64(B * T * KV * hd, 42));
    const g = f32(randf64(q.length, 43));
    const scratch = new AttentionScratch();
    const ref = { out: new Float32Array(q.length), lse: new Float32Array(B * NH * T) };
    const got = { out: new Float32Array(q.length), lse: new Float32Array(B * NH * T) };
    attentionForward(ref.out, ref.lse, q, k, v, new Float32Array(T), B, T, T, NH, KV, hd);
    attentionForwardMatmul(got.out, got.lse, q, k, v, scratch, naiveKernels, B, T, T, NH, KV, hd);
    expect(maxDiff('matmul attention out', got.out, ref.out)).toBeLessThan(1e-5);
    expect(maxDiff('matmul attention lse', got.lse, ref.lse)).toBeLessThan(1e-5);
    const grads = () =>
      [new Float32Array(q.length), new Float32Array(k.length), new Float32Array(v.length)] as const;
    const [rq, rk, rv] = grads();
    const [mq, mk, mv] = grads();
    attentionBackward(
      rq,
      rk,
      rv,
      new Float32Array(T),
      new Float32Array(T),
      g,
      q,
      k,
      v,
      ref.lse,
      B,
      T,
      NH,
      KV,
      hd,
    );
    attentionBackwardMatmul(mq, mk, mv, scratch, naiveKernels, g, q, k, v, ref.lse, B, T, NH, KV, hd);
    expect(maxDiff('matmul attention dq', mq, rq)).toBeLessThan(1e-5);
    expect(maxDiff('matmul attention dk', mk, rk)).toBeLessThan(1e-5);
    expect(maxDiff('matmul attention dv', mv, rv)).toBeLessThan(1e-5);
    // 2 queries after 4 cached positions (B = 1)
    const q2 = q.subarray(0, 2 * NH * hd);
    const a = new Float32Array(q2.length);
    const c = new Float32Array(q2.length);
    attentionForward(a, new Float32Array(NH * 2), q2, k, v, new Float32Array(T), 1, 2, T, NH, KV, hd);
    attentionForwardMatmul(c, new Float32Array(NH * 2), q2, k, v, scratch, naiveKernels, 1, 2, T, NH, KV, hd);
    expect(maxDiff('matmul attention with cache', c, a)).toBeLessThan(1e-5);
    // probabilities saved by forward: same output and lse, same gradients without recompute
    const probs = new Float32Array(B * NH * T * T);
    const kept = { out: new Float32Array(q.length), lse: new Float32Array(B * NH * T) };
    attentionForwardMatmul(kept.out, kept.lse, q, k, v, scratch, naiveKernels, B, T, T, NH, KV, hd, probs);
    expect(maxDiff('attention out (probs kept)', kept.out, got.out)).toBeLessThan(1e-6);
    expect(maxDiff('attention lse (probs kept)', kept.lse, got.lse)).toBeLessThan(1e-6);
    const probsBefore = probs.slice();
    for (let pass = 0; pass < 2; pass++) {
      const [pq, pk, pv] = grads();
      attentionBackwardMatmul(
        pq,
        pk,
        pv,
        scratch,
        naiveKernels,
        g,
        q,
        k,
        v,
        kept.lse,
        B,
        T,
        NH,
        KV,
        hd,
        probs,
      );
      expect(maxDiff('attention dq (probs kept)', pq, mq)).toBeLessThan(1e-5);
      expect(maxDiff('attention dk (probs kept)', pk, mk)).toBeLessThan(1e-5);
      expect(maxDiff('attention dv (probs kept)', pv, mv)).toBeLessThan(1e-5);
    }
    expect(probs).toEqual(probsBefore); // backward leaves them alone
  });
});
