/**
 * The Llama / Qwen2 decoder as a TrainableModel: training forward (per-position target
 * log-probs, activations kept) and backward (grads accumulated into trainable parameters),
 * trainable-set switching, LoRA attach/merge, and the inference entry points (`logits`, `step`,
 * see ./inference.ts). The lm_head + log-softmax runs in row chunks; when all N rows fit in one
 * chunk forward keeps their softmax for backward, otherwise backward recomputes the logits, so
 * more than one chunk of (rows, V) is never held. q/k/v and gate/up run as LoRA groups
 * (./lora-group.ts); the pruned backward is ./backward.ts. Does no file I/O and no optimisation step.
 */
import { InputError } from '../../core/errors.js';
import {
  IGNORE_INDEX,
  type Kernels,
  type LoraConfig,
  type ModelConfig,
  type Parameter,
  type TrainableModel,
} from '../contracts.js';
import { type Activations, allocActivations, viewActivations } from './activations.js';
import { type BackwardContext, planBackward, runBackward } from './backward.js';
import { InferenceRunner, type KVCache } from './inference.js';
import { AttentionScratch, attentionForwardMatmul } from './layers/attention-matmul.js';
import { embeddingForward } from './layers/embedding.js';
import { linearForward } from './layers/linear.js';
import { logprobForward } from './layers/logprob.js';
import { rmsnormForward } from './layers/rmsnorm.js';
import { RopeTables, ropeForward } from './layers/rope.js';
import { swigluForward } from './layers/swiglu.js';
import { addLoraAdapters, mergeLoraAdapters } from './lora.js';
import { groupForward, LoraGroupScratch } from './lora-group.js';
import { headDim, listParameters, type ModelParams, paramsFromWeights, randomParams } from './params.js';
import { Rng } from './rng.js';

export interface TransformerOptions {
  /** Matrix kernels (getKernels() from ../kernels/index.js, or a test double). */
  kernels: Kernels;
}

export type TrainableSet = 'all' | 'lora' | 'none';

export class Transformer implements TrainableModel {
  readonly kernels: Kernels;
  readonly params: ModelParams;
  readonly rope: RopeTables;
  /** Dropout on LoRA inputs in `forward` when true (PyTorch's train()/eval()). Defaults to true. */
  training = true;
  private trainable: TrainableSet = 'none';
  private dropoutRng = new Rng(0);
  private cap: Activations | null = null;
  private saved: {
    a: Activations;
    B: number;
    T: number;
    tokens: Int32Array;
    targets: Int32Array;
    probsKept: boolean; // a.logits still holds the softmax of all rows (one lm_head chunk)
  } | null = null;
  private inference: InferenceRunner | null = null;
  private readonly attScratch = new AttentionScratch();
  private readonly loraScratch = new LoraGroupScratch();

  constructor(
    readonly config: ModelConfig,
    weights: Map<string, Float32Array> | ModelParams,
    options: TransformerOptions,
  ) {
    this.params = weights instanceof Map ? paramsFromWeights(config, weights) : weights;
    this.kernels = options.kernels;
    this.rope = new RopeTables(headDim(config), config.rope_theta);
  }

  /** Seeded init: normal(0, 0.02) weights, norms 1, biases 0. */
  static random(config: ModelConfig, seed: number, options: TransformerOptions): Transformer {
    return new Transformer(config, randomParams(config, seed), options);
  }

  parameters(): Parameter[] {
    return listParameters(this.params);
  }

  trainableParameters(): Parameter[] {
    return this.parameters().filter((p) => p.grad !== undefined);
  }

  /** Chooses which parameters get a grad buffer: every one, LoRA adapters only, or none. */
  setTrainable(set: TrainableSet): void {
    this.trainable = set;
    for (const p of this.parameters()) {
      const on = set === 'all' || (set === 'lora' && p.name.includes('.lora_'));
      if (on && !p.grad) p.grad = new Float32Array(p.data.length);
      if (!on) p.grad = undefined;
    }
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad?.fill(0);
  }

  /** Wraps the target linears with LoRA adapters (A uniform ±1/√in, B zeros). Seeds dropout too. */
  addLora(config: LoraConfig, seed: number): void {
    addLoraAdapters(this.params, config, seed);
    this.dropoutRng = new Rng(seed ^ 0x5eed);
    this.setTrainable(this.trainable);
  }

  /** Restarts the LoRA dropout mask stream (reproducible resumes, gradient checks). */
  reseedDropout(seed: number): void {
    this.dropoutRng = new Rng(seed);
  }

  /** W += scale·B·A for every adapter, then removes the adapters. */
  mergeLora(): void {
    mergeLoraAdapters(this.params, this.kernels);
    this.setTrainable(this.trainable === 'lora' ? 'none' : this.trainable);
  }

