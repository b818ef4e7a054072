/**
 * The training backward pass of the Transformer, pruned to what the trainable set needs:
 * `planBackward` reads which parameters have grad buffers; `runBackward` then skips weight/bias
 * gradients of frozen linears (LinearModule passes null), every dX that nothing trainable sits
 * below (the q/k/v dX of the lowest trainable layer in LoRA, all layers under the lowest one
 * that trains, the embedding gradient when it is frozen), and reuses the softmax that forward
 * kept in the lm_head scratch (no recompute of the logits) when it is still there.
 */
import type { Kernels, Parameter } from '../contracts.js';
import type { Activations } from './activations.js';
import { type AttentionScratch, attentionBackwardMatmul } from './layers/attention-matmul.js';
import { embeddingBackward } from './layers/embedding.js';
import { linearBackward, linearForward } from './layers/linear.js';
import { logprobBackwardFromProbs, logprobBackwardInPlace } from './layers/logprob.js';
import { rmsnormBackward } from './layers/rmsnorm.js';
import { type RopeTables, ropeBackward } from './layers/rope.js';
import { swigluBackward } from './layers/swiglu.js';
import type { LinearModule } from './linear-module.js';
import { groupBackward, type LoraGroupScratch } from './lora-group.js';
import type { LayerModules, ModelParams } from './params.js';

const has = (p: Parameter | null | undefined) => p?.grad !== undefined;
const trains = (m: LinearModule) =>
  has(m.weight) || has(m.bias) || has(m.lora?.A ?? null) || has(m.lora?.B ?? null);

export interface BackwardPlan {
  /** Anything trainable at all. */
  any: boolean;
  /** (L+1) needIn[l]: d(input of layer l) is wanted, i.e. something below layer l trains. */
  needIn: boolean[];
}

export function planBackward(P: ModelParams): BackwardPlan {
  const L = P.layers.length;
  const needIn: boolean[] = [has(P.embed)];
  for (let l = 0; l < L; l++) {
    const w = P.layers[l]!;
    const layer = has(w.ln1) || has(w.ln2) || [w.q, w.k, w.v, w.o, w.gate, w.up, w.down].some(trains);
    needIn.push(needIn[l]! || layer);
  }
  return { any: needIn[L]! || has(P.norm) || has(P.lmHead), needIn };
}

export interface BackwardContext {
  params: ModelParams;
  kernels: Kernels;
  rope: RopeTables;
  attScratch: AttentionScratch;
  loraScratch: LoraGroupScratch;
  C: number;
  I: number;
  NH: number;
  KV: number;
  hd: number;
  V: number;
}

export function runBackward(
  ctx: BackwardContext,
  plan: BackwardPlan,
  a: Activations,
  dLogprobs: Float32Array, // (N)
  tokens: Int32Array, // (N)
  targets: Int32Array, // (N)
  B: number,
  T: number,
  probsKept: boolean, // a.logits holds forward's softmax of all N rows
): void {
  const { params: P, kernels: K, C, V } = ctx;
  const N = B * T;
  const L = P.layers.length;
  const needTop = plan.needIn[L]!;
  const needLnf = needTop || has(P.norm);
  a.dres.fill(0);
  a.dln.fill(0);
  for (let r0 = 0; r0 < N; r0 += a.chunkRows) {
    const rows = Math.min(a.chunkRows, N - r0);
    const end = r0 + rows;
    const x = a.lnf.subarray(r0 * C, end * C); // (rows, C)
    const dlogits = a.logits.subarray(0, rows * V); // (rows, V)
    if (probsKept) {
      logprobBackwardFromProbs(dlogits, dLogprobs.subarray(r0, end), targets.subarray(r0, end), rows, V);
    } else {
      linearForward(dlogits, x, P.lmHead.data, null, rows, C, V, K);
      const lse = a.lse.subarray(r0, end);
      logprobBackwardInPlace(dlogits, dLogprobs.subarray(r0, end), lse, targets.subarray(r0, end), rows, V);
    }
    const dx = needLnf ? a.dln.subarray(r0 * C, end * C) : null;
    linearBackward(dx, P.lmHead.grad ?? null, null, dlogits, x, P.lmHead.data, rows, C, V, K);
  }
  if (!needLnf) return;
  rmsnormBackward(needTop ? a.dres : null, P.norm.grad ?? null, a.dln, a.out, P.norm.data, a.lnfRstd, N, C);
  for (let l = L - 1; l >= 0; l--) {
    if (!plan.needIn[l + 1]) break;
    // a.dres = d(layer output) = d(resid2) through the residual
    if (!layerBackward(ctx, P.layers[l]!, a, l, plan.needIn[l]!, B, T)) break;
  }
  if (P.embed.grad) embeddingBackward(P.embed.grad, a.dres, tokens, N, C);
}

