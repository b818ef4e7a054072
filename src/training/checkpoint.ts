/**
 * Training checkpoints. A checkpoint is a folder `checkpoint-<step>` holding
 *   ckpt.bin   — tensors in kefu's own small format: "KEFUCKPT" magic, u32 version, u32 header
 *                length, JSON header {tensors: [{name, dtype, shape, offset, bytes}], dataBytes},
 *                zero padding to 8 bytes, then the raw little-endian data; every length is
 *                checked on read. Written and read tensor by tensor, never as one buffer (a
 *                typed array holds at most 4 GiB on Node 20, readFile at most 2 GiB);
 *   state.json — step, optimizer step, RNG state, logging accumulators, the resolved recipe and
 *                the caller's sha256 hashes of data, tokenizer and base model.
 * Saving writes a hidden staging folder, fsyncs, then renames it into place, so the previous
 * checkpoint stays intact until the new one is complete; a full disk (E_DISK_FULL) or another
 * write error (E_WRITE) removes the staging folder and names the checkpoint still intact.
 * Does not: decide when to save, or export adapters (safetensors / PEFT export live elsewhere).
 */
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeWriteIo, type WriteIo, writeFully } from '../core/atomic-file.js';
import { fileWriteFailure, InputError } from '../core/errors.js';
import { BoundedFile } from '../engine/formats/binary-io.js';

const MAGIC = 'KEFUCKPT';
export const CKPT_VERSION = 1;

export type TensorData = Float32Array | Float64Array;

export interface NamedTensor {
  name: string;
  shape: number[];
  data: TensorData;
}

