/**
 * The quickstart's training stages on the committed base model (assets/base-model, made by
 * examples/train/pt_base.yaml): SFT with LoRA, then DPO on top of the merged SFT adapter, with the
 * seed's recipes from examples/train/. Quick mode trains on a subset for one epoch so the whole
 * quickstart stays within minutes; `full` runs the seed recipes unchanged (all data, 3 + 2 epochs).
 * Both validate before the first step, so the summary compares the trained model with its start.
 * Then the final model (base + SFT + DPO) is exported to GGUF in models/, so `kefu eval --variants
 * ablation` can compare kefu's engine with the same model through node-llama-cpp.
 * Does not print; returns the figures.
 */
import { cp, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Progress } from '../core/progress.js';
import { exportModel } from '../engine/export/export-model.js';
import { loadRecipe } from '../training/recipe.js';
import { type TrainRecipeResult, trainRecipe } from '../training/workflow.js';

const ROOT = new URL('../../', import.meta.url);
export const BASE_MODEL_DIR = fileURLToPath(new URL('assets/base-model/', ROOT));
const RECIPES = fileURLToPath(new URL('examples/train/', ROOT));

export interface TrainStageOptions {
  /** Workspace root: models/ and datasets/llamafactory/ live there. */
  root: string;
  /** Run the seed recipes unchanged instead of the quick subset. */
  full?: boolean;
  progress?: Progress;
  signal?: AbortSignal;
}

export interface StageFigures {
  steps: number;
  seconds: number;
  /** Validation before the first step and after the last. */
  before: Record<string, number>;
  after: Record<string, number>;
  outputDir: string;
}

const QUICK_SFT = ['max_samples=3000', 'num_train_epochs=1'];
const QUICK_DPO = ['num_train_epochs=1'];
const ALWAYS = ['eval_on_start=true', 'overwrite_output_dir=true', 'save_steps=100000', 'eval_steps=100000'];

function figures(result: TrainRecipeResult, seconds: number): StageFigures {
  const last = [...result.log].reverse().find((e) => e.eval_loss !== undefined) ?? {};
  const evalOf = (entry: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(entry).filter(
        (e): e is [string, number] => e[0].startsWith('eval_') && typeof e[1] === 'number',
      ),
    );
  return {
    steps: result.step,
    seconds,
    before: { eval_loss: result.initialEval?.loss ?? Number.NaN, ...(result.initialEval?.metrics ?? {}) },
    after: evalOf(last),
    outputDir: result.outputDir,
  };
}

/** Copy the committed base model into the workspace unless one is there already. */
export async function installBaseModel(root: string): Promise<string> {
  const target = `${root}/models/base`;
  const present = await stat(`${target}/model.safetensors`).then(
    () => true,
    () => false,
  );
  if (!present) await cp(BASE_MODEL_DIR, target, { recursive: true });
  return target;
}

async function runStage(file: string, quick: string[], options: TrainStageOptions): Promise<StageFigures> {
  const recipe = loadRecipe(`${RECIPES}${file}`, [...(options.full ? [] : quick), ...ALWAYS]);
  const started = performance.now();
  const result = await trainRecipe({
    recipe,
    baseDir: options.root,
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return figures(result, Math.round(performance.now() - started) / 1000);
}

export const trainSft = (options: TrainStageOptions) => runStage('sft_lora.yaml', QUICK_SFT, options);
export const trainDpo = (options: TrainStageOptions) => runStage('dpo_lora.yaml', QUICK_DPO, options);

export interface GgufStageResult {
  /** models/model.gguf: base + SFT + DPO merged, F32. */
  path: string;
  bytes: number;
  seconds: number;
  warnings: string[];
}

/**
 * Export the trained model to models/model.gguf: the SFT adapter merged into the base, then the
 * DPO adapter (trained on that merged model) merged on top, as one GGUF for node-llama-cpp. Built
 * in a scratch folder under models/ and moved into place, so a failure leaves no partial file.
 */
export async function exportGguf(root: string): Promise<GgufStageResult> {
  const models = join(root, 'models');
  const started = performance.now();
  const scratch = await mkdtemp(join(models, '.gguf-'));
  try {
    const sft = await exportModel({
      model: join(models, 'base'),
      adapter: join(models, 'sft'),
      outDir: join(scratch, 'sft'),
      formats: ['hf-merged'],
    });
    const final = await exportModel({
      model: join(scratch, 'sft', 'merged'),
      adapter: join(models, 'dpo'),
      outDir: join(scratch, 'final'),
      formats: ['gguf'],
      name: 'kefu-sft-dpo',
    });
    const path = join(models, 'model.gguf');
    await rename(join(scratch, 'final', 'model.gguf'), path);
    return {
      path,
      bytes: (await stat(path)).size,
      seconds: Math.round(performance.now() - started) / 1000,
      warnings: [...sft.warnings, ...final.warnings],
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
