/**
 * Inference forward without saved activations: a KV cache of post-RoPE keys and values per
 * layer, prefill of many tokens at once, one-token `step` decoding, and full-sequence logits.
 * Always eval mode (no dropout). Uses its own scratch buffers, grown on demand and reused, but
 * LoRA adapters share theirs with training: do not run inference between forward and backward.
 */
import { InputError } from '../../core/errors.js';
import type { Kernels, ModelConfig } from '../contracts.js';
import { grow, view } from './buffers.js';
import { AttentionScratch, attentionForwardMatmul } from './layers/attention-matmul.js';
import { embeddingForward } from './layers/embedding.js';
import { linearForward } from './layers/linear.js';
import { rmsnormForward } from './layers/rmsnorm.js';
import type { RopeTables } from './layers/rope.js';
import { ropeForward } from './layers/rope.js';
import { swigluForward } from './layers/swiglu.js';
import type { ModelParams } from './params.js';
import { headDim } from './params.js';

/** Keys and values (after RoPE) of the first `length` positions, for up to `maxTokens`. */
export class KVCache {
  readonly k: Float32Array[]; // L × (maxTokens, KV*hd)
  readonly v: Float32Array[]; // L × (maxTokens, KV*hd)
  length = 0;

  constructor(
    config: ModelConfig,
    readonly maxTokens: number,
  ) {
    const KC = config.num_key_value_heads * headDim(config);
    this.k = Array.from({ length: config.num_hidden_layers }, () => new Float32Array(maxTokens * KC));
    this.v = Array.from({ length: config.num_hidden_layers }, () => new Float32Array(maxTokens * KC));
  }

  /** Forgets every position (the buffers are kept). */
  reset(): void {
    this.length = 0;
  }
}

interface ModelView {
  readonly config: ModelConfig;
  readonly params: ModelParams;
  readonly kernels: Kernels;
  readonly rope: RopeTables;
}

export class InferenceRunner {
  private x: Float32Array = new Float32Array(0); // (T, C) residual stream
  private ln: Float32Array = new Float32Array(0); // (T, C)
  private rstd: Float32Array = new Float32Array(0); // (T)
  private q: Float32Array = new Float32Array(0); // (T, NH*hd)
  private atty: Float32Array = new Float32Array(0); // (T, NH*hd)
  private tmp: Float32Array = new Float32Array(0); // (T, C)
  private gate: Float32Array = new Float32Array(0); // (T, I)
  private up: Float32Array = new Float32Array(0); // (T, I)
  private h: Float32Array = new Float32Array(0); // (T, I)
  private lse: Float32Array = new Float32Array(0); // (NH, T)
  private readonly attScratch = new AttentionScratch();
  private last: Float32Array; // (V) logits returned by step

  constructor(private readonly model: ModelView) {
    this.last = new Float32Array(model.config.vocab_size);
  }

  /** Full (T, V) logits of one sequence, in a new array. */
  logits(tokens: Int32Array): Float32Array {
    const T = tokens.length;
    const cache = new KVCache(this.model.config, T);
    const out = new Float32Array(T * this.model.config.vocab_size);
    this.run(tokens, cache, out, 0);
    return out;
  }

  /**
   * Runs `tokens` at positions cache.length … and returns the next-token logits (V) of the last
   * one in a buffer reused by the next call.
   */
  prefill(tokens: Int32Array, cache: KVCache): Float32Array {
    if (tokens.length === 0) throw new InputError('prefill needs at least one token');
    this.run(tokens, cache, this.last, tokens.length - 1);
    return this.last;
  }

  /** Decodes `token` at `position` (≤ cache.length; smaller rolls the cache back). */
  step(token: number, position: number, cache: KVCache): Float32Array {
    if (!(position >= 0 && position <= cache.length)) {
      throw new InputError(`step at position ${position}, but the cache holds ${cache.length} positions`);
    }
    cache.length = position;
    this.stepToken[0] = token;
    return this.prefill(this.stepToken, cache);
  }

