/**
 * Hugging Face checkpoint folders for Llama / Qwen2 causal LMs: config.json + model.safetensors
 * (or shards behind model.safetensors.index.json), optionally tokenizer files beside them.
 *
 * `loadHfCheckpoint` maps config.json onto kefu's `ModelConfig`, checks that every expected weight
 * is present with the right shape, and returns float32 weights under their HF names.
 * `saveHfCheckpoint` writes the same layout (float32, `torch_dtype: "float32"`) through an
 * `AtomicDir`, so transformers / PEFT / LLaMA-Factory load it. Does not handle rope scaling,
 * sliding-window attention or architectures other than LlamaForCausalLM / Qwen2ForCausalLM.
 */
import { copyFile, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AtomicDir, writeFileAtomic } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';
import type { ModelConfig } from '../contracts.js';
import { readSafetensors, readShardedSafetensors, type Tensor, writeSafetensors } from './safetensors.js';

const ARCHITECTURES = { llama: 'LlamaForCausalLM', qwen2: 'Qwen2ForCausalLM' } as const;

/** Every weight a model of `config` has, by HF name, with its row-major shape. */
export function expectedWeightShapes(config: ModelConfig): Map<string, number[]> {
  const C = config.hidden_size;
  const headDim = C / config.num_attention_heads;
  const kvDim = headDim * config.num_key_value_heads;
  const FF = config.intermediate_size;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [config.vocab_size, C]]]);
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `model.layers.${l}`;
    shapes.set(`${p}.input_layernorm.weight`, [C]);
    shapes.set(`${p}.self_attn.q_proj.weight`, [C, C]);
    shapes.set(`${p}.self_attn.k_proj.weight`, [kvDim, C]);
    shapes.set(`${p}.self_attn.v_proj.weight`, [kvDim, C]);
    if (config.attention_bias) {
      shapes.set(`${p}.self_attn.q_proj.bias`, [C]);
      shapes.set(`${p}.self_attn.k_proj.bias`, [kvDim]);
      shapes.set(`${p}.self_attn.v_proj.bias`, [kvDim]);
    }
    shapes.set(`${p}.self_attn.o_proj.weight`, [C, C]);
    shapes.set(`${p}.post_attention_layernorm.weight`, [C]);
    shapes.set(`${p}.mlp.gate_proj.weight`, [FF, C]);
    shapes.set(`${p}.mlp.up_proj.weight`, [FF, C]);
    shapes.set(`${p}.mlp.down_proj.weight`, [C, FF]);
  }
  shapes.set('model.norm.weight', [C]);
  if (!config.tie_word_embeddings) shapes.set('lm_head.weight', [config.vocab_size, C]);
  return shapes;
}

/** Map an HF config.json object onto ModelConfig; `file` names config.json in errors. */
export function parseHfConfig(json: unknown, file: string): ModelConfig {
  if (typeof json !== 'object' || json === null)
    throw new InputError('config is not a JSON object', { file });
  const raw = json as Record<string, unknown>;
  const arches = Array.isArray(raw.architectures) ? raw.architectures : [];
  const modelType = raw.model_type;
  let architecture: ModelConfig['architecture'];
  if (arches.includes('LlamaForCausalLM') || modelType === 'llama') architecture = 'llama';
  else if (arches.includes('Qwen2ForCausalLM') || modelType === 'qwen2') architecture = 'qwen2';
  else {
    throw new InputError(
      `unsupported architecture ${JSON.stringify(raw.architectures ?? modelType)}`,
      {
        file,
        field: 'architectures',
      },
      { hint: 'kefu loads LlamaForCausalLM and Qwen2ForCausalLM checkpoints' },
    );
  }
  const int = (field: string, fallback?: number): number => {
    const v = raw[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw new InputError(`expected a positive integer, got ${JSON.stringify(v)}`, { file, field });
    }
    return v;
  };
  const num = (field: string, fallback: number): number => {
    const v = raw[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new InputError(`expected a positive number, got ${JSON.stringify(v)}`, { file, field });
    }
    return v;
  };
  const tokenId = (field: string): number | undefined => {
    const v = Array.isArray(raw[field]) ? (raw[field] as unknown[])[0] : raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new InputError(`expected a token id, got ${JSON.stringify(raw[field])}`, { file, field });
    }
    return v;
  };
  const heads = int('num_attention_heads');
  const config: ModelConfig = {
    architecture,
    vocab_size: int('vocab_size'),
    hidden_size: int('hidden_size'),
    intermediate_size: int('intermediate_size'),
    num_hidden_layers: int('num_hidden_layers'),
    num_attention_heads: heads,
    num_key_value_heads: int('num_key_value_heads', heads),
    max_position_embeddings: int('max_position_embeddings', 2048),
    rms_norm_eps: num('rms_norm_eps', 1e-6),
    rope_theta: num('rope_theta', 10000),
    tie_word_embeddings: raw.tie_word_embeddings === true,
    attention_bias: architecture === 'qwen2' ? true : raw.attention_bias === true,
  };
  const bos = tokenId('bos_token_id');
  const eos = tokenId('eos_token_id');
  if (bos !== undefined) config.bos_token_id = bos;
  if (eos !== undefined) config.eos_token_id = eos;
  if (config.hidden_size % heads !== 0 || (config.hidden_size / heads) % 2 !== 0) {
    throw new InputError('hidden_size must be a multiple of 2 × num_attention_heads', {
      file,
      field: 'hidden_size',
    });
  }
  if (heads % config.num_key_value_heads !== 0) {
    throw new InputError('num_attention_heads must be a multiple of num_key_value_heads', {
      file,
      field: 'num_key_value_heads',
    });
  }
  if (typeof raw.head_dim === 'number' && raw.head_dim !== config.hidden_size / heads) {
    throw new InputError('head_dim other than hidden_size / num_attention_heads is not supported', {
      file,
      field: 'head_dim',
    });
  }
  if (raw.rope_scaling !== undefined && raw.rope_scaling !== null) {
    throw new InputError('rope_scaling is not supported', { file, field: 'rope_scaling' });
  }
  if (raw.mlp_bias === true) throw new InputError('mlp_bias is not supported', { file, field: 'mlp_bias' });
  return config;
}

