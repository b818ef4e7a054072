/**
 * Rotary position embedding, HF Llama convention: rotate_half pairs element i with i + d/2,
 * inv_freq[i] = theta^(−2i/d), angle = position · inv_freq[i] (computed in float32 as HF does).
 * For a pair (a, b) = (x[i], x[i+d/2]): a' = a·cos − b·sin, b' = b·cos + a·sin.
 * Works on (B, T, NH, hd) tensors with positions pos0 … pos0+T−1 for every sequence.
 */

/** Grows cos/sin tables (P, hd/2) on demand. */
export class RopeTables {
  cos = new Float32Array(0); // (P, hd/2)
  sin = new Float32Array(0); // (P, hd/2)
  private positions = 0;
  private readonly invFreq: Float32Array; // (hd/2)

  constructor(
    readonly headDim: number,
    theta: number,
  ) {
    const half = headDim / 2;
    this.invFreq = new Float32Array(half);
    for (let i = 0; i < half; i++) this.invFreq[i] = 1 / theta ** ((2 * i) / headDim);
  }

  /** Makes sure positions 0 … count−1 are in the tables. */
  ensure(count: number): void {
    if (count <= this.positions) return;
    const half = this.headDim / 2;
    const P = Math.max(count, this.positions * 2, 64);
    this.cos = new Float32Array(P * half);
    this.sin = new Float32Array(P * half);
    for (let p = 0; p < P; p++) {
      for (let i = 0; i < half; i++) {
        const angle = Math.fround(p * this.invFreq[i]!);
        this.cos[p * half + i] = Math.cos(angle);
        this.sin[p * half + i] = Math.sin(angle);
      }
    }
    this.positions = P;
  }
}

/** out = rope(inp); `out` may be `inp` (in place). */
export function ropeForward(
  out: Float32Array, // (B, T, NH, hd)
  inp: Float32Array, // (B, T, NH, hd)
  cos: Float32Array, // (P, hd/2)
  sin: Float32Array, // (P, hd/2)
  B: number,
  T: number,
  NH: number,
  hd: number,
  pos0: number,
): void {
  const half = hd / 2;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const tab = (pos0 + t) * half;
      for (let h = 0; h < NH; h++) {
        const o = ((b * T + t) * NH + h) * hd;
        for (let i = 0; i < half; i++) {
          const c = cos[tab + i]!;
          const s = sin[tab + i]!;
          const a = inp[o + i]!;
          const bb = inp[o + i + half]!;
          out[o + i] = a * c - bb * s;
          out[o + i + half] = bb * c + a * s;
        }
      }
    }
  }
}

/** dinp += Rᵀ·dout (the rotation by −angle). `dinp` must not alias `dout`. */
export function ropeBackward(
  dinp: Float32Array, // (B, T, NH, hd)
  dout: Float32Array, // (B, T, NH, hd)
  cos: Float32Array, // (P, hd/2)
  sin: Float32Array, // (P, hd/2)
  B: number,
  T: number,
  NH: number,
  hd: number,
  pos0: number,
): void {
  const half = hd / 2;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const tab = (pos0 + t) * half;
      for (let h = 0; h < NH; h++) {
        const o = ((b * T + t) * NH + h) * hd;
        for (let i = 0; i < half; i++) {
          const c = cos[tab + i]!;
          const s = sin[tab + i]!;
          const da = dout[o + i]!;
          const db = dout[o + i + half]!;
          dinp[o + i]! += da * c + db * s;
          dinp[o + i + half]! += db * c - da * s;
        }
      }
    }
  }
}
