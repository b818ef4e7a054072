import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, RuntimeFailure } from '../core/errors.js';
import { loadCheckpoint } from './checkpoint.js';
import { BigramModel } from './test-helpers/bigram-model.js';
import { CharTokenizer } from './test-helpers/char-tokenizer.js';
import { HASHES, preferenceExamples, recipe, sftExamples, tempDir } from './test-helpers/toy-data.js';
import { train } from './trainer.js';
import type { LogEntry } from './trainer-log.js';

const tokenizer = new CharTokenizer();
const model = (options: { nanAfter?: number } = {}) =>
  new BigramModel({ vocabSize: tokenizer.vocabSize, seed: 7, ...options });

function readLog(dir: string): LogEntry[] {
  return readFileSync(join(dir, 'trainer_log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogEntry);
}

describe('train (sft)', () => {
  it('lowers the loss and writes LLaMA-Factory trainer_log.jsonl lines', async () => {
    const dir = tempDir();
    const result = await train({
      recipe: recipe({ num_train_epochs: 5, eval_steps: 5, learning_rate: 0.3 }),
      model: model(),
      tokenizer,
      train: sftExamples(8),
      validation: sftExamples(4),
      hashes: HASHES,
      outputDir: dir,
    });
    expect(result.status).toBe('completed');
    expect(result.totalSteps).toBe(20);
    expect(result.losses).toHaveLength(20);
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]! * 0.6);
    const lines = readLog(dir);
    const trainLines = lines.filter((l) => l.loss !== undefined);
    expect(trainLines).toHaveLength(20);
    const first = trainLines[0]!;
    expect(Object.keys(first)).toEqual([
      'current_steps',
      'total_steps',
      'loss',
      'lr',
      'epoch',
      'percentage',
      'elapsed_time',
      'remaining_time',
    ]);
    expect(first.current_steps).toBe(1);
    expect(first.total_steps).toBe(20);
    expect(first.epoch).toBe(0.25);
    expect(first.percentage).toBe(5);
    expect(first.elapsed_time).toMatch(/^\d+:\d\d:\d\d$/);
    expect(trainLines.at(-1)!.percentage).toBe(100);
    const evals = lines.filter((l) => l.eval_loss !== undefined);
    expect(evals.map((l) => l.current_steps)).toEqual([5, 10, 15, 20]);
    expect(evals.at(-1)!.eval_loss!).toBeLessThan(evals[0]!.eval_loss!);
    expect(result.evalLoss).toBe(evals.at(-1)!.eval_loss);
    expect(existsSync(join(dir, 'checkpoint-20', 'ckpt.bin'))).toBe(true);
  });

  it('refuses to start afresh over another run unless overwrite_output_dir', async () => {
    const dir = tempDir();
    const base = { model: model(), tokenizer, train: sftExamples(4), hashes: HASHES, outputDir: dir };
    await train({ ...base, recipe: recipe({ max_steps: 1 }) });
    await expect(train({ ...base, recipe: recipe({ max_steps: 1 }) })).rejects.toThrow(InputError);
    await expect(
      train({ ...base, recipe: recipe({ max_steps: 1, overwrite_output_dir: true }) }),
    ).resolves.toMatchObject({
      status: 'completed',
    });
  });
});

describe('train (dpo)', () => {
  it('drives rewards/accuracies to 1 with growing margins', async () => {
    const dir = tempDir();
    const logs: LogEntry[] = [];
    const result = await train({
      recipe: recipe({
        stage: 'dpo',
        learning_rate: 0.02,
        num_train_epochs: 6,
        pref_beta: 0.1,
        warmup_ratio: 0,
      }),
      model: model(),
      tokenizer,
      train: preferenceExamples(6),
      hashes: HASHES,
      outputDir: dir,
      onLog: (e) => logs.push(e),
    });
    expect(result.status).toBe('completed');
    const first = logs[0]!;
    const last = logs.at(-1)!;
    for (const key of [
      'rewards/chosen',
      'rewards/rejected',
      'rewards/accuracies',
      'rewards/margins',
      'logps/chosen',
      'logps/rejected',
    ]) {
      expect(typeof first[key]).toBe('number');
    }
    expect(first.accuracy).toBe(first['rewards/accuracies']);
    // the first step runs with the reference model itself: zero rewards, loss log 2
    expect(first['rewards/margins']).toBeCloseTo(0, 6);
    expect(first.loss).toBeCloseTo(Math.log(2), 5);
    expect(last['rewards/accuracies']).toBe(1);
    expect(last['rewards/margins'] as number).toBeGreaterThan(0.5);
    expect(last.loss!).toBeLessThan(first.loss!);
  });
});

