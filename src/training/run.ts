/**
 * The entry the CLI calls (`kefu train`): resolve the recipe's datasets (file paths, or names in
 * dataset_dir/dataset_info.json), read them, refuse broken records, cap with max_samples, hold
 * out val_size for validation (seeded, stratified by task, via data/split), hash the data, then
 * train. The caller loads the model and tokenizer and supplies their sha256 hashes.
 * Does not: parse flags, load models or tokenizers, or export adapters.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import type { Example } from '../data/example.js';
import { readDatasetInfo } from '../data/io/dataset-info.js';
import { type ReadOptions, readAllExamples } from '../data/io/read.js';
import { splitExamples } from '../data/split.js';
import type { TextTokenizer, TrainableModel } from '../engine/contracts.js';
import { datasetNames, type Recipe } from './recipe.js';
import { type TrainResult, train } from './trainer.js';
import type { LogEntry } from './trainer-log.js';

export interface TrainingData {
  train: Example[];
  validation: Example[];
  /** sha256 over the content of the train and validation examples, in order. */
  dataHash: string;
}

/** sha256 of what training reads from examples (not ids or source locations). */
export function hashExamples(train: readonly Example[], validation: readonly Example[] = []): string {
  const hash = createHash('sha256');
  for (const [split, list] of [
    ['train', train],
    ['validation', validation],
  ] as const) {
    hash.update(`${split}\n`);
    for (const e of list) {
      const { kind, system, tools, messages, input, chosen, rejected } = e;
      hash.update(`${JSON.stringify({ kind, system, tools, messages, input, chosen, rejected })}\n`);
    }
  }
  return hash.digest('hex');
}

const exists = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Read the recipe's datasets relative to `baseDir` and split off validation. */
export async function loadTrainingData(recipe: Recipe, baseDir = process.cwd()): Promise<TrainingData> {
  const kind: Example['kind'] = recipe.stage === 'dpo' ? 'preference' : 'sft';
  const datasetDir = isAbsolute(recipe.dataset_dir)
    ? recipe.dataset_dir
    : resolve(baseDir, recipe.dataset_dir);
  let info: Awaited<ReturnType<typeof readDatasetInfo>> | undefined;
  const all: Example[] = [];
  for (const name of datasetNames(recipe)) {
    let file = resolve(baseDir, name);
    let read: ReadOptions = recipe.stage === 'pt' ? {} : { kind };
    if (!(await exists(file))) {
      info ??= await readDatasetInfo(datasetDir);
      const entry = info.datasets.find((d) => d.name === name);
      if (!entry) {
        throw new InputError(`dataset "${name}" is neither a file nor an entry of dataset_info.json`, {
          file: datasetDir,
          field: 'dataset',
        });
      }
      file = entry.file;
      read = entry.read;
    }
    const { examples, issues } = await readAllExamples(file, { ...read, assignIds: true });
    if (issues.length > 0) {
      const first = issues[0]!;
      throw new InputError(
        `${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : ''}`,
        { file: first.file, line: first.line, field: first.field },
        { hint: 'run `kefu data validate` and fix or clean the dataset first' },
      );
    }
    all.push(...(recipe.max_samples ? examples.slice(0, recipe.max_samples) : examples));
  }
  let trainSet = all;
  let validation: Example[] = [];
  if (recipe.val_size > 0) {
    const share =
      recipe.val_size < 1 ? recipe.val_size : Math.min(1, recipe.val_size / Math.max(1, all.length));
    const split = splitExamples(all, { train: 1 - share, validation: share, test: 0, seed: recipe.seed });
    trainSet = split.train;
    validation = split.validation;
  }
  return { train: trainSet, validation, dataHash: hashExamples(trainSet, validation) };
}

export interface RunTrainingOptions {
  recipe: Recipe;
  model: TrainableModel;
  tokenizer: TextTokenizer;
  /** sha256 of the tokenizer files and of the base model weights. */
  tokenizerHash: string;
  modelHash: string;
  /** Folder that relative dataset paths, dataset_dir and output_dir are resolved against. */
  baseDir?: string;
  /** Checkpoint folder or "latest"; defaults to the recipe's resume_from_checkpoint. */
  resumeFrom?: string;
  progress?: Progress;
  signal?: AbortSignal;
  onLog?: (entry: LogEntry) => void;
}

export async function runTraining(options: RunTrainingOptions): Promise<TrainResult & { outputDir: string }> {
  const { recipe } = options;
  const baseDir = options.baseDir ?? process.cwd();
  const data = await loadTrainingData(recipe, baseDir);
  const outputDir = isAbsolute(recipe.output_dir) ? recipe.output_dir : resolve(baseDir, recipe.output_dir);
  const result = await train({
    recipe,
    model: options.model,
    tokenizer: options.tokenizer,
    train: data.train,
    validation: data.validation,
    hashes: { data: data.dataHash, tokenizer: options.tokenizerHash, model: options.modelHash },
    outputDir,
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  return { ...result, outputDir };
}
