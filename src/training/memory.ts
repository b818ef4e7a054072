/**
 * Out-of-memory guard for training: `estimateTrainingMemory` adds up, from the model config and
 * the recipe alone, the bytes a run will hold — weights, gradients and AdamW moments of the
 * trainable parameters, the activation buffers exactly as ../engine/model/activations.ts sizes
 * them for (batch, cutoff_len), attention / LoRA scratch, the lm_head logits chunk and, on a
 * resume, the checkpoint tensors read back — and the largest single typed array. `checkTrainingMemory` compares that with
 * what the process can get (physical memory, a cgroup limit, memory free now) and with the typed
 * array length limit, and throws E_OUT_OF_MEMORY before anything large is allocated.
 * Upper bound: the longest sequence and the larger of the train / eval batch are assumed.
 * Does not: allocate, or measure the memory actually used.
 */
import { constants as bufferConstants } from 'node:buffer';
import { freemem, totalmem } from 'node:os';
import { RuntimeFailure } from '../core/errors.js';
import type { ModelConfig } from '../engine/contracts.js';
import { ATTENTION_PROBS_BUDGET, lmHeadChunkRows } from '../engine/model/activations.js';
import { LINEAR_NAMES } from '../engine/model/params.js';
import type { Recipe } from './recipe.js';

export type MemoryRecipe = Pick<
  Recipe,
  | 'stage'
  | 'per_device_train_batch_size'
  | 'per_device_eval_batch_size'
  | 'cutoff_len'
  | 'lora_rank'
  | 'lora_target'
  | 'lora_dropout'
>;

export interface MemoryEstimate {
  /** Total bytes, the sum of `parts`. */
  bytes: number;
  /** Bytes by kind: weights, gradients, optimizer, activations, logits, scratch, checkpoint. */
  parts: Record<string, number>;
  /** The largest single typed array the run allocates, in elements. */
  largest: { what: string; elements: number };
  /** Rows (sequences) and tokens per sequence the activations are sized for. */
  rows: number;
  seqLen: number;
}

const F32 = 4;

/** Bytes a run of `recipe` on a model of `config` needs at its peak (a tight upper bound). */
export function estimateTrainingMemory(
  config: ModelConfig,
  recipe: MemoryRecipe,
  options: { lora: boolean; resuming?: boolean },
): MemoryEstimate {
  const C = config.hidden_size;
  const V = config.vocab_size;
  const I = config.intermediate_size;
  const L = config.num_hidden_layers;
  const NH = config.num_attention_heads;
  const KV = config.num_key_value_heads;
  const hd = C / NH;
  const QC = NH * hd;
  const KC = KV * hd;
  const linears: Record<string, [inF: number, outF: number]> = {
    q_proj: [C, QC],
    k_proj: [C, KC],
    v_proj: [C, KC],
    o_proj: [QC, C],
    gate_proj: [C, I],
    up_proj: [C, I],
    down_proj: [I, C],
  };
  const perLayer =
    2 * C +
    Object.values(linears).reduce((n, [i, o]) => n + i * o, 0) +
    (config.attention_bias ? QC + 2 * KC : 0);
  const base = V * C * (config.tie_word_embeddings ? 1 : 2) + L * perLayer + C;

  const pairs = recipe.stage === 'dpo' ? 2 : 1; // DPO runs chosen and rejected rows together
  const B = Math.max(recipe.per_device_train_batch_size, recipe.per_device_eval_batch_size) * pairs;
  const T = recipe.cutoff_len;
  const N = B * T;

  // LoRA adapters: A (r, in) and B (out, r) per target, plus their saved activations
  const targets = options.lora ? recipe.lora_target.split(',').map((t) => t.trim()) : [];
  const names = targets.includes('all') ? [...LINEAR_NAMES] : targets.filter((t) => t in linears);
  const r = recipe.lora_rank;
  let loraParams = 0;
  let loraActs = 0;
  let loraBytes = 0;
  let widestIn = 0;
  for (const name of names) {
    const [inF, outF] = linears[name]!;
    loraParams += L * r * (inF + outF);
    loraActs += L * 2 * N * r; // u and du
    if (recipe.lora_dropout > 0) {
      loraActs += L * 2 * N * inF; // dropout(x) and its gradient
      loraBytes += L * N * inF; // the Uint8 dropout mask
      widestIn = Math.max(widestIn, inF);
    }
  }
  const trainable = options.lora ? loraParams : base;

  // activations.ts: per layer what backward needs, then the shared buffers and gradient scratch
  const probs = N * NH * T;
  const keepProbs = probs * L <= ATTENTION_PROBS_BUDGET;
  const layer = 4 * N * C + 2 * N + 2 * N * QC + 2 * N * KC + N * NH + 4 * N * I + (keepProbs ? probs : 0);
  const shared = 4 * N * C + 3 * N + 3 * N * QC + 3 * N * KC + 3 * N * I;
  const chunkRows = lmHeadChunkRows(V, N);
  // attention-matmul scratch for one KV head (G query heads × T rows), RoPE tables, LoRA groups
  const R = (NH / KV) * T;
  const attention = 3 * R * hd + 4 * T * hd + 2 * R * T;
  const groupRank = options.lora ? 3 * r : 0;
  const groups = 2 * groupRank * Math.max(C, I) + N * groupRank;
  const scratch = attention + T * hd + groups;

  const parts: Record<string, number> = {
    weights: (base + loraParams) * F32,
    gradients: trainable * F32,
    optimizer: 2 * trainable * F32,
    activations: (L * layer + shared + loraActs) * F32 + loraBytes,
    logits: chunkRows * V * F32,
    scratch: scratch * F32 + 8 * N * 4, // + token / target / logprob copies per batch
    // a resume reads the saved params and moments (3 × trainable) before restoring them;
    // saving streams tensor by tensor and needs nothing extra
    checkpoint: options.resuming ? 3 * trainable * F32 : 0,
  };
  const candidates: [string, number][] = [
    ['embedding matrix', V * C],
    ['largest weight matrix', Math.max(C * QC, C * I)],
    ['MLP activation buffer (batch × cutoff_len × intermediate_size)', N * I],
    ['residual activation buffer (batch × cutoff_len × hidden_size)', N * C],
    ['lm_head logits chunk', chunkRows * V],
    ['attention score scratch', R * T],
    ['LoRA dropout buffer', N * widestIn],
  ];
  const largest = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  const bytes = Object.values(parts).reduce((a, b) => a + b, 0);
  return { bytes, parts, largest: { what: largest[0], elements: largest[1] }, rows: B, seqLen: T };
}

