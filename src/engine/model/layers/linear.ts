/**
 * Linear layer y = x·Wᵀ + b with HF's [out, in] weight layout, forward and backward through
 * `Kernels.matmul`. Knows nothing about LoRA (see ../linear-module.ts).
 */
import type { Kernels } from '../../contracts.js';

export function linearForward(
  out: Float32Array, // (N, OC)
  inp: Float32Array, // (N, IC)
  weight: Float32Array, // (OC, IC)
  bias: Float32Array | null, // (OC)
  N: number,
  IC: number,
  OC: number,
  kernels: Kernels,
): void {
  kernels.matmul(out, inp, weight, N, IC, OC, { transB: true });
  if (bias) {
    for (let n = 0; n < N; n++) {
      const o = n * OC;
      for (let j = 0; j < OC; j++) out[o + j]! += bias[j]!;
    }
  }
}

/**
 * dinp += dout·W; dweight += doutᵀ·inp; dbias += Σₙ dout. Pass null for what is not needed
 * (frozen weights, or no gradient wanted below this layer).
 */
export function linearBackward(
  dinp: Float32Array | null, // (N, IC)
  dweight: Float32Array | null, // (OC, IC)
  dbias: Float32Array | null, // (OC)
  dout: Float32Array, // (N, OC)
  inp: Float32Array, // (N, IC)
  weight: Float32Array, // (OC, IC)
  N: number,
  IC: number,
  OC: number,
  kernels: Kernels,
): void {
  if (dinp) kernels.matmul(dinp, dout, weight, N, OC, IC, { accumulate: true });
  if (dweight) kernels.matmul(dweight, dout, inp, OC, N, IC, { transA: true, accumulate: true });
  if (dbias) {
    for (let n = 0; n < N; n++) {
      const o = n * OC;
      for (let j = 0; j < OC; j++) dbias[j]! += dout[o + j]!;
    }
  }
}
