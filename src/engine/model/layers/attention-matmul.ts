/**
 * The same causal GQA attention as ./attention.ts (same arguments and results, lse saved, probs
 * recomputed in backward) but with the score and value products done by `Kernels.matmul`, one KV
 * head at a time: the NH/KV query heads sharing a KV head are gathered into (G·T, hd) rows, so
 * S = Q·Kᵀ is one (G·T, Tk) product. Computes the full square and masks it (2× the causal flops,
 * far faster than JS loops). Softmax, masking and gathers stay in JS. Training may pass a `probs`
 * buffer (B·KV, G·T, Tk): forward leaves the probabilities there and backward reads them instead
 * of recomputing Q·Kᵀ and the exps.
 */
import type { Kernels } from '../../contracts.js';
import { grow, view } from '../buffers.js';
import { fastExp } from './fast-exp.js';

/** Scratch buffers, grown on demand and reused across calls and layers. */
export class AttentionScratch {
  qg: Float32Array = new Float32Array(0); // (G*T, hd)
  kh: Float32Array = new Float32Array(0); // (Tk, hd)
  vh: Float32Array = new Float32Array(0); // (Tk, hd)
  og: Float32Array = new Float32Array(0); // (G*T, hd) output, or dO in backward
  s: Float32Array = new Float32Array(0); // (G*T, Tk) scores → probs
  dp: Float32Array = new Float32Array(0); // (G*T, Tk)
  dqg: Float32Array = new Float32Array(0); // (G*T, hd)
  dkh: Float32Array = new Float32Array(0); // (Tk, hd)
  dvh: Float32Array = new Float32Array(0); // (Tk, hd)

  /** Views of exact size for R = G·T query rows and Tk keys. */
  take(R: number, Tk: number, hd: number, backward: boolean) {
    this.qg = grow(this.qg, R * hd);
    this.kh = grow(this.kh, Tk * hd);
    this.vh = grow(this.vh, Tk * hd);
    this.og = grow(this.og, R * hd);
    this.s = grow(this.s, R * Tk);
    if (backward) {
      this.dp = grow(this.dp, R * Tk);
      this.dqg = grow(this.dqg, R * hd);
      this.dkh = grow(this.dkh, Tk * hd);
      this.dvh = grow(this.dvh, Tk * hd);
    }
    return {
      qg: view(this.qg, R * hd),
      kh: view(this.kh, Tk * hd),
      vh: view(this.vh, Tk * hd),
      og: view(this.og, R * hd),
      s: view(this.s, R * Tk),
      dp: backward ? view(this.dp, R * Tk) : this.dp,
      dqg: backward ? view(this.dqg, R * hd) : this.dqg,
      dkh: backward ? view(this.dkh, Tk * hd) : this.dkh,
      dvh: backward ? view(this.dvh, Tk * hd) : this.dvh,
    };
  }
}

/** rows (G*T, hd) ← heads h0…h0+G−1 of x (T, stride) for batch b; or the reverse (scatter, +=). */
function gatherHeads(
  rows: Float32Array,
  x: Float32Array,
  b: number,
  T: number,
  stride: number,
  h0: number,
  G: number,
  hd: number,
) {
  for (let g = 0; g < G; g++)
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * stride + (h0 + g) * hd;
      const dst = (g * T + t) * hd;
      for (let i = 0; i < hd; i++) rows[dst + i] = x[src + i]!;
    }
}
function scatterAddHeads(
  x: Float32Array,
  rows: Float32Array,
  b: number,
  T: number,
  stride: number,
  h0: number,
  G: number,
  hd: number,
) {
  for (let g = 0; g < G; g++)
    for (let t = 0; t < T; t++) {
      const dst = (b * T + t) * stride + (h0 + g) * hd;
      const src = (g * T + t) * hd;
      for (let i = 0; i < hd; i++) x[dst + i]! += rows[src + i]!;
    }
}

