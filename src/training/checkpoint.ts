/**
 * Training checkpoints. A checkpoint is a folder `checkpoint-<step>` holding
 *   ckpt.bin   — tensors in kefu's own small format: "KEFUCKPT" magic, u32 version, u32 header
 *                length, JSON header {tensors: [{name, dtype, shape, offset, bytes}], dataBytes},
 *                zero padding to 8 bytes, then the raw little-endian data; every length is
 *                checked on read;
 *   state.json — step, optimizer step, RNG state, logging accumulators, the resolved recipe and
 *                the caller's sha256 hashes of data, tokenizer and base model.
 * Saving writes a hidden staging folder, fsyncs, then renames it into place, so the previous
 * checkpoint stays intact until the new one is complete. Does not: decide when to save, or
 * export adapters for inference (safetensors / PEFT export live elsewhere).
 */
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

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

/** Serialize tensors into the ckpt.bin layout. */
export function encodeTensors(tensors: readonly NamedTensor[]): Uint8Array {
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    const dtype = t.data instanceof Float64Array ? 'f64' : 'f32';
    offset = Math.ceil(offset / 8) * 8;
    entries.push({ name: t.name, dtype, shape: t.shape, offset, bytes: t.data.byteLength });
    offset += t.data.byteLength;
  }
  const header = new TextEncoder().encode(JSON.stringify({ tensors: entries, dataBytes: offset }));
  const dataStart = Math.ceil((16 + header.length) / 8) * 8;
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CKPT_VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  for (const [i, t] of tensors.entries()) {
    out.set(
      new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      dataStart + entries[i]!.offset,
    );
  }
  return out;
}

/** Parse ckpt.bin bytes, verifying magic, version and every length. */
export function decodeTensors(bytes: Uint8Array, file = 'ckpt.bin'): Map<string, NamedTensor> {
  const bad = (why: string) =>
    new InputError(`not a usable checkpoint: ${why}`, { file }, { hint: 'resume from an older checkpoint' });
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw bad('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CKPT_VERSION) throw bad(`format version ${version}, expected ${CKPT_VERSION}`);
  const headerLen = view.getUint32(12, true);
  if (16 + headerLen > bytes.length) throw bad('header runs past the end of the file');
  let header: { tensors: HeaderEntry[]; dataBytes: number };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLen)));
  } catch {
    throw bad('header is not JSON');
  }
  const dataStart = Math.ceil((16 + headerLen) / 8) * 8;
  if (dataStart + header.dataBytes !== bytes.length)
    throw bad('file length does not match the header (truncated?)');
  const out = new Map<string, NamedTensor>();
  for (const e of header.tensors) {
    const width = e.dtype === 'f64' ? 8 : 4;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (count * width !== e.bytes || e.offset + e.bytes > header.dataBytes || e.offset % 8 !== 0) {
      throw bad(`tensor ${e.name} has inconsistent shape or offset`);
    }
    const copy = bytes.slice(dataStart + e.offset, dataStart + e.offset + e.bytes);
    const data = e.dtype === 'f64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
    out.set(e.name, { name: e.name, shape: e.shape, data });
  }
  return out;
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

async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const checkpointName = (step: number): string => `checkpoint-${step}`;

/** Write checkpoint-<step> atomically under outputDir; an existing one of that step is replaced only once the new one is complete. */
export async function saveCheckpoint(
  outputDir: string,
  state: CheckpointState,
  tensors: readonly NamedTensor[],
): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  const final = join(outputDir, checkpointName(state.step));
  const staging = join(
    outputDir,
    `.${checkpointName(state.step)}.staging-${process.pid}-${Date.now().toString(36)}`,
  );
  await mkdir(staging, { recursive: true });
  try {
    await writeSynced(join(staging, 'ckpt.bin'), encodeTensors(tensors));
    await writeSynced(join(staging, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
    const old = `${final}.old-${process.pid}`;
    const exists = await stat(final).then(
      () => true,
      () => false,
    );
    if (exists) await rename(final, old);
    await rename(staging, final);
    if (exists) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
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
  let bytes: Uint8Array;
  try {
    stateText = await readFile(join(dir, 'state.json'), 'utf8');
    bytes = new Uint8Array(await readFile(join(dir, 'ckpt.bin')));
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
  return { dir, state, tensors: decodeTensors(bytes, join(dir, 'ckpt.bin')) };
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
