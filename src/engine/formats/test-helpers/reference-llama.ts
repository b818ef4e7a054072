/**
 * Test helpers for the file-format tests: a seeded random Llama / Qwen2 model, a naive float64
 * reference forward pass in HF conventions (RMSNorm, rotate-half RoPE, GQA causal attention,
 * SwiGLU, lm_head or tied embeddings), LoRA merging, and a tiny byte-level gpt2 tokenizer for GGUF
 * metadata. Slow on purpose (clarity over speed); only for tiny models. Not production code.
 */

import { mulberry32 } from '../../../core/random.js';
import type { ModelConfig } from '../../contracts.js';
import type { GgufTokenizer } from '../gguf-export.js';
import { expectedWeightShapes } from '../hf-checkpoint.js';

/** mulberry32 (src/core/random.ts). */
export const rng = mulberry32;

/** Random weights for every tensor of `config`: norms near 1, matrices uniform ±scale/√fan_in. */
export function randomWeights(config: ModelConfig, seed: number): Map<string, Float32Array> {
  const random = rng(seed);
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of expectedWeightShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const isNorm = name.includes('norm');
    const fanIn = shape.length === 2 ? shape[1]! : 1;
    const scale = name.includes('embed') ? 1 : name.endsWith('.bias') ? 0.3 : 2 / Math.sqrt(fanIn);
    for (let i = 0; i < data.length; i++) {
      data[i] = isNorm ? 0.8 + 0.4 * random() : (random() * 2 - 1) * scale;
    }
    weights.set(name, data);
  }
  return weights;
}

/** Random LoRA A/B for the given modules of every layer (B non-zero so it matters). */
export function randomLora(
  config: ModelConfig,
  rank: number,
  modules: string[],
  seed: number,
): Map<string, Float32Array> {
  const random = rng(seed);
  const shapes = expectedWeightShapes(config);
  const lora = new Map<string, Float32Array>();
  for (let l = 0; l < config.num_hidden_layers; l++) {
    for (const m of modules) {
      const base = `model.layers.${l}.${/^(gate|up|down)_proj$/.test(m) ? 'mlp' : 'self_attn'}.${m}`;
      const [out, inp] = shapes.get(`${base}.weight`)! as [number, number];
      const a = new Float32Array(rank * inp).map(() => (random() * 2 - 1) / Math.sqrt(inp));
      const b = new Float32Array(out * rank).map(() => (random() * 2 - 1) * 0.5);
      lora.set(`${base}.lora_A.weight`, a);
      lora.set(`${base}.lora_B.weight`, b);
    }
  }
  return lora;
}

/** W + (alpha / rank) · B · A for every LoRA pair, as new weights. */
export function mergeLora(
  weights: ReadonlyMap<string, Float32Array>,
  lora: ReadonlyMap<string, Float32Array>,
  alpha: number,
  rank: number,
): Map<string, Float32Array> {
  const merged = new Map(weights);
  for (const [name, a] of lora) {
    if (!name.endsWith('.lora_A.weight')) continue;
    const base = name.slice(0, -'.lora_A.weight'.length);
    const b = lora.get(`${base}.lora_B.weight`)!;
    const w = Float32Array.from(weights.get(`${base}.weight`)!);
    const nIn = a.length / rank;
    const nOut = b.length / rank;
    for (let o = 0; o < nOut; o++) {
      for (let i = 0; i < nIn; i++) {
        let s = 0;
        for (let r = 0; r < rank; r++) s += b[o * rank + r]! * a[r * nIn + i]!;
        w[o * nIn + i]! += (alpha / rank) * s;
      }
    }
    merged.set(`${base}.weight`, w);
  }
  return merged;
}

function matvec(w: Float32Array, x: Float64Array, rows: number, bias?: Float32Array): Float64Array {
  const cols = x.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = bias ? bias[r]! : 0;
    for (let c = 0; c < cols; c++) s += w[r * cols + c]! * x[c]!;
    out[r] = s;
  }
  return out;
}

function rmsnorm(x: Float64Array, w: Float32Array, eps: number): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const inv = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * inv * w[i]!);
}

