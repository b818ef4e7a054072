/**
 * A projection of the transformer (q/k/v/o, gate/up/down) as a module: the base weight [out, in]
 * with optional bias, plus an optional LoRA adapter (PEFT semantics):
 *   y = x·Wᵀ + b + scale · (dropout(x)·Aᵀ)·Bᵀ,  A (r, in), B (out, r), scale = alpha / r.
 * Owns the adapter's saved activations (dropout mask, x·Aᵀ) between forward and backward. The
 * caller owns x and y. Dropout runs only when forward gets a dropout RNG; inference calls
 * (save = false) use their own scratch so they do not clobber what backward needs.
 */
import type { Kernels, Parameter } from '../contracts.js';
import { grow, view } from './buffers.js';
import { linearBackward, linearForward } from './layers/linear.js';
import type { Rng } from './rng.js';

export interface LoraAdapter {
  A: Parameter; // (r, in)
  B: Parameter; // (out, r)
  rank: number;
  scale: number;
  dropout: number;
  mask: Uint8Array; // (N, in) kept positions of the last training forward
  xd: Float32Array; // (N, in) dropout(x)
  u: Float32Array; // (N, r) scale · dropout(x)·Aᵀ
  uInfer: Float32Array; // (N, r) like u, for inference calls
  du: Float32Array; // (N, r) scratch
  dxd: Float32Array; // (N, in) scratch
  dropped: boolean; // whether the last forward applied dropout
}

export class LinearModule {
  lora: LoraAdapter | null = null;

  constructor(
    readonly name: string, // e.g. "model.layers.0.self_attn.q_proj"
    readonly inFeatures: number,
    readonly outFeatures: number,
    readonly weight: Parameter,
    readonly bias: Parameter | null,
  ) {}

  forward(
    out: Float32Array, // (N, out)
    inp: Float32Array, // (N, in)
    N: number,
    kernels: Kernels,
    dropoutRng: Rng | null, // null: no dropout (eval)
    save = true, // false: inference, leaves the training state of the adapter alone
  ): void {
    const IC = this.inFeatures;
    const OC = this.outFeatures;
    linearForward(out, inp, this.weight.data, this.bias?.data ?? null, N, IC, OC, kernels);
    const a = this.lora;
    if (!a) return;
    const r = a.rank;
    let u: Float32Array; // (N, r)
    if (save) {
      a.u = grow(a.u, N * r);
      u = view(a.u, N * r);
      a.dropped = dropoutRng !== null && a.dropout > 0;
    } else {
      a.uInfer = grow(a.uInfer, N * r);
      u = view(a.uInfer, N * r);
    }
    let x = inp;
    if (save && a.dropped && dropoutRng) {
      a.mask = a.mask.length >= N * IC ? a.mask : new Uint8Array(N * IC);
      a.xd = grow(a.xd, N * IC);
      x = view(a.xd, N * IC);
      const keep = 1 / (1 - a.dropout);
      for (let i = 0; i < N * IC; i++) {
        const m = dropoutRng.next() >= a.dropout ? 1 : 0;
        a.mask[i] = m;
        x[i] = m ? inp[i]! * keep : 0;
      }
    }
    kernels.matmul(u, x, a.A.data, N, IC, r, { transB: true }); // (N, r)
    if (a.scale !== 1) for (let i = 0; i < N * r; i++) u[i]! *= a.scale;
    kernels.matmul(out, u, a.B.data, N, r, OC, { transB: true, accumulate: true });
  }

  /** dinp += dout·W (+ LoRA path); grads of trainable W, b, A, B accumulate. */
  backward(
    dinp: Float32Array | null, // (N, in)
    dout: Float32Array, // (N, out)
    inp: Float32Array, // (N, in)
    N: number,
    kernels: Kernels,
  ): void {
    const IC = this.inFeatures;
    const OC = this.outFeatures;
    const w = this.weight;
    linearBackward(dinp, w.grad ?? null, this.bias?.grad ?? null, dout, inp, w.data, N, IC, OC, kernels);
    const a = this.lora;
    if (!a) return;
    const r = a.rank;
    const u = view(a.u, N * r);
    const x = a.dropped ? view(a.xd, N * IC) : inp;
    // y += us·Bᵀ with us = s·u → dB += doutᵀ·us ; du = s·dout·B
    a.du = grow(a.du, N * r);
    const du = view(a.du, N * r);
    kernels.matmul(du, dout, a.B.data, N, OC, r);
    if (a.scale !== 1) for (let i = 0; i < N * r; i++) du[i]! *= a.scale;
    if (a.B.grad) kernels.matmul(a.B.grad, dout, u, OC, N, r, { transA: true, accumulate: true });
    // u = xd·Aᵀ → dA += duᵀ·xd ; dxd = du·A
    if (a.A.grad) kernels.matmul(a.A.grad, du, x, r, N, IC, { transA: true, accumulate: true });
    if (!dinp) return;
    if (!a.dropped) {
      kernels.matmul(dinp, du, a.A.data, N, r, IC, { accumulate: true });
      return;
    }
    a.dxd = grow(a.dxd, N * IC);
    const dxd = view(a.dxd, N * IC);
    kernels.matmul(dxd, du, a.A.data, N, r, IC);
    const keep = 1 / (1 - a.dropout);
    for (let i = 0; i < N * IC; i++) if (a.mask[i]) dinp[i]! += dxd[i]! * keep;
  }
}
