/**
 * The training loop: seeded epochs of micro-batches, gradient accumulation, global-norm
 * clipping, the HF learning-rate schedule and AdamW; validation every eval_steps and at the end;
 * trainer_log.jsonl lines; a progress bar (loss, tokens/s, ETA); checkpoints every save_steps, on
 * abort (after the current step) and at the end. DPO reference log-probs are computed once, with
 * the model as handed in (the SFT model), before any update, and travel in checkpoints.
 * A resumed run replays the identical loss curve. A NaN/Inf loss or gradient norm stops the run
 * with a RuntimeFailure naming the step; the last good checkpoint is left as it was.
 * Does not: load models, tokenizers or datasets (./run.ts does), or export adapters.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, RuntimeFailure } from '../core/errors.js';
import { type Progress, silentProgress } from '../core/progress.js';
import type { Example } from '../data/example.js';
import type { TextTokenizer, TrainableModel } from '../engine/contracts.js';
import {
  checkpointName,
  listCheckpoints,
  loadCheckpoint,
  pruneCheckpoints,
  type RunHashes,
  saveCheckpoint,
} from './checkpoint.js';
import { specialIds } from './encode.js';
import { DPO_METRIC_KEYS, type DpoMetrics } from './losses.js';
import {
  addMetrics,
  type EncodedSet,
  emptyMetrics,
  evaluateSet,
  type ReferenceLogps,
  referenceLogps,
  type StepResult,
  stepOf,
} from './objective.js';
import { AdamW, clipGradNorm, makeSchedule } from './optim.js';
import { StepPlan } from './plan.js';
import { checkpointTensors, encodeExamples, restore } from './prepare.js';
import type { Recipe } from './recipe.js';
import { baseEntry, type LogEntry, orderEntry, TrainerLog } from './trainer-log.js';

export interface TrainOptions {
  recipe: Recipe;
  model: TrainableModel;
  tokenizer: TextTokenizer;
  train: readonly Example[];
  validation?: readonly Example[];
  /** DPO: reference log-probs of `train` (aligned by index), to skip computing them. */
  referenceLogps?: ReferenceLogps;
  /** sha256 of data, tokenizer and base model; a resume with other hashes is refused. */
  hashes: RunHashes;
  progress?: Progress;
  signal?: AbortSignal;
  /** Defaults to recipe.output_dir. */
  outputDir?: string;
  onLog?: (entry: LogEntry) => void;
  /** Checkpoint folder or "latest"; defaults to recipe.resume_from_checkpoint. */
  resumeFrom?: string;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

export interface TrainResult {
  status: 'completed' | 'aborted';
  /** Optimizer steps done in total (including those before a resume). */
  step: number;
  totalSteps: number;
  /** Folder of the last checkpoint written. */
  checkpoint?: string;
  /** Loss of every step this call ran, in order. */
  losses: number[];
  log: LogEntry[];
  evalLoss?: number;
  /** Validation before the first step (with `eval_on_start`): loss and, for DPO, eval_* metrics. */
  initialEval?: { loss: number; metrics?: Record<string, number> };
}

