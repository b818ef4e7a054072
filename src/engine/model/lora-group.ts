/**
 * Linears that read the same input (q/k/v from ln1, gate/up from ln2) run as a group so their
 * LoRA down-projections share one matmul: U = x·[A₁; A₂; …]ᵀ (N, Σr) forward, and in backward
 * one dA = dUᵀ·x (Σr, in) and one dx += dU·[A₁; A₂; …] (N, in) instead of one per module. The
 * per-module state (u, dropped) is left exactly as LinearModule.forward leaves it, so a module's
 * own backward still works. Falls back to the modules one by one when an adapter is missing,
 * dropout is active, or (backward) the modules disagree on which adapter weights train.
 */
import type { Kernels } from '../contracts.js';
import { grow, view } from './buffers.js';
import { linearBackward, linearForward } from './layers/linear.js';
import type { LinearModule } from './linear-module.js';
import type { Rng } from './rng.js';

/** Scratch of one group, grown on demand and reused every step. */
export class LoraGroupScratch {
  aCat: Float32Array = new Float32Array(0); // (Σr, in) stacked A
  u: Float32Array = new Float32Array(0); // (N, Σr) x·Aᵀ, or dU in backward
  dA: Float32Array = new Float32Array(0); // (Σr, in)
}

/** Stacks the A weights into scratch.aCat; returns Σr, or 0 when the group cannot be fused. */
function stackA(mods: readonly LinearModule[], scratch: LoraGroupScratch): number {
  let R = 0;
  for (const m of mods) {
    if (!m.lora || m.inFeatures !== mods[0]!.inFeatures) return 0;
    R += m.lora.rank;
  }
  const IC = mods[0]!.inFeatures;
  scratch.aCat = grow(scratch.aCat, R * IC);
  let off = 0;
  for (const m of mods) {
    scratch.aCat.set(m.lora!.A.data, off * IC);
    off += m.lora!.rank;
  }
  return R;
}

export function groupForward(
  mods: readonly LinearModule[],
  outs: readonly Float32Array[], // (N, out_j) each
  inp: Float32Array, // (N, in)
  N: number,
  kernels: Kernels,
  dropoutRng: Rng | null,
  scratch: LoraGroupScratch,
): void {
  const dropout = dropoutRng !== null && mods.some((m) => m.lora && m.lora.dropout > 0);
  const R = dropout ? 0 : stackA(mods, scratch);
  if (R === 0 || mods.length < 2) {
    for (let j = 0; j < mods.length; j++) mods[j]!.forward(outs[j]!, inp, N, kernels, dropoutRng);
    return;
  }
  const IC = mods[0]!.inFeatures;
  scratch.u = grow(scratch.u, N * R);
  const U = view(scratch.u, N * R); // (N, R)
  kernels.matmul(U, inp, view(scratch.aCat, R * IC), N, IC, R, { transB: true });
  let off = 0;
  mods.forEach((m, j) => {
    const out = outs[j]!;
    const a = m.lora!;
    const r = a.rank;
    linearForward(out, inp, m.weight.data, m.bias?.data ?? null, N, IC, m.outFeatures, kernels);
    a.u = grow(a.u, N * r);
    a.dropped = false;
    const u = view(a.u, N * r); // (N, r) scale · x·Aᵀ
    const sc = a.scale;
    for (let n = 0; n < N; n++) {
      const src = n * R + off;
      const dst = n * r;
      for (let c = 0; c < r; c++) u[dst + c] = U[src + c]! * sc;
    }
    kernels.matmul(out, u, a.B.data, N, r, m.outFeatures, { transB: true, accumulate: true });
    off += r;
  });
}

/** dinp += Σ_j dout_j·W_j (+ LoRA paths); trainable grads accumulate as in LinearModule.backward. */
export function groupBackward(
  mods: readonly LinearModule[],
  dinp: Float32Array | null, // (N, in)
  douts: readonly Float32Array[], // (N, out_j) each
  inp: Float32Array, // (N, in)
  N: number,
  kernels: Kernels,
  scratch: LoraGroupScratch,
): void {
  const trainsA = mods[0]!.lora?.A.grad !== undefined;
  const fusable =
    mods.length > 1 &&
    mods.every((m) => m.lora && !m.lora.dropped && (m.lora.A.grad !== undefined) === trainsA);
  const R = fusable ? stackA(mods, scratch) : 0;
  if (R === 0) {
    for (let j = 0; j < mods.length; j++) mods[j]!.backward(dinp, douts[j]!, inp, N, kernels);
    return;
  }
  const IC = mods[0]!.inFeatures;
  scratch.u = grow(scratch.u, N * R);
  const dU = view(scratch.u, N * R); // (N, R)
  let off = 0;
  mods.forEach((m, j) => {
    const dout = douts[j]!;
    const a = m.lora!;
    const r = a.rank;
    const OC = m.outFeatures;
    const w = m.weight;
    linearBackward(dinp, w.grad ?? null, m.bias?.grad ?? null, dout, inp, w.data, N, IC, OC, kernels);
    a.du = grow(a.du, N * r);
    const du = view(a.du, N * r); // (N, r) = s · dout·B
    kernels.matmul(du, dout, a.B.data, N, OC, r);
    if (a.B.grad)
      kernels.matmul(a.B.grad, dout, view(a.u, N * r), OC, N, r, { transA: true, accumulate: true });
    const sc = a.scale;
    for (let n = 0; n < N; n++) {
      const dst = n * R + off;
      const src = n * r;
      for (let c = 0; c < r; c++) dU[dst + c] = du[src + c]! * sc;
    }
    off += r;
  });
  if (trainsA) {
    scratch.dA = grow(scratch.dA, R * IC);
    const dA = view(scratch.dA, R * IC); // (R, IC) = dUᵀ·x
    kernels.matmul(dA, dU, inp, R, N, IC, { transA: true });
    off = 0;
    for (const m of mods) {
      const g = m.lora!.A.grad!;
      const base = off * IC;
      for (let i = 0; i < g.length; i++) g[i]! += dA[base + i]!;
      off += m.lora!.rank;
    }
  }
  if (dinp) kernels.matmul(dinp, dU, view(scratch.aCat, R * IC), N, R, IC, { accumulate: true });
}
