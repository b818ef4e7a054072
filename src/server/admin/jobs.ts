/**
 * Long admin jobs as child processes of the kefu CLI, exactly the commands a person would type:
 * `kefu --workspace <root> --config <recipe> train` and `kefu --workspace <root> eval …`. The
 * job's stdout and stderr go to `runs/jobs/<id>.log`; a training job also names the recipe's
 * `output_dir`, whose trainer_log.jsonl `followJob` tails (LLaMA-Factory's log format).
 * Does not: train or evaluate in the server process (a crash or OOM there stays in the child).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../../core/errors.js';

export type JobKind = 'train' | 'eval';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: JobKind;
  argv: string[];
  status: JobStatus;
  pid?: number;
  exitCode?: number | null;
  startedAt: string;
  endedAt?: string;
  /** The job's stdout + stderr. */
  outputFile: string;
  /** trainer_log.jsonl of a training job. */
  trainerLog?: string;
}

export interface JobRunnerOptions {
  /** Workspace root (the child's cwd and --workspace). */
  root: string;
  /** How to start the CLI, e.g. [process.execPath, '/path/to/bin/kefu.js']. */
  cli: string[];
}

export class JobRunner {
  private readonly jobs = new Map<string, { info: JobInfo; child: ChildProcess; done: Promise<void> }>();

  constructor(private readonly options: JobRunnerOptions) {}

  start(kind: JobKind, args: string[], extra: { trainerLog?: string } = {}): JobInfo {
    const id = `job_${randomUUID().slice(0, 8)}`;
    const dir = join(this.options.root, 'runs', 'jobs');
    mkdirSync(dir, { recursive: true });
    const outputFile = join(dir, `${id}.log`);
    const [command, ...prefix] = this.options.cli;
    const argv = [...prefix, '--workspace', this.options.root, ...args];
    const child = spawn(command!, argv, { cwd: this.options.root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = createWriteStream(outputFile);
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    const info: JobInfo = {
      id,
      kind,
      argv: [command!, ...argv],
      status: 'running',
      ...(child.pid !== undefined ? { pid: child.pid } : {}),
      startedAt: new Date().toISOString(),
      outputFile,
      ...(extra.trainerLog ? { trainerLog: extra.trainerLog } : {}),
    };
    const done = new Promise<void>((resolve) => {
      const finish = (code: number | null, failed: boolean) => {
        if (info.endedAt) return;
        info.exitCode = code;
        info.endedAt = new Date().toISOString();
        if (info.status === 'running') info.status = !failed && code === 0 ? 'succeeded' : 'failed';
        out.end(() => resolve());
      };
      child.on('error', (error) => {
        out.write(`error: ${error.message}\n`);
        finish(null, true);
      });
      child.on('close', (code) => finish(code, false));
    });
    this.jobs.set(id, { info, child, done });
    return info;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => j.info).reverse();
  }

  get(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new NotFoundError(`no job ${id}`, { hint: 'GET /admin/jobs lists them' });
    return job.info;
  }

  /** Resolves when the job has ended. */
  wait(id: string): Promise<void> {
    this.get(id);
    return this.jobs.get(id)!.done;
  }

  cancel(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new NotFoundError(`no job ${id}`);
    if (job.info.status === 'running') {
      job.info.status = 'cancelled';
      job.child.kill('SIGINT');
    }
    return job.info;
  }

  /** SIGINT every running job (training saves a checkpoint) and wait up to `ms`. */
  async stopAll(ms: number): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.info.status === 'running');
    for (const job of running) this.cancel(job.info.id);
    await Promise.race([Promise.all(running.map((j) => j.done)), new Promise((r) => setTimeout(r, ms))]);
  }
}

/** Reads the lines appended to `file` since `offset` (a missing file is empty). */
export async function readNewLines(
  file: string,
  offset: number,
): Promise<{ lines: string[]; offset: number }> {
  if (!existsSync(file)) return { lines: [], offset };
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { lines: [], offset: size < offset ? 0 : offset };
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    const text = buffer.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return { lines: [], offset };
    return {
      lines: text.slice(0, end).split('\n').filter(Boolean),
      offset: offset + Buffer.byteLength(text.slice(0, end + 1)),
    };
  } finally {
    await handle.close();
  }
}