/** Logging accumulators; saved in checkpoints so a resumed run logs the same averages. */
interface Accum {
  lossSum: number;
  steps: number;
  pairs: number;
  metrics: DpoMetrics;
}
const freshAccum = (): Accum => ({ lossSum: 0, steps: 0, pairs: 0, metrics: emptyMetrics() });

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { recipe, model, tokenizer, signal } = options;
  const outputDir = options.outputDir ?? recipe.output_dir;
  const now = options.now ?? (() => performance.now());
  const progress = options.progress ?? silentProgress;
  const data = encodeExamples(recipe, tokenizer, options.train);
  const validation = options.validation?.length
    ? encodeExamples(recipe, tokenizer, options.validation)
    : undefined;
  if (data.items.length === 0)
    throw new InputError('there are no training examples', undefined, { hint: 'check the dataset' });
  const { padId } = specialIds(tokenizer);
  const plan = new StepPlan({
    examples: data.items.length,
    batchSize: recipe.per_device_train_batch_size,
    accumulation: recipe.gradient_accumulation_steps,
    epochs: recipe.num_train_epochs,
    maxSteps: recipe.max_steps,
    seed: recipe.seed,
  });
  const total = plan.totalSteps;
  const schedule = makeSchedule(recipe.lr_scheduler_type, recipe.learning_rate, total, recipe.warmup_ratio);
  const optimizer = new AdamW({
    beta1: recipe.adam_beta1,
    beta2: recipe.adam_beta2,
    eps: recipe.adam_epsilon,
    weightDecay: recipe.weight_decay,
  });
  const params = model.trainableParameters();
  const log = new TrainerLog(outputDir);
  let accum = freshAccum();
  let startStep = 0;
  let reference = options.referenceLogps;
  let evalReference: ReferenceLogps | undefined;
  const resumeFrom = options.resumeFrom ?? recipe.resume_from_checkpoint;
  if (resumeFrom) {
    const checkpoint = await loadCheckpoint(resumeFrom, outputDir);
    const restored = restore(checkpoint, recipe, options.hashes, params, optimizer);
    reference = restored.reference ?? reference;
    evalReference = restored.evalReference;
    startStep = checkpoint.state.step;
    accum = { ...freshAccum(), ...(checkpoint.state.trainer.accum as Accum | undefined) };
    await log.reset(startStep);
  } else {
    const existing = await listCheckpoints(outputDir);
    if (existing.length > 0 && !recipe.overwrite_output_dir) {
      throw new InputError(
        'the output folder already holds checkpoints of another run',
        { file: outputDir },
        {
          hint: 'resume (resume_from_checkpoint: latest), pick another output_dir, or set overwrite_output_dir: true',
        },
      );
    }
    for (const step of existing)
      await rm(join(outputDir, checkpointName(step)), { recursive: true, force: true });
    await log.reset();
  }

  if (data.kind === 'pair' || validation?.kind === 'pair') {
    const refTask = progress.start(
      'reference log-probs',
      data.items.length + (validation?.items.length ?? 0),
      'pairs',
    );
    const compute = (set: EncodedSet) =>
      set.kind === 'pair'
        ? referenceLogps(model, set.items, recipe.per_device_eval_batch_size, padId, signal, (n) =>
            refTask.tick(n),
          )
        : undefined;
    if (reference && reference.chosen.length !== data.items.length) {
      throw new InputError(
        `referenceLogps has ${reference.chosen.length} pairs, the training set ${data.items.length}`,
      );
    }
    reference ??= compute(data);
    if (validation) evalReference ??= compute(validation);
    refTask.done();
    if (!reference || (validation && !evalReference)) {
      return { status: 'aborted', step: startStep, totalSteps: total, losses: [], log: [] };
    }
  }

  const dpoOptions = { beta: recipe.pref_beta, labelSmoothing: recipe.dpo_label_smoothing };
  const runStep = (micro: number[][]): StepResult =>
    stepOf(model, data, reference, micro, padId, dpoOptions, true);
  const evaluate = () =>
    evaluateSet(model, validation!, evalReference, recipe.per_device_eval_batch_size, padId, dpoOptions);

  const started = now();
  const entries: LogEntry[] = [];
  const losses: number[] = [];
  const timing = (step: number) => ({
    step,
    total,
    elapsed: (now() - started) / 1000,
    stepsThisRun: step - startStep,
  });
  const emit = async (entry: LogEntry) => {
    const ordered = orderEntry(entry);
    entries.push(ordered);
    await log.append(ordered);
    options.onLog?.(ordered);
  };
  let lastCheckpoint: string | undefined;
  const save = async (step: number) => {
    const state = {
      format: 'kefu-checkpoint' as const,
      version: 1,
      step,
      totalSteps: total,
      optimizerStep: optimizer.state.step,
      rng: { seed: recipe.seed, epoch: plan.epochOf(Math.max(0, step - 1)), state: plan.rngState },
      trainer: { accum },
      recipe: recipe as unknown as Record<string, unknown>,
      hashes: options.hashes,
    };
    lastCheckpoint = await saveCheckpoint(
      outputDir,
      state,
      checkpointTensors(params, optimizer, reference, evalReference),
    );
    if (recipe.save_total_limit) await pruneCheckpoints(outputDir, recipe.save_total_limit);
  };
  const evalSteps = recipe.eval_steps ?? recipe.logging_steps;
  let evalLoss: number | undefined;
  let lastEvalStep = -1;
  const runEval = async (step: number) => {
    const { loss, metrics } = evaluate();
    evalLoss = loss;
    lastEvalStep = step;
    const entry: LogEntry = { ...baseEntry(timing(step), plan.epochProgress(step - 1)), eval_loss: loss };
    if (step === 0) entry.epoch = 0;
    if (metrics) for (const k of DPO_METRIC_KEYS) entry[`eval_${k}`] = metrics[k];
    await emit(entry);
  };

  let initialEval: { loss: number; metrics?: Record<string, number> } | undefined;
  if (recipe.eval_on_start && startStep === 0 && validation) {
    await runEval(0);
    initialEval = { loss: evalLoss! };
    const metrics = entries.at(-1);
    if (metrics) {
      initialEval.metrics = Object.fromEntries(
        Object.entries(metrics).filter(
          (e): e is [string, number] => e[0].startsWith('eval_') && typeof e[1] === 'number',
        ),
      );
    }
  }
  const task = progress.start(recipe.stage === 'dpo' ? 'dpo' : recipe.stage, total - startStep, 'steps');
  let tokensThisRun = 0;
  let step = startStep;
  while (step < total) {
    if (signal?.aborted) break;
    model.zeroGrad();
    const result = runStep(plan.microBatches(step));
    const diverged = async (what: string) => {
      const keep =
        lastCheckpoint ?? ((await listCheckpoints(outputDir)).length > 0 ? 'the last checkpoint' : undefined);
      return new RuntimeFailure(`training diverged: ${what} at step ${step + 1} of ${total}`, {
        code: 'E_DIVERGED',
        hint: `lower learning_rate or check the data; ${keep ? `${keep} is intact` : 'no checkpoint was saved yet'}`,
        details: { step: step + 1 },
      });
    };
    if (!Number.isFinite(result.loss)) throw await diverged(`the loss is ${result.loss}`);
    const norm = clipGradNorm(params, recipe.max_grad_norm);
    if (!Number.isFinite(norm)) throw await diverged(`the gradient norm is ${norm}`);
    optimizer.step(params, schedule.lr(step));
    step++;
    losses.push(result.loss);
    tokensThisRun += result.tokens;
    accum.lossSum += result.loss;
    accum.steps++;
    if (result.metricSums) {
      addMetrics(accum.metrics, result.metricSums);
      accum.pairs += result.pairs;
    }
    const t = timing(step);
    task.tick(
      1,
      `loss ${result.loss.toFixed(4)} · ${Math.round(tokensThisRun / Math.max(t.elapsed, 1e-9))} tok/s`,
    );
    if (step % recipe.logging_steps === 0 || step === total) {
      const entry: LogEntry = {
        ...baseEntry(t, plan.epochProgress(step - 1)),
        loss: accum.lossSum / accum.steps,
      };
      entry.lr = schedule.lr(step); // as HF: the rate after scheduler.step(), i.e. the next step's
      if (accum.pairs > 0) {
        const m = accum.metrics;
        entry.accuracy = m['rewards/accuracies'] / accum.pairs;
        for (const k of DPO_METRIC_KEYS) entry[k] = m[k] / accum.pairs;
      }
      await emit(entry);
      accum = freshAccum();
    }
    const evalDue =
      (recipe.eval_strategy === 'steps' && step % evalSteps === 0) ||
      (recipe.eval_strategy === 'epoch' && step % plan.stepsPerEpoch === 0);
    if (validation && evalDue) await runEval(step);
    if (step % recipe.save_steps === 0 && step < total) await save(step);
  }
  const aborted = step < total;
  if (!aborted && validation && recipe.eval_strategy !== 'no' && lastEvalStep !== step) await runEval(step);
  await save(step);
  task.done(aborted ? 'aborted' : undefined);
  const out: TrainResult = {
    status: aborted ? 'aborted' : 'completed',
    step,
    totalSteps: total,
    losses,
    log: entries,
  };
  if (lastCheckpoint) out.checkpoint = lastCheckpoint;
  if (evalLoss !== undefined) out.evalLoss = evalLoss;
  if (initialEval) out.initialEval = initialEval;
  return out;
}