export function attentionForwardMatmul(
  out: Float32Array, // (B, T, NH*hd)
  lse: Float32Array, // (B, NH, T)
  q: Float32Array, // (B, T, NH*hd)
  k: Float32Array, // (B, Tk, KV*hd)
  v: Float32Array, // (B, Tk, KV*hd)
  scratch: AttentionScratch,
  kernels: Kernels,
  B: number,
  T: number,
  Tk: number,
  NH: number,
  KV: number,
  hd: number,
  probs: Float32Array | null = null, // (B·KV, G·T, Tk) saved probabilities, or null
): void {
  const G = NH / KV;
  const R = G * T;
  const scale = 1 / Math.sqrt(hd);
  const p0 = Tk - T;
  const { qg, kh, vh, og, s: scratchS } = scratch.take(R, Tk, hd, false);
  for (let b = 0; b < B; b++) {
    for (let kv = 0; kv < KV; kv++) {
      const at = (b * KV + kv) * R * Tk;
      const s = probs ? probs.subarray(at, at + R * Tk) : scratchS; // (R, Tk)
      gatherHeads(qg, q, b, T, NH * hd, kv * G, G, hd);
      gatherHeads(kh, k, b, Tk, KV * hd, kv, 1, hd);
      gatherHeads(vh, v, b, Tk, KV * hd, kv, 1, hd);
      kernels.matmul(s, qg, kh, R, hd, Tk, { transB: true }); // (R, Tk)
      for (let r = 0; r < R; r++) {
        const g = Math.floor(r / T);
        const t = r - g * T;
        const L = p0 + t + 1;
        const o = r * Tk; // row r of s
        let max = Number.NEGATIVE_INFINITY;
        for (let j = o; j < o + L; j++) {
          const x = s[j]!;
          if (x > max) max = x;
        }
        let sum = 0;
        for (let j = o; j < o + L; j++) {
          const e = fastExp((s[j]! - max) * scale);
          s[j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = o; j < o + L; j++) s[j]! *= inv;
        s.fill(0, o + L, o + Tk);
        lse[(b * NH + kv * G + g) * T + t] = max * scale + Math.log(sum);
      }
      kernels.matmul(og, s, vh, R, Tk, hd); // (R, hd)
      for (let g = 0; g < G; g++)
        for (let t = 0; t < T; t++) {
          const dst = (b * T + t) * NH * hd + (kv * G + g) * hd;
          const src = (g * T + t) * hd;
          for (let i = 0; i < hd; i++) out[dst + i] = og[src + i]!;
        }
    }
  }
}

/** Training only (Tk = T). Accumulates into dq, dk, dv. */
export function attentionBackwardMatmul(
  dq: Float32Array, // (B, T, NH*hd)
  dk: Float32Array, // (B, T, KV*hd)
  dv: Float32Array, // (B, T, KV*hd)
  scratch: AttentionScratch,
  kernels: Kernels,
  dout: Float32Array, // (B, T, NH*hd)
  q: Float32Array, // (B, T, NH*hd)
  k: Float32Array, // (B, T, KV*hd)
  v: Float32Array, // (B, T, KV*hd)
  lse: Float32Array, // (B, NH, T)
  B: number,
  T: number,
  NH: number,
  KV: number,
  hd: number,
  probs: Float32Array | null = null, // (B·KV, G·T, T) what forward saved, read only; or null
): void {
  const G = NH / KV;
  const R = G * T;
  const scale = 1 / Math.sqrt(hd);
  const { qg, kh, vh, og: dog, s: scratchP, dp, dqg, dkh, dvh } = scratch.take(R, T, hd, true);
  for (let b = 0; b < B; b++) {
    for (let kv = 0; kv < KV; kv++) {
      const at = (b * KV + kv) * R * T;
      const p = probs ? probs.subarray(at, at + R * T) : scratchP; // (R, T)
      gatherHeads(qg, q, b, T, NH * hd, kv * G, G, hd);
      gatherHeads(dog, dout, b, T, NH * hd, kv * G, G, hd);
      gatherHeads(kh, k, b, T, KV * hd, kv, 1, hd);
      gatherHeads(vh, v, b, T, KV * hd, kv, 1, hd);
      if (!probs) kernels.matmul(p, qg, kh, R, hd, T, { transB: true }); // (R, T) scores
      kernels.matmul(dp, dog, vh, R, hd, T, { transB: true }); // (R, T) dP = dO·Vᵀ
      for (let r = 0; r < R; r++) {
        const g = Math.floor(r / T);
        const t = r - g * T;
        const o = r * T; // row r of p and dp
        const e = o + t + 1; // end of the causal part
        let D = 0;
        if (probs) {
          for (let j = o; j < e; j++) D += p[j]! * dp[j]!;
        } else {
          const m = lse[(b * NH + kv * G + g) * T + t]!;
          for (let j = o; j < e; j++) {
            const pr = fastExp(p[j]! * scale - m);
            p[j] = pr;
            D += pr * dp[j]!;
          }
          p.fill(0, e, o + T);
        }
        for (let j = o; j < e; j++) dp[j] = p[j]! * (dp[j]! - D) * scale; // dS
        dp.fill(0, e, o + T);
      }
      kernels.matmul(dvh, p, dog, T, R, hd, { transA: true }); // dV = Pᵀ·dO
      kernels.matmul(dqg, dp, kh, R, T, hd); // dQ = dS·K
      kernels.matmul(dkh, dp, qg, T, R, hd, { transA: true }); // dK = dSᵀ·Q
      scatterAddHeads(dq, dqg, b, T, NH * hd, kv * G, G, hd);
      scatterAddHeads(dk, dkh, b, T, KV * hd, kv, 1, hd);
      scatterAddHeads(dv, dvh, b, T, KV * hd, kv, 1, hd);
    }
  }
}
