/**
 * SwiGLU gating of the Llama MLP: h = silu(gate) * up, with silu(x) = x·σ(x). The gate/up/down
 * projections are plain linears (./linear.ts); this file is only the elementwise part. Forward can
 * save σ(gate) so backward needs no exp.
 */

import { fastExp } from './fast-exp.js';

export function swigluForward(
  out: Float32Array, // (N, I)
  gate: Float32Array, // (N, I)
  up: Float32Array, // (N, I)
  size: number, // N*I
  sig: Float32Array | null = null, // (N, I) saved σ(gate), or null
): void {
  if (sig) {
    for (let i = 0; i < size; i++) {
      const g = gate[i]!;
      const s = 1 / (1 + fastExp(-g));
      sig[i] = s;
      out[i] = g * s * up[i]!;
    }
    return;
  }
  for (let i = 0; i < size; i++) {
    const g = gate[i]!;
    out[i] = (g / (1 + fastExp(-g))) * up[i]!;
  }
}

/**
 * dgate += dout·up·silu'(gate); dup += dout·silu(gate), silu'(x) = σ(x)·(1 + x·(1 − σ(x))).
 * `sig` is what swigluForward saved (null: recomputed).
 */
export function swigluBackward(
  dgate: Float32Array, // (N, I)
  dup: Float32Array, // (N, I)
  dout: Float32Array, // (N, I)
  gate: Float32Array, // (N, I)
  up: Float32Array, // (N, I)
  size: number,
  sig: Float32Array | null = null, // (N, I)
): void {
  for (let i = 0; i < size; i++) {
    const g = gate[i]!;
    const s = sig ? sig[i]! : 1 / (1 + fastExp(-g));
    const d = dout[i]!;
    dgate[i]! += d * up[i]! * s * (1 + g * (1 - s));
    dup[i]! += d * g * s;
  }
}