/** What this process can use; each field overridable for tests. */
export interface MemorySystem {
  /** Physical memory (os.totalmem). */
  total: number;
  /** Memory free for new allocations now (process.availableMemory, else os.freemem). */
  free: number;
  /** A cgroup / container limit (process.constrainedMemory), or undefined. */
  limit?: number;
  /** Most elements one typed array may have (buffer.constants.MAX_LENGTH). */
  maxArrayLength: number;
}

export function currentMemorySystem(): MemorySystem {
  const proc = process as { constrainedMemory?: () => number | undefined; availableMemory?: () => number };
  const total = totalmem();
  const limit = proc.constrainedMemory?.();
  const free = proc.availableMemory?.() ?? freemem();
  return {
    total,
    free: free > 0 ? free : freemem(),
    ...(limit && limit > 0 && limit < total ? { limit } : {}),
    maxArrayLength: bufferConstants.MAX_LENGTH,
  };
}

export const formatBytes = (bytes: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
};

export interface CheckMemoryOptions {
  /** Bytes of the estimate that are already allocated (weights loaded before the check). */
  resident?: number;
  /** What the "model" is, for the hint ("new_model" for a model trained from scratch). */
  modelHint?: string;
  system?: MemorySystem;
}

/** Throws a RuntimeFailure E_OUT_OF_MEMORY when `estimate` cannot fit this process. */
export function checkTrainingMemory(
  estimate: MemoryEstimate,
  recipe: MemoryRecipe & Pick<Recipe, 'finetuning_type'>,
  options: CheckMemoryOptions = {},
): void {
  const system = options.system ?? currentMemorySystem();
  const ceiling = Math.min(system.total, system.limit ?? Number.POSITIVE_INFINITY);
  const available = Math.min(ceiling, system.free + (options.resident ?? 0));
  const batch =
    recipe.per_device_eval_batch_size > recipe.per_device_train_batch_size
      ? `per_device_eval_batch_size (${recipe.per_device_eval_batch_size})`
      : `per_device_train_batch_size (${recipe.per_device_train_batch_size})`;
  const smaller = options.modelHint ?? 'a smaller model';
  const p = estimate.parts;
  const fixed = (p.weights ?? 0) + (p.gradients ?? 0) + (p.optimizer ?? 0) + (p.checkpoint ?? 0);
  const orLora =
    recipe.finetuning_type === 'full' && recipe.stage !== 'pt' ? ', or use finetuning_type: lora' : '';
  const hintFor = (modelTooBig: boolean) =>
    modelTooBig
      ? `the model alone does not fit: use ${smaller}${orLora}`
      : `lower ${batch} or cutoff_len (${recipe.cutoff_len})${orLora}`;
  const details = {
    estimateBytes: estimate.bytes,
    availableBytes: available,
    parts: estimate.parts,
    largest: estimate.largest,
  };
  if (estimate.bytes > available) {
    const breakdown = Object.entries(p)
      .filter(([, bytes]) => bytes >= estimate.bytes / 100)
      .map(([name, bytes]) => `${name} ${formatBytes(bytes)}`)
      .join(', ');
    throw new RuntimeFailure(
      `training needs about ${formatBytes(estimate.bytes)} of memory (${breakdown}) for ` +
        `${estimate.rows} sequences of ${estimate.seqLen} tokens, but only ${formatBytes(available)} ` +
        `is available (${formatBytes(ceiling)} in all)`,
      { code: 'E_OUT_OF_MEMORY', hint: hintFor(fixed > available), details },
    );
  }
  if (estimate.largest.elements > system.maxArrayLength) {
    throw new RuntimeFailure(
      `training would need one array of ${estimate.largest.elements.toLocaleString('en')} values ` +
        `(the ${estimate.largest.what}), more than the ${system.maxArrayLength.toLocaleString('en')} ` +
        `a typed array can hold in Node ${process.versions.node}`,
      { code: 'E_OUT_OF_MEMORY', hint: hintFor(/matrix/.test(estimate.largest.what)), details },
    );
  }
}

/** estimateTrainingMemory + checkTrainingMemory; returns the estimate when it fits. */
export function assertTrainingFits(
  config: ModelConfig,
  recipe: MemoryRecipe & Pick<Recipe, 'finetuning_type'>,
  options: CheckMemoryOptions & { lora: boolean; resuming?: boolean },
): MemoryEstimate {
  const estimate = estimateTrainingMemory(config, recipe, {
    lora: options.lora,
    ...(options.resuming ? { resuming: true } : {}),
  });
  checkTrainingMemory(estimate, recipe, options);
  return estimate;
}
