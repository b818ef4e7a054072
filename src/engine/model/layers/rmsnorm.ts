/**
 * RMSNorm (Llama / Qwen2): out = x / sqrt(mean(x²) + eps) * weight, forward and backward.
 * Saves the reciprocal RMS per row for the backward pass. No mean subtraction, no bias.
 */

export function rmsnormForward(
  out: Float32Array, // (N, C)
  rstd: Float32Array, // (N) saved 1/rms
  inp: Float32Array, // (N, C)
  weight: Float32Array, // (C)
  N: number,
  C: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let ss = 0;
    for (let i = 0; i < C; i++) {
      const x = inp[o + i]!;
      ss += x * x;
    }
    const r = 1 / Math.sqrt(ss / C + eps);
    rstd[n] = r;
    for (let i = 0; i < C; i++) out[o + i] = inp[o + i]! * r * weight[i]!;
  }
}

/**
 * With xhat = x·r: dweight += Σₙ dout·xhat; dinp += r·(dout·w − xhat·mean(dout·w·xhat)).
 * `dweight` may be null when the weight is frozen, `dinp` when no gradient is wanted below.
 */
export function rmsnormBackward(
  dinp: Float32Array | null, // (N, C)
  dweight: Float32Array | null, // (C)
  dout: Float32Array, // (N, C)
  inp: Float32Array, // (N, C)
  weight: Float32Array, // (C)
  rstd: Float32Array, // (N)
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const r = rstd[n]!;
    if (dweight) for (let i = 0; i < C; i++) dweight[i]! += dout[o + i]! * (inp[o + i]! * r);
    if (!dinp) continue;
    let dot = 0; // Σ dout·w·xhat
    for (let i = 0; i < C; i++) dot += dout[o + i]! * weight[i]! * inp[o + i]! * r;
    const m = dot / C;
    for (let i = 0; i < C; i++) dinp[o + i]! += r * (dout[o + i]! * weight[i]! - inp[o + i]! * r * m);
  }
}
