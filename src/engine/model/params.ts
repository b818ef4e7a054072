/**
 * The parameter set of a Llama / Qwen2 decoder with HF names and [out, in] layouts: building it
 * from a weights map (checked name by name, shape by shape) or from a seeded random init
 * (normal std 0.02, norms 1, biases 0, as HF's _init_weights), and listing it in HF order.
 * Does no I/O and no math beyond init.
 */
import { ConfigError, InputError } from '../../core/errors.js';
import type { ModelConfig, Parameter } from '../contracts.js';
import { LinearModule } from './linear-module.js';
import { Rng } from './rng.js';

export interface LayerModules {
  ln1: Parameter; // input_layernorm (C)
  q: LinearModule; // (NH*hd, C)
  k: LinearModule; // (KV*hd, C)
  v: LinearModule; // (KV*hd, C)
  o: LinearModule; // (C, NH*hd)
  ln2: Parameter; // post_attention_layernorm (C)
  gate: LinearModule; // (I, C)
  up: LinearModule; // (I, C)
  down: LinearModule; // (C, I)
}

export interface ModelParams {
  embed: Parameter; // (V, C)
  layers: LayerModules[];
  norm: Parameter; // (C)
  lmHead: Parameter; // (V, C), the same object as `embed` when tied
}

/** Module short names in a layer, in HF order, as LoRA `targets` spell them. */
export const LINEAR_NAMES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
] as const;
export type LinearName = (typeof LINEAR_NAMES)[number];

export function linearOf(layer: LayerModules, name: LinearName): LinearModule {
  const map = { q_proj: layer.q, k_proj: layer.k, v_proj: layer.v, o_proj: layer.o };
  const mlp = { gate_proj: layer.gate, up_proj: layer.up, down_proj: layer.down };
  return (map as Record<string, LinearModule>)[name] ?? (mlp as Record<string, LinearModule>)[name]!;
}

export function headDim(config: ModelConfig): number {
  return config.hidden_size / config.num_attention_heads;
}

/** Throws ConfigError when the dimensions cannot make a model. */
export function validateConfig(config: ModelConfig): void {
  const { hidden_size: C, num_attention_heads: NH, num_key_value_heads: KV } = config;
  const bad = (message: string) => new ConfigError(message, { file: 'config.json' });
  if (!(C > 0 && NH > 0 && KV > 0 && config.vocab_size > 0 && config.intermediate_size > 0)) {
    throw bad('hidden_size, heads, vocab_size and intermediate_size must be positive');
  }
  if (C % NH !== 0) throw bad(`hidden_size ${C} is not a multiple of num_attention_heads ${NH}`);
  if (NH % KV !== 0) throw bad(`num_attention_heads ${NH} is not a multiple of num_key_value_heads ${KV}`);
  if (headDim(config) % 2 !== 0) throw bad(`head_dim ${headDim(config)} must be even for RoPE`);
}

type Source = (name: string, shape: number[], kind: 'weight' | 'bias' | 'norm') => Float32Array;

function buildParams(config: ModelConfig, source: Source): ModelParams {
  validateConfig(config);
  const C = config.hidden_size;
  const V = config.vocab_size;
  const I = config.intermediate_size;
  const hd = headDim(config);
  const QC = config.num_attention_heads * hd;
  const KC = config.num_key_value_heads * hd;
  const param = (name: string, shape: number[], kind: 'weight' | 'bias' | 'norm'): Parameter => ({
    name,
    shape,
    data: source(name, shape, kind),
  });
  const linear = (prefix: string, inF: number, outF: number, bias: boolean) =>
    new LinearModule(
      prefix,
      inF,
      outF,
      param(`${prefix}.weight`, [outF, inF], 'weight'),
      bias ? param(`${prefix}.bias`, [outF], 'bias') : null,
    );
  const embed = param('model.embed_tokens.weight', [V, C], 'weight');
  const layers: LayerModules[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `model.layers.${l}`;
    const b = config.attention_bias;
    layers.push({
      ln1: param(`${p}.input_layernorm.weight`, [C], 'norm'),
      q: linear(`${p}.self_attn.q_proj`, C, QC, b),
      k: linear(`${p}.self_attn.k_proj`, C, KC, b),
      v: linear(`${p}.self_attn.v_proj`, C, KC, b),
      o: linear(`${p}.self_attn.o_proj`, QC, C, false),
      ln2: param(`${p}.post_attention_layernorm.weight`, [C], 'norm'),
      gate: linear(`${p}.mlp.gate_proj`, C, I, false),
      up: linear(`${p}.mlp.up_proj`, C, I, false),
      down: linear(`${p}.mlp.down_proj`, I, C, false),
    });
  }
  const norm = param('model.norm.weight', [C], 'norm');
  const lmHead = config.tie_word_embeddings ? embed : param('lm_head.weight', [V, C], 'weight');
  return { embed, layers, norm, lmHead };
}

/** Names HF checkpoints may carry that the model does not use. */
function ignorable(name: string, config: ModelConfig): boolean {
  return name.endsWith('.rotary_emb.inv_freq') || (config.tie_word_embeddings && name === 'lm_head.weight');
}

/** Uses the arrays of `weights` as they are (no copy). Throws InputError on a missing/extra/misshaped tensor. */
export function paramsFromWeights(config: ModelConfig, weights: Map<string, Float32Array>): ModelParams {
  const used = new Set<string>();
  const params = buildParams(config, (name, shape) => {
    const data = weights.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!data) {
      throw new InputError(`weight "${name}" is missing`, undefined, {
        hint: 'the checkpoint does not match config.json (architecture, layers, attention_bias?)',
      });
    }
    if (data.length !== size) {
      throw new InputError(`weight "${name}" has ${data.length} values, expected [${shape.join(', ')}]`);
    }
    used.add(name);
    return data;
  });
  for (const name of weights.keys()) {
    if (!used.has(name) && !ignorable(name, config)) {
      throw new InputError(`weight "${name}" is not part of a ${config.architecture} model`, undefined, {
        hint: 'merge or drop adapters before loading, and check config.json',
      });
    }
  }
  return params;
}

/** Seeded init: weights normal(0, 0.02), norms 1, biases 0. */
export function randomParams(config: ModelConfig, seed: number): ModelParams {
  const rng = new Rng(seed);
  return buildParams(config, (_name, shape, kind) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (kind === 'weight') rng.fillNormal(data, 0.02);
    else if (kind === 'norm') data.fill(1);
    return data;
  });
}

/** Every parameter once, in HF order; LoRA A/B follow their module. */
export function listParameters(params: ModelParams): Parameter[] {
  const out: Parameter[] = [params.embed];
  const addLinear = (m: LinearModule) => {
    out.push(m.weight);
    if (m.bias) out.push(m.bias);
    if (m.lora) out.push(m.lora.A, m.lora.B);
  };
  for (const layer of params.layers) {
    out.push(layer.ln1);
    for (const m of [layer.q, layer.k, layer.v, layer.o]) addLinear(m);
    out.push(layer.ln2);
    for (const m of [layer.gate, layer.up, layer.down]) addLinear(m);
  }
  out.push(params.norm);
  if (params.lmHead !== params.embed) out.push(params.lmHead);
  return out;
}
