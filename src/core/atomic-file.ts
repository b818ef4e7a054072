/**
 * Atomic file output: write to a temporary sibling, fsync, then rename over the target, so a
 * reader sees either the old file or the complete new one, never half of it. `AtomicDir` does the
 * same for a set of files: they appear together when `commit()` is called, or not at all.
 * A failed write (full disk, quota, I/O error) removes the temp file / staging folder and throws
 * `fileWriteFailure` (E_DISK_FULL or E_WRITE, naming the path); the old file stays as it was.
 * Writes go through a `WriteIo` (node:fs by default) so tests can inject a failing disk.
 * Does not lock: two writers of the same path race, and the last rename wins.
 */
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileWriteFailure } from './errors.js';

/** The part of a node:fs/promises FileHandle the atomic writers use. */
export interface WritableHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Opens files for writing; the seam tests use to simulate a full or failing disk. */
export interface WriteIo {
  open(path: string): Promise<WritableHandle>;
}

export const nodeWriteIo: WriteIo = { open: (path) => open(path, 'w') };

export function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** Write all of `data`, looping over short writes. */
export async function writeFully(handle: WritableHandle, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.byteLength) {
    const { bytesWritten } = await handle.write(data, written, data.byteLength - written);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    written += bytesWritten;
  }
}

/**
 * Write `chunks` to a temp sibling of `path` through `io`, fsync, and rename it over `path`.
 * On any failure the temp file is removed and a fileWriteFailure naming `path` is thrown.
 */
export async function writeChunksToPath(
  path: string,
  chunks: Iterable<Uint8Array>,
  io: WriteIo = nodeWriteIo,
  note?: string,
): Promise<void> {
  const temp = tempSibling(path);
  let handle: WritableHandle | undefined;
  try {
    await mkdir(dirname(path), { recursive: true });
    handle = await io.open(temp);
    for (const chunk of chunks) await writeFully(handle, chunk);
    await handle.sync();
    const closing = handle;
    handle = undefined;
    await closing.close();
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileWriteFailure(path, error, note);
  }
}

/** Write `data` to `path` atomically, creating parent folders. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  io: WriteIo = nodeWriteIo,
): Promise<void> {
  await writeChunksToPath(path, [typeof data === 'string' ? Buffer.from(data, 'utf8') : data], io);
}

/** Buffered text is flushed to the temp file once it reaches this many bytes. */
const FLUSH_BYTES = 1 << 16;

/** A stream into a temp file that becomes `path` on `commit()` and vanishes on `abort()`. */
export class AtomicWriteStream {
  readonly path: string;
  private readonly temp: string;
  private readonly handle: WritableHandle;
  private pending: string[] = [];
  private pendingBytes = 0;
  private finished = false;

  private constructor(path: string, temp: string, handle: WritableHandle) {
    this.path = path;
    this.temp = temp;
    this.handle = handle;
  }

  static async open(path: string, io: WriteIo = nodeWriteIo): Promise<AtomicWriteStream> {
    const temp = tempSibling(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      return new AtomicWriteStream(path, temp, await io.open(temp));
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw fileWriteFailure(path, error);
    }
  }

  /** Buffer a chunk; flushes (and waits) once the buffer is full, so memory stays bounded. */
  async write(chunk: string): Promise<void> {
    if (this.finished) throw fileWriteFailure(this.path, new Error('the stream is already closed'));
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    try {
      await writeFully(this.handle, data);
    } catch (error) {
      await this.abort();
      throw fileWriteFailure(this.path, error);
    }
  }

  async commit(): Promise<void> {
    if (this.finished) return;
    await this.flush();
    try {
      await this.handle.sync();
      await this.handle.close();
      await rename(this.temp, this.path);
    } catch (error) {
      await this.abort();
      throw fileWriteFailure(this.path, error);
    }
    this.finished = true;
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.pending = [];
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true }).catch(() => undefined);
  }
}

/**
 * A folder of outputs that appears at `target` all at once. Files are written into a staging
 * folder beside it; `commit()` moves each into place (replacing older ones), `abort()` removes
 * the staging folder. Use for multi-file outputs such as a cleaned dataset with its audit file.
 * A failing commit removes the staging folder and throws a fileWriteFailure.
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
    try {
      await mkdir(staging, { recursive: true });
    } catch (error) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw fileWriteFailure(target, error);
    }
    return new AtomicDir(target, staging);
  }

  /** Path inside the staging folder for a relative output name. */
  file(name: string): string {
    return join(this.staging, name);
  }

  async commit(): Promise<void> {
    let current = this.target;
    try {
      await mkdir(this.target, { recursive: true });
      for (const entry of await readdir(this.staging, { recursive: true })) {
        const from = join(this.staging, entry);
        if ((await stat(from)).isDirectory()) continue;
        current = join(this.target, entry);
        await mkdir(dirname(current), { recursive: true });
        await rename(from, current);
      }
    } catch (error) {
      await this.abort().catch(() => undefined);
      throw fileWriteFailure(current, error);
    }
    await rm(this.staging, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }
}