/** HF config.json contents for `config`. */
export function toHfConfig(config: ModelConfig): Record<string, unknown> {
  const common = {
    architectures: [ARCHITECTURES[config.architecture]],
    model_type: config.architecture,
    vocab_size: config.vocab_size,
    hidden_size: config.hidden_size,
    intermediate_size: config.intermediate_size,
    num_hidden_layers: config.num_hidden_layers,
    num_attention_heads: config.num_attention_heads,
    num_key_value_heads: config.num_key_value_heads,
    max_position_embeddings: config.max_position_embeddings,
    rms_norm_eps: config.rms_norm_eps,
    rope_theta: config.rope_theta,
    rope_scaling: null,
    tie_word_embeddings: config.tie_word_embeddings,
    hidden_act: 'silu',
    initializer_range: 0.02,
    attention_dropout: 0.0,
    use_cache: true,
    torch_dtype: 'float32',
    ...(config.bos_token_id !== undefined ? { bos_token_id: config.bos_token_id } : {}),
    ...(config.eos_token_id !== undefined ? { eos_token_id: config.eos_token_id } : {}),
  };
  if (config.architecture === 'qwen2') {
    if (!config.attention_bias)
      throw new InputError('qwen2 models always have attention_bias', { file: 'config.json' });
    return {
      ...common,
      use_sliding_window: false,
      sliding_window: null,
      max_window_layers: config.num_hidden_layers,
    };
  }
  return {
    ...common,
    attention_bias: config.attention_bias,
    mlp_bias: false,
    pretraining_tp: 1,
    head_dim: config.hidden_size / config.num_attention_heads,
  };
}

export interface HfCheckpoint {
  config: ModelConfig;
  weights: Map<string, Float32Array>;
  /** tokenizer.json beside the weights, when present. */
  tokenizerJsonPath?: string;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Load an HF Llama / Qwen2 checkpoint folder. */
export async function loadHfCheckpoint(dir: string): Promise<HfCheckpoint> {
  const configPath = join(dir, 'config.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw new InputError('cannot read config.json', { file: configPath }, { cause: error });
  }
  const config = parseHfConfig(json, configPath);
  const expected = expectedWeightShapes(config);
  const wanted = (name: string) => expected.has(name);
  const single = join(dir, 'model.safetensors');
  const index = join(dir, 'model.safetensors.index.json');
  let tensors: Map<string, Tensor>;
  let source: string;
  if (await exists(single)) {
    tensors = (await readSafetensors(single, { filter: wanted })).tensors;
    source = single;
  } else if (await exists(index)) {
    tensors = await readShardedSafetensors(index, { filter: wanted });
    source = index;
  } else {
    throw new InputError(
      'no model.safetensors or model.safetensors.index.json',
      { file: dir },
      {
        hint: 'save the model with safe_serialization=True (the transformers default)',
      },
    );
  }
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of expected) {
    const tensor = tensors.get(name);
    if (!tensor) throw new InputError(`missing weight "${name}"`, { file: source, field: name });
    if (tensor.shape.join(',') !== shape.join(',')) {
      throw new InputError(`weight "${name}" has shape [${tensor.shape}], config.json implies [${shape}]`, {
        file: source,
        field: name,
      });
    }
    weights.set(name, tensor.data);
  }
  const tokenizerJsonPath = join(dir, 'tokenizer.json');
  return { config, weights, ...((await exists(tokenizerJsonPath)) ? { tokenizerJsonPath } : {}) };
}

export interface SaveHfCheckpointOptions {
  /** Files copied into the folder under their base names (tokenizer.json, tokenizer_config.json …). */
  tokenizerFiles?: string[];
  /** Extra JSON files to write, by name (generation_config.json …). */
  extraJson?: Record<string, unknown>;
}

/** Write config.json + model.safetensors (+ tokenizer files) into `dir`, all at once. */
export async function saveHfCheckpoint(
  dir: string,
  config: ModelConfig,
  weights: ReadonlyMap<string, Float32Array>,
  options: SaveHfCheckpointOptions = {},
): Promise<void> {
  const expected = expectedWeightShapes(config);
  const tensors = [];
  for (const [name, shape] of expected) {
    const data = weights.get(name);
    const count = shape.reduce((a, b) => a * b, 1);
    if (!data || data.length !== count) {
      throw new InputError(`weight "${name}" is missing or not ${count} values`, { file: dir, field: name });
    }
    tensors.push({ name, shape, data });
  }
  const out = await AtomicDir.create(dir);
  try {
    await writeFileAtomic(out.file('config.json'), `${JSON.stringify(toHfConfig(config), null, 2)}\n`);
    await writeSafetensors(out.file('model.safetensors'), tensors, { format: 'pt' });
    for (const [name, value] of Object.entries(options.extraJson ?? {})) {
      await writeFileAtomic(out.file(name), `${JSON.stringify(value, null, 2)}\n`);
    }
    for (const file of options.tokenizerFiles ?? []) await copyFile(file, out.file(basename(file)));
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}