  private checkTokens(tokens: Int32Array, what: string): void {
    const V = this.config.vocab_size;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!(t >= 0 && t < V))
        throw new InputError(`${what}[${i}] = ${t} is outside the vocabulary 0…${V - 1}`);
    }
  }

  forward(tokens: Int32Array, targets: Int32Array, B: number, T: number): Float32Array {
    const N = B * T;
    if (tokens.length !== N || targets.length !== N) {
      throw new InputError(`forward expects ${N} tokens and targets (B=${B}, T=${T})`);
    }
    this.checkTokens(tokens, 'tokens');
    for (let i = 0; i < N; i++) {
      const t = targets[i]!;
      if (t !== IGNORE_INDEX && !(t >= 0 && t < this.config.vocab_size))
        throw new InputError(`targets[${i}] = ${t} is invalid`);
    }
    if (!this.cap || this.cap.N < N || this.cap.T < T) {
      const capT = Math.max(T, this.cap?.T ?? 0);
      this.cap = allocActivations(this.config, Math.ceil(Math.max(N, this.cap?.N ?? 0) / capT), capT);
    }
    const a = viewActivations(this.cap, B, T);
    this.rope.ensure(T);
    const { config: cfg, params: P, kernels: K } = this;
    const C = cfg.hidden_size;
    const I = cfg.intermediate_size;
    const NH = cfg.num_attention_heads;
    const KV = cfg.num_key_value_heads;
    const hd = headDim(cfg);
    const L = P.layers.length;
    const { cos, sin } = this.rope;
    const drop = this.training ? this.dropoutRng : null;
    embeddingForward(L > 0 ? a.layers[0]!.resid : a.out, tokens, P.embed.data, N, C);
    for (let l = 0; l < L; l++) {
      const w = P.layers[l]!;
      const s = a.layers[l]!;
      const next = l + 1 < L ? a.layers[l + 1]!.resid : a.out;
      rmsnormForward(s.ln1, s.ln1Rstd, s.resid, w.ln1.data, N, C, cfg.rms_norm_eps);
      groupForward([w.q, w.k, w.v], [s.q, s.k, s.v], s.ln1, N, K, drop, this.loraScratch);
      ropeForward(s.q, s.q, cos, sin, B, T, NH, hd, 0);
      ropeForward(s.k, s.k, cos, sin, B, T, KV, hd, 0);
      attentionForwardMatmul(
        s.atty,
        s.attLse,
        s.q,
        s.k,
        s.v,
        this.attScratch,
        K,
        B,
        T,
        T,
        NH,
        KV,
        hd,
        s.attProbs,
      );
      w.o.forward(s.resid2, s.atty, N, K, drop);
      addInto(s.resid2, s.resid, N * C);
      rmsnormForward(s.ln2, s.ln2Rstd, s.resid2, w.ln2.data, N, C, cfg.rms_norm_eps);
      groupForward([w.gate, w.up], [s.gate, s.up], s.ln2, N, K, drop, this.loraScratch);
      swigluForward(s.h, s.gate, s.up, N * I, s.gateSig);
      w.down.forward(next, s.h, N, K, drop);
      addInto(next, s.resid2, N * C);
    }
    rmsnormForward(a.lnf, a.lnfRstd, a.out, P.norm.data, N, C, cfg.rms_norm_eps);
    const V = cfg.vocab_size;
    const probsKept = N <= a.chunkRows; // one chunk: keep its softmax for backward
    for (let r0 = 0; r0 < N; r0 += a.chunkRows) {
      const rows = Math.min(a.chunkRows, N - r0);
      const logits = a.logits.subarray(0, rows * V); // (rows, V)
      linearForward(logits, a.lnf.subarray(r0 * C, (r0 + rows) * C), P.lmHead.data, null, rows, C, V, K);
      const end = r0 + rows;
      logprobForward(
        a.logprobs.subarray(r0, end),
        a.lse.subarray(r0, end),
        logits,
        targets.subarray(r0, end),
        rows,
        V,
        probsKept,
      );
    }
    this.saved = { a, B, T, tokens: tokens.slice(), targets: targets.slice(), probsKept };
    return a.logprobs.slice();
  }

  backward(dLogprobs: Float32Array): void {
    const saved = this.saved;
    if (!saved) throw new InputError('backward called before forward');
    const { a, B, T, tokens, targets } = saved;
    const N = B * T;
    if (dLogprobs.length !== N)
      throw new InputError(`backward expects ${N} gradients, got ${dLogprobs.length}`);
    const plan = planBackward(this.params);
    if (!plan.any) return;
    const cfg = this.config;
    const ctx: BackwardContext = {
      params: this.params,
      kernels: this.kernels,
      rope: this.rope,
      attScratch: this.attScratch,
      loraScratch: this.loraScratch,
      C: cfg.hidden_size,
      I: cfg.intermediate_size,
      NH: cfg.num_attention_heads,
      KV: cfg.num_key_value_heads,
      hd: headDim(cfg),
      V: cfg.vocab_size,
    };
    const probsKept = saved.probsKept;
    saved.probsKept = false; // backward turns them into dlogits; a second backward recomputes
    runBackward(ctx, plan, a, dLogprobs, tokens, targets, B, T, probsKept);
  }

  /** Full (T, V) logits of one sequence (eval mode: no dropout). */
  logits(tokens: Int32Array, T: number): Float32Array {
    if (tokens.length < T) throw new InputError(`logits expects ${T} tokens, got ${tokens.length}`);
    this.checkTokens(tokens.subarray(0, T), 'tokens');
    this.inference ??= new InferenceRunner(this);
    return this.inference.logits(tokens.subarray(0, T));
  }

  /**
   * Runs `tokens` after the cache's positions (prompt prefill) and returns the next-token logits
   * (V), in a buffer the next prefill/step call overwrites.
   */
  prefill(tokens: Int32Array, cache: KVCache): Float32Array {
    this.checkTokens(tokens, 'tokens');
    this.inference ??= new InferenceRunner(this);
    return this.inference.prefill(tokens, cache);
  }

  /**
   * Logits (V) of the token after `token` decoded at `position` (≤ cache.length; smaller rolls the
   * cache back), appending its keys/values to `cache`. The buffer is reused by the next call.
   */
  step(token: number, position: number, cache: KVCache): Float32Array {
    if (!(token >= 0 && token < this.config.vocab_size))
      throw new InputError(`token ${token} is outside the vocabulary`);
    this.inference ??= new InferenceRunner(this);
    return this.inference.step(token, position, cache);
  }
}

/** dst += src over the first `size` floats. */
function addInto(dst: Float32Array, src: Float32Array, size: number): void {
  for (let i = 0; i < size; i++) dst[i]! += src[i]!;
}