  private readonly stepToken = new Int32Array(1);

  /** Forward of T tokens after cache.length cached ones; logits of rows fromRow… into `out`. */
  private run(tokens: Int32Array, cache: KVCache, out: Float32Array, fromRow: number): void {
    const { config: cfg, params: P, kernels: K, rope } = this.model;
    const T = tokens.length;
    const p0 = cache.length;
    const Tk = p0 + T;
    if (Tk > cache.maxTokens)
      throw new InputError(`the KV cache holds ${cache.maxTokens} positions, ${Tk} needed`);
    const C = cfg.hidden_size;
    const I = cfg.intermediate_size;
    const NH = cfg.num_attention_heads;
    const KV = cfg.num_key_value_heads;
    const hd = headDim(cfg);
    const QC = NH * hd;
    const KC = KV * hd;
    const V = cfg.vocab_size;
    rope.ensure(Tk);
    const x = view((this.x = grow(this.x, T * C)), T * C); // (T, C)
    const ln = view((this.ln = grow(this.ln, T * C)), T * C); // (T, C)
    const rstd = view((this.rstd = grow(this.rstd, T)), T); // (T)
    const q = view((this.q = grow(this.q, T * QC)), T * QC); // (T, NH*hd)
    const atty = view((this.atty = grow(this.atty, T * QC)), T * QC); // (T, NH*hd)
    const tmp = view((this.tmp = grow(this.tmp, T * C)), T * C); // (T, C)
    const gate = view((this.gate = grow(this.gate, T * I)), T * I); // (T, I)
    const up = view((this.up = grow(this.up, T * I)), T * I); // (T, I)
    const h = view((this.h = grow(this.h, T * I)), T * I); // (T, I)
    const lse = view((this.lse = grow(this.lse, NH * T)), NH * T); // (NH, T)
    const eps = cfg.rms_norm_eps;
    embeddingForward(x, tokens, P.embed.data, T, C);
    for (let l = 0; l < P.layers.length; l++) {
      const w = P.layers[l]!;
      const kAll = cache.k[l]!.subarray(0, Tk * KC); // (Tk, KV*hd)
      const vAll = cache.v[l]!.subarray(0, Tk * KC); // (Tk, KV*hd)
      const kNew = kAll.subarray(p0 * KC); // (T, KV*hd)
      const vNew = vAll.subarray(p0 * KC); // (T, KV*hd)
      rmsnormForward(ln, rstd, x, w.ln1.data, T, C, eps);
      w.q.forward(q, ln, T, K, null, false);
      w.k.forward(kNew, ln, T, K, null, false);
      w.v.forward(vNew, ln, T, K, null, false);
      ropeForward(q, q, rope.cos, rope.sin, 1, T, NH, hd, p0);
      ropeForward(kNew, kNew, rope.cos, rope.sin, 1, T, KV, hd, p0);
      attentionForwardMatmul(atty, lse, q, kAll, vAll, this.attScratch, K, 1, T, Tk, NH, KV, hd);
      w.o.forward(tmp, atty, T, K, null, false);
      for (let i = 0; i < T * C; i++) x[i]! += tmp[i]!;
      rmsnormForward(ln, rstd, x, w.ln2.data, T, C, eps);
      w.gate.forward(gate, ln, T, K, null, false);
      w.up.forward(up, ln, T, K, null, false);
      swigluForward(h, gate, up, T * I);
      w.down.forward(tmp, h, T, K, null, false);
      for (let i = 0; i < T * C; i++) x[i]! += tmp[i]!;
    }
    cache.length = Tk;
    const rows = T - fromRow;
    const xs = x.subarray(fromRow * C); // (rows, C)
    const lns = ln.subarray(0, rows * C);
    rmsnormForward(lns, rstd, xs, P.norm.data, rows, C, eps);
    linearForward(view(out, rows * V), lns, P.lmHead.data, null, rows, C, V, K);
  }
}
