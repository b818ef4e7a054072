/**
 * Preallocated activation and gradient buffers of the training forward/backward, sized for
 * N = B·T rows and reused across calls (reallocated only when a call needs more rows).
 * Per layer: what backward needs (attention probabilities only while they fit
 * ATTENTION_PROBS_BUDGET floats; otherwise backward recomputes them). Shared: the gradient scratch
 * every layer reuses in turn. No math here.
 */
import type { ModelConfig } from '../contracts.js';
import { headDim } from './params.js';

export interface LayerActs {
  resid: Float32Array; // (N, C) layer input
  ln1: Float32Array; // (N, C)
  ln1Rstd: Float32Array; // (N)
  q: Float32Array; // (N, NH*hd) after RoPE
  k: Float32Array; // (N, KV*hd) after RoPE
  v: Float32Array; // (N, KV*hd)
  attLse: Float32Array; // (B, NH, T)
  atty: Float32Array; // (N, NH*hd)
  resid2: Float32Array; // (N, C) after attention residual
  ln2: Float32Array; // (N, C)
  ln2Rstd: Float32Array; // (N)
  gate: Float32Array; // (N, I)
  up: Float32Array; // (N, I)
  h: Float32Array; // (N, I) silu(gate)*up
  gateSig: Float32Array; // (N, I) σ(gate)
  attProbs: Float32Array | null; // (B·KV, G·T, T) softmax of the scores, or null (recomputed)
}

/** Floats all layers' saved attention probabilities may take (64 MB). */
export const ATTENTION_PROBS_BUDGET = 16 << 20;

export interface Activations {
  N: number;
  T: number;
  layers: LayerActs[];
  out: Float32Array; // (N, C) last layer output
  lnf: Float32Array; // (N, C)
  lnfRstd: Float32Array; // (N)
  lse: Float32Array; // (N) log-sum-exp of the logits
  logprobs: Float32Array; // (N)
  chunkRows: number;
  logits: Float32Array; // (chunkRows, V) lm_head scratch
  // gradient scratch, shared by all layers
  dres: Float32Array; // (N, C)
  dln: Float32Array; // (N, C)
  dq: Float32Array; // (N, NH*hd)
  dk: Float32Array; // (N, KV*hd)
  dv: Float32Array; // (N, KV*hd)
  dqPre: Float32Array; // (N, NH*hd)
  dkPre: Float32Array; // (N, KV*hd)
  datty: Float32Array; // (N, NH*hd)
  dgate: Float32Array; // (N, I)
  dup: Float32Array; // (N, I)
  dh: Float32Array; // (N, I)
}

/** Rows of the lm_head chunk: about 8M floats of logits at a time. */
export function lmHeadChunkRows(V: number, N: number): number {
  return Math.max(1, Math.min(N, Math.floor((8 << 20) / V)));
}

export function allocActivations(config: ModelConfig, B: number, T: number): Activations {
  const N = B * T;
  const C = config.hidden_size;
  const I = config.intermediate_size;
  const hd = headDim(config);
  const QC = config.num_attention_heads * hd;
  const KC = config.num_key_value_heads * hd;
  const f = (n: number) => new Float32Array(n);
  const probsSize = N * config.num_attention_heads * T; // (B, NH, T, T)
  const keepProbs = probsSize * config.num_hidden_layers <= ATTENTION_PROBS_BUDGET;
  const layers: LayerActs[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    layers.push({
      resid: f(N * C),
      ln1: f(N * C),
      ln1Rstd: f(N),
      q: f(N * QC),
      k: f(N * KC),
      v: f(N * KC),
      attLse: f(N * config.num_attention_heads),
      atty: f(N * QC),
      resid2: f(N * C),
      ln2: f(N * C),
      ln2Rstd: f(N),
      gate: f(N * I),
      up: f(N * I),
      h: f(N * I),
      gateSig: f(N * I),
      attProbs: keepProbs ? f(probsSize) : null,
    });
  }
  const chunkRows = lmHeadChunkRows(config.vocab_size, N);
  return {
    N,
    T,
    layers,
    out: f(N * C),
    lnf: f(N * C),
    lnfRstd: f(N),
    lse: f(N),
    logprobs: f(N),
    chunkRows,
    logits: f(chunkRows * config.vocab_size),
    dres: f(N * C),
    dln: f(N * C),
    dq: f(N * QC),
    dk: f(N * KC),
    dv: f(N * KC),
    dqPre: f(N * QC),
    dkPre: f(N * KC),
    datty: f(N * QC),
    dgate: f(N * I),
    dup: f(N * I),
    dh: f(N * I),
  };
}

/** Exact-size views of `cap` for (B, T); `cap` must have N ≥ B·T and T ≥ T. */
export function viewActivations(cap: Activations, B: number, T: number): Activations {
  const N = B * T;
  const rows = (a: Float32Array) => a.subarray(0, (a.length / cap.N) * N);
  const layers = cap.layers.map(
    (l): LayerActs => ({
      resid: rows(l.resid),
      ln1: rows(l.ln1),
      ln1Rstd: rows(l.ln1Rstd),
      q: rows(l.q),
      k: rows(l.k),
      v: rows(l.v),
      attLse: rows(l.attLse),
      atty: rows(l.atty),
      resid2: rows(l.resid2),
      ln2: rows(l.ln2),
      ln2Rstd: rows(l.ln2Rstd),
      gate: rows(l.gate),
      up: rows(l.up),
      h: rows(l.h),
      gateSig: rows(l.gateSig),
      // (B, NH, T, T): N·T ≤ cap.N·cap.T, so the buffer holds any smaller (B, T)
      attProbs: l.attProbs ? l.attProbs.subarray(0, (l.attProbs.length / (cap.N * cap.T)) * N * T) : null,
    }),
  );
  const chunkRows = Math.min(cap.chunkRows, N);
  const V = cap.logits.length / cap.chunkRows;
  return {
    ...cap,
    N,
    T,
    layers,
    out: rows(cap.out),
    lnf: rows(cap.lnf),
    lnfRstd: rows(cap.lnfRstd),
    lse: rows(cap.lse),
    logprobs: rows(cap.logprobs),
    chunkRows,
    logits: cap.logits.subarray(0, chunkRows * V),
    dres: rows(cap.dres),
    dln: rows(cap.dln),
    dq: rows(cap.dq),
    dk: rows(cap.dk),
    dv: rows(cap.dv),
    dqPre: rows(cap.dqPre),
    dkPre: rows(cap.dkPre),
    datty: rows(cap.datty),
    dgate: rows(cap.dgate),
    dup: rows(cap.dup),
    dh: rows(cap.dh),
  };
}
