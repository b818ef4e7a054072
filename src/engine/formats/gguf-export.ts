/**
 * Export kefu models and LoRA adapters as GGUF files llama.cpp (and node-llama-cpp, Ollama) load.
 *
 * `exportGguf` maps HF tensor names onto llama.cpp's (token_embd, blk.N.attn_q …, output_norm,
 * output), writes the `{arch}.*` hyper-parameters and gpt2-style BPE tokenizer metadata. For the
 * `llama` architecture llama.cpp applies rope to adjacent pairs, while HF rotates halves, so q/k
 * rows are permuted exactly as convert_hf_to_gguf.py's `permute` does; `qwen2` uses NEOX rope
 * (halves) and needs none. `exportLoraGguf` writes an adapter GGUF (`general.type = adapter`)
 * whose `.lora_a` is PEFT's lora_A [r, in] and `.lora_b` is lora_B [out, r]; for llama q/k the
 * rows of lora_B get the same permutation (as convert_lora_to_gguf.py does), lora_A is unchanged.
 * Does not quantize and does not write sentencepiece (`llama`-model) tokenizers.
 */
import { InputError } from '../../core/errors.js';
import type { ModelConfig } from '../contracts.js';
import { type GgufTensorInput, GgufType, type GgufValue, gguf, writeGguf } from './gguf.js';
import { expectedWeightShapes } from './hf-checkpoint.js';

/** gpt2-style (byte-level BPE) tokenizer metadata, as llama.cpp reads it. */
export interface GgufTokenizer {
  model: 'gpt2';
  /** Pre-tokenizer name ("default", "qwen2", "llama-bpe" …). */
  pre: string;
  tokens: string[];
  /** llama.cpp token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. */
  token_type: number[];
  /** "a b" pairs, highest priority first. */
  merges: string[];
  bos_token_id?: number;
  eos_token_id?: number;
  padding_token_id?: number;
  add_bos_token?: boolean;
}

export interface ExportGgufOptions {
  config: ModelConfig;
  weights: ReadonlyMap<string, Float32Array>;
  tokenizer: GgufTokenizer;
  /** Jinja chat template stored as `tokenizer.chat_template`. */
  chatTemplate?: string;
  /** `general.name`. Defaults to "kefu". */
  name?: string;
  /** Storage type of matrices; norms and biases stay F32. Defaults to "F32". */
  fileType?: 'F32' | 'F16';
}

const LAYER_NAMES: Record<string, string> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.q_proj.bias': 'attn_q.bias',
  'self_attn.k_proj.bias': 'attn_k.bias',
  'self_attn.v_proj.bias': 'attn_v.bias',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

/** llama.cpp's name for an HF tensor name, or undefined when it has none. */
export function ggufTensorName(hfName: string): string | undefined {
  if (hfName === 'model.embed_tokens.weight') return 'token_embd.weight';
  if (hfName === 'model.norm.weight') return 'output_norm.weight';
  if (hfName === 'lm_head.weight') return 'output.weight';
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(hfName);
  const suffix = m ? LAYER_NAMES[m[2]!] : undefined;
  return suffix ? `blk.${m![1]}.${suffix}` : undefined;
}

/**
 * convert_hf_to_gguf.py `permute`: rows viewed as (n_head, 2, head_dim/2) are reordered to
 * (n_head, head_dim/2, 2), turning HF's rotate-half layout into ggml's adjacent-pair rope layout.
 * Works for weights [rows, cols] and biases (cols = 1).
 */
export function permuteRows(data: Float32Array, rows: number, nHead: number): Float32Array {
  const cols = data.length / rows;
  const headDim = rows / nHead;
  const half = headDim / 2;
  const out = new Float32Array(data.length);
  for (let h = 0; h < nHead; h++) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const from = (h * headDim + j * half + i) * cols;
        const to = (h * headDim + i * 2 + j) * cols;
        out.set(data.subarray(from, from + cols), to);
      }
    }
  }
  return out;
}