describe('checkpoints and resume', () => {
  const base = (dir: string, overrides = {}) => ({
    recipe: recipe({
      save_steps: 3,
      gradient_accumulation_steps: 2,
      per_device_train_batch_size: 1,
      ...overrides,
    }),
    tokenizer,
    train: sftExamples(6),
    hashes: HASHES,
    outputDir: dir,
  });

  it('abort saves a checkpoint and resuming reproduces the uninterrupted loss curve exactly', async () => {
    const full = await train({ ...base(tempDir()), model: model() });
    expect(full.losses).toHaveLength(9);

    const dir = tempDir();
    const controller = new AbortController();
    const first = await train({
      ...base(dir),
      model: model(),
      signal: controller.signal,
      onLog: (e) => {
        if (e.current_steps === 4) controller.abort();
      },
    });
    expect(first.status).toBe('aborted');
    expect(first.step).toBe(4);
    expect(first.checkpoint).toBe(join(dir, 'checkpoint-4'));
    expect((await loadCheckpoint('latest', dir)).state.step).toBe(4);

    const second = await train({ ...base(dir), model: model(), resumeFrom: 'latest' });
    expect(second.status).toBe('completed');
    expect([...first.losses, ...second.losses]).toEqual(full.losses);
    expect(readLog(dir).map((l) => l.loss)).toEqual(full.log.map((l) => l.loss));
  });

  it('resumes DPO with the cached reference log-probs', async () => {
    const opts = (dir: string) => ({
      recipe: recipe({ stage: 'dpo', learning_rate: 0.02, save_steps: 2 }),
      tokenizer,
      train: preferenceExamples(6),
      hashes: HASHES,
      outputDir: dir,
    });
    const full = await train({ ...opts(tempDir()), model: model() });
    const dir = tempDir();
    const controller = new AbortController();
    const first = await train({
      ...opts(dir),
      model: model(),
      signal: controller.signal,
      onLog: (e) => e.current_steps === 5 && controller.abort(),
    });
    const second = await train({ ...opts(dir), model: model(), resumeFrom: 'latest' });
    expect([...first.losses, ...second.losses]).toEqual(full.losses);
  });

  it('refuses to resume with different data', async () => {
    const dir = tempDir();
    await train({ ...base(dir, { max_steps: 3 }), model: model() });
    const other = { ...HASHES, data: 'e'.repeat(64) };
    const attempt = train({
      ...base(dir, { max_steps: 3 }),
      hashes: other,
      model: model(),
      resumeFrom: 'latest',
    });
    await expect(attempt).rejects.toThrow(/cannot resume: the data differs/);
    await expect(attempt).rejects.toMatchObject({ code: 'E_RESUME_MISMATCH' });
  });

  it('stops on a NaN loss naming the step and keeps the last good checkpoint', async () => {
    const dir = tempDir();
    const bad = model({ nanAfter: 8 }); // 2 forwards per step: steps 1-4 fine, step 5 NaN
    const attempt = train({ ...base(dir), model: bad });
    await expect(attempt).rejects.toThrow(RuntimeFailure);
    await expect(attempt).rejects.toThrow(/the loss is NaN at step 5 of 9/);
    const saved = await loadCheckpoint('latest', dir);
    expect(saved.state.step).toBe(3);
    expect(Number.isFinite(saved.tensors.get('param/lm_head.weight')!.data[0]!)).toBe(true);
  });
});
