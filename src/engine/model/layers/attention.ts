/**
 * Causal grouped-query self-attention core (after the q/k/v projections and RoPE, before o_proj):
 * out = softmax(q·kᵀ/√hd + causal mask)·v, each of the KV heads serving NH/KV query heads.
 * Memory-lean like FlashAttention: forward saves only the row log-sum-exp (B, NH, T); backward
 * recomputes the probabilities one row at a time. Plain JS loops (fine for T ≤ 512).
 *
 * Queries are the last T of Tk key positions (query t sits at position Tk − T + t), so the same
 * function serves training (Tk = T) and KV-cache decoding (B = 1, k/v = the cache).
 * The model runs ./attention-matmul.ts (same results, BLAS products); this is its reference.
 */

export function attentionForward(
  out: Float32Array, // (B, T, NH*hd)
  lse: Float32Array, // (B, NH, T) saved log-sum-exp of the scaled scores
  q: Float32Array, // (B, T, NH*hd)
  k: Float32Array, // (B, Tk, KV*hd)
  v: Float32Array, // (B, Tk, KV*hd)
  row: Float32Array, // (Tk) scratch
  B: number,
  T: number,
  Tk: number,
  NH: number,
  KV: number,
  hd: number,
): void {
  const QC = NH * hd;
  const KC = KV * hd;
  const group = NH / KV;
  const scale = 1 / Math.sqrt(hd);
  const p0 = Tk - T;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const L = p0 + t + 1; // keys 0 … p0+t
      for (let h = 0; h < NH; h++) {
        const qo = (b * T + t) * QC + h * hd;
        const kh = Math.floor(h / group) * hd;
        let max = Number.NEGATIVE_INFINITY;
        for (let t2 = 0; t2 < L; t2++) {
          const ko = (b * Tk + t2) * KC + kh;
          let s = 0;
          for (let i = 0; i < hd; i++) s += q[qo + i]! * k[ko + i]!;
          s *= scale;
          row[t2] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let t2 = 0; t2 < L; t2++) {
          const e = Math.exp(row[t2]! - max);
          row[t2] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let i = 0; i < hd; i++) out[qo + i] = 0;
        for (let t2 = 0; t2 < L; t2++) {
          const p = row[t2]! * inv;
          const vo = (b * Tk + t2) * KC + kh;
          for (let i = 0; i < hd; i++) out[qo + i]! += p * v[vo + i]!;
        }
        lse[(b * NH + h) * T + t] = max + Math.log(sum);
      }
    }
  }
}

/** Training only (Tk = T). Accumulates into dq, dk, dv. */
export function attentionBackward(
  dq: Float32Array, // (B, T, NH*hd)
  dk: Float32Array, // (B, T, KV*hd)
  dv: Float32Array, // (B, T, KV*hd)
  row: Float32Array, // (T) scratch
  drow: Float32Array, // (T) scratch
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
): void {
  const QC = NH * hd;
  const KC = KV * hd;
  const group = NH / KV;
  const scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const L = t + 1;
      for (let h = 0; h < NH; h++) {
        const qo = (b * T + t) * QC + h * hd;
        const kh = Math.floor(h / group) * hd;
        const m = lse[(b * NH + h) * T + t]!;
        let D = 0; // Σ p·dp
        for (let t2 = 0; t2 < L; t2++) {
          const ko = (b * T + t2) * KC + kh;
          let s = 0;
          let dp = 0;
          for (let i = 0; i < hd; i++) {
            s += q[qo + i]! * k[ko + i]!;
            dp += dout[qo + i]! * v[ko + i]!;
          }
          const p = Math.exp(s * scale - m);
          row[t2] = p;
          drow[t2] = dp;
          D += p * dp;
        }
        for (let t2 = 0; t2 < L; t2++) {
          const ko = (b * T + t2) * KC + kh;
          const p = row[t2]!;
          const ds = p * (drow[t2]! - D) * scale;
          for (let i = 0; i < hd; i++) {
            dv[ko + i]! += p * dout[qo + i]!;
            dq[qo + i]! += ds * k[ko + i]!;
            dk[ko + i]! += ds * q[qo + i]!;
          }
        }
      }
    }
  }
}