/** Heads whose rows a q/k tensor holds under the llama arch, or 0 when no permutation applies. */
function permuteHeads(config: ModelConfig, hfName: string): number {
  if (config.architecture !== 'llama') return 0;
  if (/\.self_attn\.q_proj\.(weight|bias)$/.test(hfName)) return config.num_attention_heads;
  if (/\.self_attn\.k_proj\.(weight|bias)$/.test(hfName)) return config.num_key_value_heads;
  return 0;
}

function hyperParameters(config: ModelConfig): [string, GgufValue][] {
  const a = config.architecture;
  return [
    [`${a}.context_length`, gguf.u32(config.max_position_embeddings)],
    [`${a}.embedding_length`, gguf.u32(config.hidden_size)],
    [`${a}.block_count`, gguf.u32(config.num_hidden_layers)],
    [`${a}.feed_forward_length`, gguf.u32(config.intermediate_size)],
    [`${a}.rope.dimension_count`, gguf.u32(config.hidden_size / config.num_attention_heads)],
    [`${a}.attention.head_count`, gguf.u32(config.num_attention_heads)],
    [`${a}.attention.head_count_kv`, gguf.u32(config.num_key_value_heads)],
    [`${a}.attention.layer_norm_rms_epsilon`, gguf.f32(config.rms_norm_eps)],
    [`${a}.rope.freq_base`, gguf.f32(config.rope_theta)],
    [`${a}.vocab_size`, gguf.u32(config.vocab_size)],
  ];
}

function tokenizerKv(config: ModelConfig, tok: GgufTokenizer, file: string): [string, GgufValue][] {
  if (tok.tokens.length !== tok.token_type.length) {
    throw new InputError('tokenizer tokens and token_type differ in length', { file, field: 'tokenizer' });
  }
  if (tok.tokens.length > config.vocab_size) {
    throw new InputError(`tokenizer has ${tok.tokens.length} tokens, the model only ${config.vocab_size}`, {
      file,
      field: 'tokenizer.ggml.tokens',
    });
  }
  // Pad as convert_hf_to_gguf.py does when the embedding has spare rows.
  const tokens = [...tok.tokens];
  const types = [...tok.token_type];
  for (let i = tokens.length; i < config.vocab_size; i++) {
    tokens.push(`[PAD${i}]`);
    types.push(5);
  }
  const kv: [string, GgufValue][] = [
    ['tokenizer.ggml.model', gguf.str(tok.model)],
    ['tokenizer.ggml.pre', gguf.str(tok.pre)],
    ['tokenizer.ggml.tokens', gguf.array(GgufType.STRING, tokens)],
    ['tokenizer.ggml.token_type', gguf.array(GgufType.INT32, types)],
    ['tokenizer.ggml.merges', gguf.array(GgufType.STRING, tok.merges)],
  ];
  for (const key of ['bos_token_id', 'eos_token_id', 'padding_token_id'] as const) {
    const id = tok[key];
    if (id === undefined) continue;
    if (!Number.isInteger(id) || id < 0 || id >= tokens.length) {
      throw new InputError(`${key} ${id} is outside the vocabulary`, {
        file,
        field: `tokenizer.ggml.${key}`,
      });
    }
    kv.push([`tokenizer.ggml.${key}`, gguf.u32(id)]);
  }
  if (tok.add_bos_token !== undefined)
    kv.push(['tokenizer.ggml.add_bos_token', gguf.bool(tok.add_bos_token)]);
  return kv;
}