interface HeaderEntry {
  name: string;
  dtype: 'f32' | 'f64';
  shape: number[];
  offset: number;
  bytes: number;
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** The ckpt.bin layout as chunks (head, then each tensor's bytes with zero padding), no copies. */
export function tensorChunks(tensors: readonly NamedTensor[]): Uint8Array[] {
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    const dtype = t.data instanceof Float64Array ? 'f64' : 'f32';
    offset = pad8(offset);
    entries.push({ name: t.name, dtype, shape: t.shape, offset, bytes: t.data.byteLength });
    offset += t.data.byteLength;
  }
  const header = new TextEncoder().encode(JSON.stringify({ tensors: entries, dataBytes: offset }));
  const head = new Uint8Array(pad8(16 + header.length));
  head.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(head.buffer);
  view.setUint32(8, CKPT_VERSION, true);
  view.setUint32(12, header.length, true);
  head.set(header, 16);
  const chunks: Uint8Array[] = [head];
  let at = 0;
  for (const [i, t] of tensors.entries()) {
    const start = entries[i]!.offset;
    if (start > at) chunks.push(new Uint8Array(start - at));
    chunks.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    at = start + t.data.byteLength;
  }
  return chunks;
}

/** Serialize tensors into the ckpt.bin layout as one buffer (small checkpoints, tests). */
export function encodeTensors(tensors: readonly NamedTensor[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(tensorChunks(tensors)));
}

/** Random access to ckpt.bin bytes: in memory, or positional reads of the file. */
interface Source {
  size: number;
  read(position: number, length: number, what: string): Uint8Array;
  readInto(target: Uint8Array, position: number, what: string): void;
}

function decodeFrom(source: Source, file: string): Map<string, NamedTensor> {
  const bad = (why: string) =>
    new InputError(`not a usable checkpoint: ${why}`, { file }, { hint: 'resume from an older checkpoint' });
  if (source.size < 16) throw bad('bad magic');
  const prefix = source.read(0, 16, 'magic');
  if (new TextDecoder().decode(prefix.subarray(0, 8)) !== MAGIC) throw bad('bad magic');
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CKPT_VERSION) throw bad(`format version ${version}, expected ${CKPT_VERSION}`);
  const headerLen = view.getUint32(12, true);
  if (16 + headerLen > source.size) throw bad('header runs past the end of the file');
  let header: { tensors: HeaderEntry[]; dataBytes: number };
  try {
    header = JSON.parse(new TextDecoder().decode(source.read(16, headerLen, 'header')));
  } catch {
    throw bad('header is not JSON');
  }
  const dataStart = pad8(16 + headerLen);
  if (dataStart + header.dataBytes !== source.size)
    throw bad('file length does not match the header (truncated?)');
  const out = new Map<string, NamedTensor>();
  for (const e of header.tensors) {
    const width = e.dtype === 'f64' ? 8 : 4;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (count * width !== e.bytes || e.offset + e.bytes > header.dataBytes || e.offset % 8 !== 0) {
      throw bad(`tensor ${e.name} has inconsistent shape or offset`);
    }
    const data = e.dtype === 'f64' ? new Float64Array(count) : new Float32Array(count);
    source.readInto(new Uint8Array(data.buffer), dataStart + e.offset, e.name);
    out.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return out;
}

/** Parse ckpt.bin bytes, verifying magic, version and every length. */
export function decodeTensors(bytes: Uint8Array, file = 'ckpt.bin'): Map<string, NamedTensor> {
  return decodeFrom(
    {
      size: bytes.length,
      read: (position, length) => bytes.subarray(position, position + length),
      readInto: (target, position) => target.set(bytes.subarray(position, position + target.length)),
    },
    file,
  );
}

/** Read a ckpt.bin file tensor by tensor (no whole-file buffer, so files over 2 GiB load too). */
export function readTensorsFile(path: string): Map<string, NamedTensor> {
  const file = BoundedFile.open(path);
  try {
    return decodeFrom(
      {
        size: file.size,
        read: (position, length, what) => file.read(length, position, what),
        readInto: (target, position, what) => file.readInto(target, position, what),
      },
      path,
    );
  } finally {
    file.close();
  }
}

export interface RunHashes {
  /** sha256 of the training data (as the caller defines it). */
  data: string;
  tokenizer: string;
  model: string;
}

export interface CheckpointState {
  format: 'kefu-checkpoint';
  version: number;
  step: number;
  totalSteps: number;
  optimizerStep: number;
  rng: { seed: number; epoch: number; state: number };
  /** Trainer bookkeeping restored verbatim (logging accumulators, tokens seen …). */
  trainer: Record<string, unknown>;
  recipe: Record<string, unknown>;
  hashes: RunHashes;
}

export interface Checkpoint {
  dir: string;
  state: CheckpointState;
  tensors: Map<string, NamedTensor>;
}

async function writeSynced(io: WriteIo, path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const handle = await io.open(path);
  try {
    for (const chunk of chunks) await writeFully(handle, chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const checkpointName = (step: number): string => `checkpoint-${step}`;

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export interface SaveCheckpointOptions {
  /** Where the files are written through (node:fs by default); tests inject a full disk here. */
  io?: WriteIo;
}

/**
 * Write checkpoint-<step> atomically under outputDir; an existing one of that step is replaced only
 * once the new one is complete. A failed write (full disk: E_DISK_FULL, other errors: E_WRITE)
 * removes the staging folder and leaves every earlier checkpoint as it was.
 */
export async function saveCheckpoint(
  outputDir: string,
  state: CheckpointState,
  tensors: readonly NamedTensor[],
  options: SaveCheckpointOptions = {},
): Promise<string> {
  const io = options.io ?? nodeWriteIo;
  const final = join(outputDir, checkpointName(state.step));
  const staging = join(
    outputDir,
    `.${checkpointName(state.step)}.staging-${process.pid}-${Date.now().toString(36)}`,
  );
  const old = `${final}.old-${process.pid}`;
  let current = final; // what the error names: the checkpoint, or the file of it being written
  let moved = false;
  try {
    await mkdir(staging, { recursive: true });
    current = join(final, 'ckpt.bin');
    await writeSynced(io, join(staging, 'ckpt.bin'), tensorChunks(tensors));
    current = join(final, 'state.json');
    await writeSynced(io, join(staging, 'state.json'), [
      Buffer.from(`${JSON.stringify(state, null, 2)}\n`, 'utf8'),
    ]);
    current = final;
    if (await exists(final)) {
      await rename(final, old);
      moved = true;
    }
    await rename(staging, final);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (moved) await rename(old, final).catch(() => undefined);
    const earlier = await listCheckpoints(outputDir);
    const kept = earlier.length
      ? `${checkpointName(earlier.at(-1)!)} is intact, resume from it (resume_from_checkpoint: latest)`
      : 'no earlier checkpoint was saved';
    throw fileWriteFailure(current, error, kept);
  }
  if (moved) await rm(old, { recursive: true, force: true }).catch(() => undefined);
  return final;
}

/** Steps of the complete checkpoints in outputDir, ascending. */
export async function listCheckpoints(outputDir: string): Promise<number[]> {
  const entries = await readdir(outputDir).catch(() => [] as string[]);
  const steps: number[] = [];
  for (const name of entries) {
    const match = /^checkpoint-(\d+)$/.exec(name);
    if (!match) continue;
    const complete = await stat(join(outputDir, name, 'state.json')).then(
      () => true,
      () => false,
    );
    if (complete) steps.push(Number(match[1]));
  }
  return steps.sort((a, b) => a - b);
}

/** Remove all but the newest `keep` checkpoints. */
export async function pruneCheckpoints(outputDir: string, keep: number): Promise<void> {
  const steps = await listCheckpoints(outputDir);
  for (const step of steps.slice(0, Math.max(0, steps.length - keep))) {
    await rm(join(outputDir, checkpointName(step)), { recursive: true, force: true });
  }
}

/** Read a checkpoint folder; "latest" under outputDir picks the newest complete one. */
export async function loadCheckpoint(dirOrLatest: string, outputDir?: string): Promise<Checkpoint> {
  let dir = dirOrLatest;
  if (dirOrLatest === 'latest') {
    const steps = outputDir ? await listCheckpoints(outputDir) : [];
    if (!outputDir || steps.length === 0) {
      throw new InputError(
        'there is no checkpoint to resume from',
        outputDir ? { file: outputDir } : undefined,
        {
          hint: 'train without resume_from_checkpoint first',
        },
      );
    }
    dir = join(outputDir, checkpointName(steps.at(-1)!));
  }
  let stateText: string;
  try {
    stateText = await readFile(join(dir, 'state.json'), 'utf8');
    if (!(await stat(join(dir, 'ckpt.bin'))).isFile()) throw new Error('ckpt.bin is not a file');
  } catch {
    throw new InputError('cannot read the checkpoint', { file: dir }, { hint: 'check the checkpoint path' });
  }
  let state: CheckpointState;
  try {
    state = JSON.parse(stateText) as CheckpointState;
  } catch {
    throw new InputError('state.json is not JSON', { file: join(dir, 'state.json') });
  }
  if (state.format !== 'kefu-checkpoint' || state.version !== CKPT_VERSION) {
    throw new InputError('not a kefu checkpoint of a known version', { file: join(dir, 'state.json') });
  }
  return { dir, state, tensors: readTensorsFile(join(dir, 'ckpt.bin')) };
}

/** Refuse a resume whose data, tokenizer or base model differ from the checkpoint's. */
export function checkHashes(saved: RunHashes, current: RunHashes, dir: string): void {
  const changed = (['data', 'tokenizer', 'model'] as const).filter((k) => saved[k] !== current[k]);
  if (changed.length > 0) {
    throw new InputError(
      `cannot resume: the ${changed.join(', ')} differ${changed.length === 1 ? 's' : ''} from the checkpoint's`,
      { file: dir },
      {
        code: 'E_RESUME_MISMATCH',
        hint: 'resume with the same data, tokenizer and base model, or start a new run',
        details: { changed },
      },
    );
  }
}
