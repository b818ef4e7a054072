/**
 * `kefu train` end to end: build or load the model named by a recipe, attach LoRA or unfreeze it,
 * train through `runTraining`, and write what LLaMA-Factory writes into output_dir: a PEFT adapter
 * (adapter_config.json + adapter_model.safetensors) for LoRA, or a full HF model folder
 * (config.json + model.safetensors + tokenizer files) for `full` and for `pt`.
 *   - `model_name_or_path: scratch` + stage pt: trains a byte-level BPE tokenizer on the datasets
 *     and starts from a random model of `new_model`'s size (kefu's own base model).
 *   - `adapter_name_or_path`: a PEFT adapter merged into the base first (SFT before DPO), so the
 *     DPO reference is the SFT model.
 * Does not: parse flags or print (the CLI does), or export GGUF (`kefu export`).
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { ModelConfig } from '../engine/contracts.js';
import { mergeAdapterWeights } from '../engine/export/export-model.js';
import { loadHfCheckpoint, saveHfCheckpoint } from '../engine/formats/hf-checkpoint.js';
import { loadPeftAdapter, savePeftAdapter } from '../engine/formats/peft.js';
import { getKernels } from '../engine/kernels/index.js';
import { Transformer } from '../engine/model/transformer.js';
import {
  type BpeTokenizer,
  loadTokenizerJson,
  saveTokenizerConfig,
  saveTokenizerJson,
  trainBpe,
} from '../engine/tokenizer/index.js';
import { pretrainText } from './encode.js';
import { assertTrainingFits } from './memory.js';
import { loraAlpha, loraTargets, type Recipe } from './recipe.js';
import { loadTrainingData, runTraining } from './run.js';
import type { TrainResult } from './trainer.js';
import type { LogEntry } from './trainer-log.js';

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];

export interface PreparedModel {
  model: Transformer;
  tokenizer: BpeTokenizer;
  modelHash: string;
  tokenizerHash: string;
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

function weightsHash(weights: ReadonlyMap<string, Float32Array>): string {
  const hash = createHash('sha256');
  for (const name of [...weights.keys()].sort()) {
    const data = weights.get(name)!;
    hash.update(name);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

async function newBase(recipe: Recipe, baseDir: string, progress?: Progress): Promise<PreparedModel> {
  const size = recipe.new_model ?? {
    architecture: 'qwen2' as const,
    vocab_size: 4000,
    hidden_size: 128,
    intermediate_size: 352,
    num_hidden_layers: 4,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 512,
  };
  assertTrainingFits(
    {
      ...size,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      tie_word_embeddings: true,
      attention_bias: size.architecture === 'qwen2',
    },
    recipe,
    { lora: false, modelHint: 'a smaller new_model' },
  );
  const data = await loadTrainingData(recipe, baseDir);
  const texts = [...data.train, ...data.validation].map(pretrainText);
  const tokenizer = trainBpe(texts, {
    vocabSize: size.vocab_size,
    specialTokens: SPECIAL_TOKENS,
    eosToken: '<|im_end|>',
    padToken: '<|endoftext|>',
    ...(progress ? { progress } : {}),
  });
  const config: ModelConfig = {
    architecture: size.architecture,
    vocab_size: tokenizer.vocabSize,
    hidden_size: size.hidden_size,
    intermediate_size: size.intermediate_size,
    num_hidden_layers: size.num_hidden_layers,
    num_attention_heads: size.num_attention_heads,
    num_key_value_heads: size.num_key_value_heads,
    max_position_embeddings: size.max_position_embeddings,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    tie_word_embeddings: true,
    attention_bias: size.architecture === 'qwen2',
    eos_token_id: tokenizer.eosId,
  };
  const model = Transformer.random(config, recipe.seed, { kernels: getKernels() });
  const tokenizerHash = sha256(JSON.stringify(tokenizer.model));
  return {
    model,
    tokenizer,
    tokenizerHash,
    modelHash: sha256('scratch', JSON.stringify(config), String(recipe.seed)),
  };
}

/** The model and tokenizer a recipe starts from, with adapters merged and hashes computed. */
export async function prepareModel(
  recipe: Recipe,
  baseDir: string,
  progress?: Progress,
): Promise<PreparedModel> {
  if (recipe.model_name_or_path === 'scratch') return newBase(recipe, baseDir, progress);
  const dir = isAbsolute(recipe.model_name_or_path)
    ? recipe.model_name_or_path
    : resolve(baseDir, recipe.model_name_or_path);
  const checkpoint = await loadHfCheckpoint(dir);
  const tokenizerPath = checkpoint.tokenizerJsonPath ?? join(dir, 'tokenizer.json');
  const tokenizer = await loadTokenizerJson(tokenizerPath);
  const tokenizerHash = sha256(await readFile(tokenizerPath));
  if (recipe.adapter_name_or_path) {
    const adapterDir = resolve(baseDir, recipe.adapter_name_or_path);
    checkpoint.weights = mergeAdapterWeights(checkpoint.weights, await loadPeftAdapter(adapterDir));
  }
  const modelHash = weightsHash(checkpoint.weights);
  const model = new Transformer(checkpoint.config, checkpoint.weights, { kernels: getKernels() });
  return { model, tokenizer, tokenizerHash, modelHash };
}