/** Write a full model GGUF at `path`, atomically. */
export async function exportGguf(path: string, options: ExportGgufOptions): Promise<void> {
  const { config, weights } = options;
  const fileType = options.fileType ?? 'F32';
  const kv: [string, GgufValue][] = [
    ['general.architecture', gguf.str(config.architecture)],
    ['general.type', gguf.str('model')],
    ['general.name', gguf.str(options.name ?? 'kefu')],
    ['general.file_type', gguf.u32(fileType === 'F16' ? 1 : 0)],
    ['general.alignment', gguf.u32(32)],
    ...hyperParameters(config),
    ...tokenizerKv(config, options.tokenizer, path),
  ];
  if (options.chatTemplate !== undefined)
    kv.push(['tokenizer.chat_template', gguf.str(options.chatTemplate)]);
  const tensors: GgufTensorInput[] = [];
  for (const [hfName, shape] of expectedWeightShapes(config)) {
    const data = weights.get(hfName);
    const count = shape.reduce((x, y) => x * y, 1);
    if (!data || data.length !== count) {
      throw new InputError(`weight "${hfName}" is missing or not ${count} values`, {
        file: path,
        field: hfName,
      });
    }
    const heads = permuteHeads(config, hfName);
    tensors.push({
      name: ggufTensorName(hfName)!,
      shape,
      data: heads ? permuteRows(data, shape[0]!, heads) : data,
      type: shape.length === 2 ? fileType : 'F32',
    });
  }
  await writeGguf(path, kv, tensors);
}

export interface ExportLoraGgufOptions {
  /** The base model's config (architecture and shapes). */
  config: ModelConfig;
  /** kefu / PEFT names without the PEFT prefix: "model.layers.0.self_attn.q_proj.lora_A.weight". */
  lora: ReadonlyMap<string, Float32Array>;
  alpha: number;
  rank: number;
  name?: string;
}

/** Write a LoRA adapter GGUF at `path`, atomically. llama.cpp scales it by alpha / rank. */
export async function exportLoraGguf(path: string, options: ExportLoraGgufOptions): Promise<void> {
  const { config, lora, rank } = options;
  const shapes = expectedWeightShapes(config);
  const tensors: GgufTensorInput[] = [];
  const bases = new Set<string>();
  for (const name of lora.keys()) {
    const m = /^(.+)\.lora_[AB]\.weight$/.exec(name);
    if (!m) throw new InputError(`not a LoRA weight name: "${name}"`, { file: path, field: name });
    bases.add(m[1]!);
  }
  for (const base of [...bases].sort()) {
    const baseName = `${base}.weight`;
    const baseShape = shapes.get(baseName);
    const ggufName = ggufTensorName(baseName);
    if (baseShape?.length !== 2 || !ggufName) {
      throw new InputError(`LoRA targets "${baseName}", which the model does not have`, {
        file: path,
        field: base,
      });
    }
    const [nOut, nIn] = baseShape as [number, number];
    const a = lora.get(`${base}.lora_A.weight`);
    const b = lora.get(`${base}.lora_B.weight`);
    if (!a || a.length !== rank * nIn) {
      throw new InputError(`"${base}.lora_A.weight" missing or not [${rank}, ${nIn}]`, {
        file: path,
        field: base,
      });
    }
    if (!b || b.length !== nOut * rank) {
      throw new InputError(`"${base}.lora_B.weight" missing or not [${nOut}, ${rank}]`, {
        file: path,
        field: base,
      });
    }
    const heads = permuteHeads(config, baseName);
    tensors.push({ name: `${ggufName}.lora_a`, shape: [rank, nIn], data: a });
    tensors.push({
      name: `${ggufName}.lora_b`,
      shape: [nOut, rank],
      data: heads ? permuteRows(b, nOut, heads) : b,
    });
  }
  const kv: [string, GgufValue][] = [
    ['general.architecture', gguf.str(config.architecture)],
    ['general.type', gguf.str('adapter')],
    ['general.name', gguf.str(options.name ?? 'kefu-lora')],
    ['general.file_type', gguf.u32(0)],
    ['general.alignment', gguf.u32(32)],
    ['adapter.type', gguf.str('lora')],
    ['adapter.lora.alpha', gguf.f32(options.alpha)],
  ];
  await writeGguf(path, kv, tensors);
}
