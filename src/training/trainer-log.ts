/**
 * trainer_log.jsonl in LLaMA-Factory's LogCallback shape: one JSON object per line with
 * current_steps, total_steps, loss, lr, epoch, percentage, elapsed_time, remaining_time (times as
 * Python's str(timedelta(seconds=int(x))), e.g. "0:01:05"); eval lines carry eval_loss instead of
 * loss/lr; DPO lines add LLaMA-Factory's `accuracy` (= rewards/accuracies) plus TRL's
 * rewards/… and logps/… metrics (eval lines prefix them with eval_). Absent values are omitted.
 * Does not: decide when to log.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileWriteFailure } from '../core/errors.js';

export const TRAINER_LOG = 'trainer_log.jsonl';

export interface LogEntry {
  current_steps: number;
  total_steps: number;
  loss?: number;
  eval_loss?: number;
  accuracy?: number;
  lr?: number;
  epoch: number;
  percentage: number;
  elapsed_time: string;
  remaining_time: string;
  [metric: string]: number | string | undefined;
}

/** Python's str(timedelta(seconds=int(s))): "H:MM:SS", or "N day(s), H:MM:SS". */
export function timedelta(seconds: number): string {
  let s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}

export interface Timing {
  step: number;
  total: number;
  /** Seconds since this process started training. */
  elapsed: number;
  /** Steps done in this process (for the rate). */
  stepsThisRun: number;
}

export function baseEntry(t: Timing, epoch: number): LogEntry {
  const perStep = t.stepsThisRun > 0 ? t.elapsed / t.stepsThisRun : 0;
  return {
    current_steps: t.step,
    total_steps: t.total,
    epoch: Math.round(epoch * 1e4) / 1e4,
    percentage: t.total > 0 ? Math.round((t.step / t.total) * 10000) / 100 : 100,
    elapsed_time: timedelta(t.elapsed),
    remaining_time: timedelta((t.total - t.step) * perStep),
  };
}

/** Key order as LLaMA-Factory writes it, extra metrics after. */
const ORDER = ['current_steps', 'total_steps', 'loss', 'eval_loss', 'accuracy', 'lr', 'epoch', 'percentage'];

export function orderEntry(entry: LogEntry): LogEntry {
  const out: Record<string, unknown> = {};
  for (const k of ORDER) if (entry[k] !== undefined) out[k] = entry[k];
  for (const k of ['elapsed_time', 'remaining_time']) out[k] = entry[k];
  for (const [k, v] of Object.entries(entry)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as LogEntry;
}

export class TrainerLog {
  readonly path: string;

  constructor(outputDir: string) {
    this.path = join(outputDir, TRAINER_LOG);
  }

  /** Start empty (fresh run), or keep only lines up to `step` (resume after a crash past the checkpoint). */
  async reset(keepUpToStep?: number): Promise<void> {
    try {
      await this.resetUnguarded(keepUpToStep);
    } catch (error) {
      throw fileWriteFailure(this.path, error, 'the last checkpoint is untouched');
    }
  }

  private async resetUnguarded(keepUpToStep?: number): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true });
    if (keepUpToStep === undefined) {
      await writeFile(this.path, '');
      return;
    }
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const kept = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((line) => {
        try {
          return (JSON.parse(line) as LogEntry).current_steps <= keepUpToStep;
        } catch {
          return false;
        }
      });
    await writeFile(this.path, kept.map((l) => `${l}\n`).join(''));
  }

  /** Append one line; a full disk becomes E_DISK_FULL (checkpoints are written separately, atomically). */
  async append(entry: LogEntry): Promise<void> {
    try {
      await appendFile(this.path, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      throw fileWriteFailure(this.path, error, 'the last checkpoint is untouched');
    }
  }
}
