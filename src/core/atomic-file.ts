/**
 * Atomic file output: write to a temporary sibling, fsync, then rename over the target, so a
 * reader sees either the old file or the complete new one, never half of it. `AtomicDir` does the
 * same for a set of files: they appear together when `commit()` is called, or not at all.
 * Does not lock: two writers of the same path race, and the last rename wins.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RuntimeFailure } from './errors.js';

function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** Write `data` to `path` atomically, creating parent folders. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempSibling(path);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new RuntimeFailure(`cannot write ${path}`, { cause: error });
  }
}

/** A stream into a temp file that becomes `path` on `commit()` and vanishes on `abort()`. */
export class AtomicWriteStream {
  readonly path: string;
  private readonly temp: string;
  private readonly stream: WriteStream;
  private finished = false;

  constructor(path: string) {
    this.path = path;
    this.temp = tempSibling(path);
    this.stream = createWriteStream(this.temp);
  }

  static async open(path: string): Promise<AtomicWriteStream> {
    await mkdir(dirname(path), { recursive: true });
    return new AtomicWriteStream(path);
  }

  /** Write a chunk, waiting for drain when the buffer is full (bounded memory). */
  async write(chunk: string): Promise<void> {
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (error: Error) => {
          this.stream.off('drain', onDrain);
          reject(error);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  private async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  async commit(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.close();
    await rename(this.temp, this.path);
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}

/**
 * A folder of outputs that appears at `target` all at once. Files are written into a staging
 * folder beside it; `commit()` moves each into place (replacing older ones), `abort()` removes
 * the staging folder. Use for multi-file outputs such as a cleaned dataset with its audit file.
 */
export class AtomicDir {
  readonly target: string;
  readonly staging: string;

  private constructor(target: string, staging: string) {
    this.target = target;
    this.staging = staging;
  }

  static async create(target: string): Promise<AtomicDir> {
    const staging = join(
      dirname(target),
      `.${basename(target)}.staging-${process.pid}-${Date.now().toString(36)}`,
    );
    await mkdir(staging, { recursive: true });
    return new AtomicDir(target, staging);
  }

  /** Path inside the staging folder for a relative output name. */
  file(name: string): string {
    return join(this.staging, name);
  }

  async commit(): Promise<void> {
    await mkdir(this.target, { recursive: true });
    for (const entry of await readdir(this.staging, { recursive: true })) {
      const from = join(this.staging, entry);
      if ((await stat(from)).isDirectory()) continue;
      const to = join(this.target, entry);
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
    }
    await rm(this.staging, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }
}