/** One layer; a.dres in: d(layer output), out: d(layer input). false when nothing below needs it. */
function layerBackward(
  ctx: BackwardContext,
  w: LayerModules,
  a: Activations,
  l: number,
  needIn: boolean,
  B: number,
  T: number,
): boolean {
  const { kernels: K, C, I, NH, KV, hd } = ctx;
  const { cos, sin } = ctx.rope;
  const s = a.layers[l]!;
  const N = B * T;
  const needQkv = has(w.ln1) || trains(w.q) || trains(w.k) || trains(w.v) || needIn; // d(atty)
  const needResid2 = needQkv || trains(w.o);
  const needLn2 = has(w.ln2) || needResid2; // d(ln2 output)
  const needH = needLn2 || trains(w.gate) || trains(w.up); // d(h)
  if (needH) a.dh.fill(0);
  w.down.backward(needH ? a.dh : null, a.dres, s.h, N, K);
  if (!needH) return false;
  a.dgate.fill(0);
  a.dup.fill(0);
  swigluBackward(a.dgate, a.dup, a.dh, s.gate, s.up, N * I, s.gateSig);
  if (needLn2) a.dln.fill(0);
  groupBackward([w.gate, w.up], needLn2 ? a.dln : null, [a.dgate, a.dup], s.ln2, N, K, ctx.loraScratch);
  if (!needLn2) return false;
  rmsnormBackward(
    needResid2 ? a.dres : null,
    w.ln2.grad ?? null,
    a.dln,
    s.resid2,
    w.ln2.data,
    s.ln2Rstd,
    N,
    C,
  );
  if (!needResid2) return false;
  // a.dres = d(resid2) = d(o_proj output) = d(layer input) through the residual
  if (needQkv) a.datty.fill(0);
  w.o.backward(needQkv ? a.datty : null, a.dres, s.atty, N, K);
  if (!needQkv) return false;
  a.dq.fill(0);
  a.dk.fill(0);
  a.dv.fill(0);
  const { dq, dk, dv } = a;
  attentionBackwardMatmul(
    dq,
    dk,
    dv,
    ctx.attScratch,
    K,
    a.datty,
    s.q,
    s.k,
    s.v,
    s.attLse,
    B,
    T,
    NH,
    KV,
    hd,
    s.attProbs,
  );
  a.dqPre.fill(0);
  a.dkPre.fill(0);
  ropeBackward(a.dqPre, a.dq, cos, sin, B, T, NH, hd, 0);
  ropeBackward(a.dkPre, a.dk, cos, sin, B, T, KV, hd, 0);
  const needLn1 = has(w.ln1) || needIn; // d(ln1 output)
  if (needLn1) a.dln.fill(0);
  const dln = needLn1 ? a.dln : null;
  groupBackward([w.q, w.k, w.v], dln, [a.dqPre, a.dkPre, a.dv], s.ln1, N, K, ctx.loraScratch);
  if (!needLn1) return false;
  rmsnormBackward(needIn ? a.dres : null, w.ln1.grad ?? null, a.dln, s.resid, w.ln1.data, s.ln1Rstd, N, C);
  return needIn;
}