export interface TrainRecipeOptions {
  recipe: Recipe;
  /** Folder relative paths in the recipe are resolved against. */
  baseDir: string;
  progress?: Progress;
  signal?: AbortSignal;
  onLog?: (entry: LogEntry) => void;
  resumeFrom?: string;
}

export interface TrainRecipeResult extends TrainResult {
  outputDir: string;
  /** What was written for outside tools: "peft-adapter" or "hf-model" (absent when aborted). */
  saved?: 'peft-adapter' | 'hf-model';
}

export async function trainRecipe(options: TrainRecipeOptions): Promise<TrainRecipeResult> {
  const { recipe, baseDir } = options;
  const prepared = await prepareModel(recipe, baseDir, options.progress);
  const { model, tokenizer } = prepared;
  if (recipe.cutoff_len > model.config.max_position_embeddings) {
    throw new ConfigError(
      `cutoff_len ${recipe.cutoff_len} is longer than the model's context (${model.config.max_position_embeddings})`,
      { file: 'recipe', field: 'cutoff_len' },
      { hint: `set cutoff_len to at most ${model.config.max_position_embeddings}` },
    );
  }
  const lora = recipe.finetuning_type === 'lora' && recipe.stage !== 'pt';
  const resident = model.parameters().reduce((n, p) => n + p.data.byteLength, 0);
  const resuming = Boolean(options.resumeFrom ?? recipe.resume_from_checkpoint);
  assertTrainingFits(model.config, recipe, { lora, resident, resuming });
  if (lora) {
    model.addLora(
      {
        rank: recipe.lora_rank,
        alpha: loraAlpha(recipe),
        dropout: recipe.lora_dropout,
        targets: loraTargets(recipe),
      },
      recipe.seed,
    );
    model.setTrainable('lora');
  } else model.setTrainable('all');
  const result = await runTraining({
    recipe,
    model,
    tokenizer,
    tokenizerHash: prepared.tokenizerHash,
    modelHash: prepared.modelHash,
    baseDir,
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  if (result.status !== 'completed') return result;
  const { outputDir } = result;
  if (recipe.finetuning_type === 'lora' && recipe.stage !== 'pt') {
    const lora = new Map(model.trainableParameters().map((p) => [p.name, p.data] as const));
    await savePeftAdapter(outputDir, {
      lora,
      loraConfig: {
        rank: recipe.lora_rank,
        alpha: loraAlpha(recipe),
        dropout: recipe.lora_dropout,
        targets: loraTargets(recipe),
      },
      baseModelName: recipe.model_name_or_path,
    });
    await saveTokenizerJson(tokenizer, join(outputDir, 'tokenizer.json'));
    await saveTokenizerConfig(tokenizer, join(outputDir, 'tokenizer_config.json'));
    return { ...result, saved: 'peft-adapter' };
  }
  const weights = new Map(model.parameters().map((p) => [p.name, p.data] as const));
  const staging = join(outputDir, '.tokenizer');
  await saveTokenizerJson(tokenizer, join(staging, 'tokenizer.json'));
  await saveTokenizerConfig(tokenizer, join(staging, 'tokenizer_config.json'));
  await saveHfCheckpoint(outputDir, model.config, weights, {
    tokenizerFiles: [join(staging, 'tokenizer.json'), join(staging, 'tokenizer_config.json')],
  });
  await rm(staging, { recursive: true, force: true });
  return { ...result, saved: 'hf-model' };
}