/** HF rotate_half RoPE on each head of `x` (heads × headDim) at position `pos`, in place. */
function rope(x: Float64Array, heads: number, headDim: number, pos: number, theta: number): void {
  const half = headDim / 2;
  for (let h = 0; h < heads; h++) {
    for (let d = 0; d < half; d++) {
      const angle = pos * theta ** ((-2 * d) / headDim);
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const i = h * headDim + d;
      const a = x[i]!;
      const b = x[i + half]!;
      x[i] = a * cos - b * sin;
      x[i + half] = b * cos + a * sin;
    }
  }
}

/** Logits (T × V) of every position for `tokens`, in float64. */
export function referenceForward(
  config: ModelConfig,
  weights: ReadonlyMap<string, Float32Array>,
  tokens: readonly number[],
): Float64Array[] {
  const W = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`reference: missing ${name}`);
    return w;
  };
  const C = config.hidden_size;
  const H = config.num_attention_heads;
  const KV = config.num_key_value_heads;
  const hd = C / H;
  const group = H / KV;
  const embed = W('model.embed_tokens.weight');
  let xs = tokens.map((t) => Float64Array.from(embed.subarray(t * C, (t + 1) * C)));
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `model.layers.${l}`;
    const bias = (m: string) => (config.attention_bias ? W(`${p}.self_attn.${m}.bias`) : undefined);
    const qs: Float64Array[] = [];
    const ks: Float64Array[] = [];
    const vs: Float64Array[] = [];
    xs.forEach((x, pos) => {
      const h = rmsnorm(x, W(`${p}.input_layernorm.weight`), config.rms_norm_eps);
      const q = matvec(W(`${p}.self_attn.q_proj.weight`), h, C, bias('q_proj'));
      const k = matvec(W(`${p}.self_attn.k_proj.weight`), h, KV * hd, bias('k_proj'));
      rope(q, H, hd, pos, config.rope_theta);
      rope(k, KV, hd, pos, config.rope_theta);
      qs.push(q);
      ks.push(k);
      vs.push(matvec(W(`${p}.self_attn.v_proj.weight`), h, KV * hd, bias('v_proj')));
    });
    xs = xs.map((x, t) => {
      const att = new Float64Array(C);
      for (let h = 0; h < H; h++) {
        const kvh = Math.floor(h / group);
        const scores = new Float64Array(t + 1);
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let d = 0; d < hd; d++) dot += qs[t]![h * hd + d]! * ks[s]![kvh * hd + d]!;
          scores[s] = dot / Math.sqrt(hd);
        }
        const max = Math.max(...scores);
        const e = scores.map((v) => Math.exp(v - max));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) {
          for (let d = 0; d < hd; d++) att[h * hd + d]! += (e[s]! / sum) * vs[s]![kvh * hd + d]!;
        }
      }
      const o = matvec(W(`${p}.self_attn.o_proj.weight`), att, C);
      const x1 = x.map((v, i) => v + o[i]!);
      const h2 = rmsnorm(x1, W(`${p}.post_attention_layernorm.weight`), config.rms_norm_eps);
      const gate = matvec(W(`${p}.mlp.gate_proj.weight`), h2, config.intermediate_size);
      const up = matvec(W(`${p}.mlp.up_proj.weight`), h2, config.intermediate_size);
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
      const down = matvec(W(`${p}.mlp.down_proj.weight`), act, C);
      return x1.map((v, i) => v + down[i]!);
    });
  }
  const head = config.tie_word_embeddings ? embed : W('lm_head.weight');
  return xs.map((x) =>
    matvec(head, rmsnorm(x, W('model.norm.weight'), config.rms_norm_eps), config.vocab_size),
  );
}

/** GPT-2's byte → printable unicode character table. */
export function bytesToUnicode(): string[] {
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table[b] = String.fromCodePoint(printable ? b : 256 + extra++);
  }
  return table;
}

/** 256 byte tokens, a few merges and three control tokens: 264 tokens. */
export function tinyByteTokenizer(): GgufTokenizer {
  const tokens = bytesToUnicode();
  const merges = ['Ġ t', 'h e', 'Ġt he', 'i n', 'e r'];
  for (const m of merges) tokens.push(m.replace(' ', ''));
  const normal = tokens.length;
  tokens.push('<|endoftext|>', '<|im_start|>', '<|im_end|>');
  const token_type = tokens.map((_, i) => (i < normal ? 1 : 3));
  return {
    model: 'gpt2',
    pre: 'default',
    tokens,
    token_type,
    merges,
    bos_token_id: normal,
    eos_token_id: normal + 2,
    padding_token_id: normal,
  };
}
