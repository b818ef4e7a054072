/**
 * safetensors (Hugging Face) read and write.
 *
 * Layout: u64 little-endian header length N, N bytes of JSON
 * `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`
 * (offsets relative to the byte after the header), then the tensor bytes.
 *
 * Reading parses and validates the header first (sane length, JSON object, known dtype, shape ×
 * dtype size = byte length, offsets inside the file and not overlapping) and then reads only the
 * tensors asked for, converting F32 / F16 / BF16 to Float32Array. Any corruption or truncation is an
 * `InputError` naming the file and the tensor or field. Sharded checkpoints are read through
 * `model.safetensors.index.json`. Writing is F32 only, atomic, 8-byte aligned data start.
 * Does not memory-map, and does not read integer tensors into floats.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { BoundedFile, bytesOf, toFloat32, writeChunksAtomic } from './binary-io.js';

/** Header limit used by the reference implementation (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

export interface SafetensorsTensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offsets in the file. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  path: string;
  tensors: Map<string, SafetensorsTensorInfo>;
  metadata: Record<string, string>;
}

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

function parseHeader(file: BoundedFile): SafetensorsHeader {
  const path = file.path;
  if (file.size < 8)
    throw new InputError('not a safetensors file: shorter than 8 bytes', {
      file: path,
      field: 'header length',
    });
  const lengthBytes = file.read(8, 0, 'header length');
  const length = new DataView(lengthBytes.buffer).getBigUint64(0, true);
  if (length < 2n || length > BigInt(MAX_HEADER_BYTES) || length > BigInt(file.size - 8)) {
    throw new InputError(`invalid header length ${length} (file has ${file.size} bytes)`, {
      file: path,
      field: 'header length',
    });
  }
  const headerLength = Number(length);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file.read(headerLength, 8, 'header'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError('header is not valid JSON', { file: path, field: 'header' }, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError('header is not a JSON object', { file: path, field: 'header' });
  }
  const dataStart = 8 + headerLength;
  const dataSize = file.size - dataStart;
  const tensors = new Map<string, SafetensorsTensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InputError('__metadata__ must be an object of strings', { file: path, field: name });
      }
      metadata = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const bad = (why: string): never => {
      throw new InputError(`tensor "${name}": ${why}`, { file: path, field: name });
    };
    if (typeof info !== 'object' || info === null) bad('entry is not an object');
    const itemBytes = typeof info.dtype === 'string' ? DTYPE_BYTES[info.dtype] : undefined;
    if (itemBytes === undefined) bad(`unknown dtype ${JSON.stringify(info.dtype)}`);
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad('bad shape');
    const offsets = info.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[1] < offsets[0]
    ) {
      bad('bad data_offsets');
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * itemBytes! !== end - begin) {
      bad(
        `shape ${JSON.stringify(shape)} × ${info.dtype} needs ${count * itemBytes!} bytes, offsets give ${end - begin}`,
      );
    }
    if (end > dataSize) bad(`data ends at ${end} but the file holds ${dataSize} data bytes (truncated?)`);
    tensors.set(name, {
      name,
      dtype: info.dtype as string,
      shape: shape as number[],
      begin: dataStart + begin,
      end: dataStart + end,
    });
  }
  const sorted = [...tensors.values()].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.begin < sorted[i - 1]!.end) {
      throw new InputError(`tensor "${sorted[i]!.name}" overlaps "${sorted[i - 1]!.name}"`, {
        file: path,
        field: sorted[i]!.name,
      });
    }
  }
  return { path, tensors, metadata };
}

/** Parse and validate a safetensors header without reading tensor data. */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const file = BoundedFile.open(path);
  try {
    return parseHeader(file);
  } finally {
    file.close();
  }
}

function readTensor(file: BoundedFile, info: SafetensorsTensorInfo): Tensor {
  if (info.dtype !== 'F32' && info.dtype !== 'F16' && info.dtype !== 'BF16') {
    throw new InputError(`tensor "${info.name}" has dtype ${info.dtype}; only F32, F16 and BF16 load`, {
      file: file.path,
      field: info.name,
    });
  }
  const bytes = file.read(info.end - info.begin, info.begin, info.name);
  return { shape: info.shape, data: toFloat32(bytes, info.dtype) };
}

export interface ReadSafetensorsOptions {
  /** Load only tensors this returns true for. Defaults to all. */
  filter?: (name: string) => boolean;
}

/** Read a safetensors file's float tensors as float32. */
export async function readSafetensors(
  path: string,
  options: ReadSafetensorsOptions = {},
): Promise<{ tensors: Map<string, Tensor>; metadata: Record<string, string> }> {
  const file = BoundedFile.open(path);
  try {
    const header = parseHeader(file);
    const tensors = new Map<string, Tensor>();
    for (const info of header.tensors.values()) {
      if (options.filter && !options.filter(info.name)) continue;
      tensors.set(info.name, readTensor(file, info));
    }
    return { tensors, metadata: header.metadata };
  } finally {
    file.close();
  }
}

/**
 * Read a sharded checkpoint from its `*.safetensors.index.json` (`{"weight_map": {name: file}}`).
 * Every tensor named in the weight map must be in its shard.
 */
export async function readShardedSafetensors(
  indexPath: string,
  options: ReadSafetensorsOptions = {},
): Promise<Map<string, Tensor>> {
  let index: unknown;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8'));
  } catch (error) {
    throw new InputError('cannot read the shard index as JSON', { file: indexPath }, { cause: error });
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new InputError('missing "weight_map" object', { file: indexPath, field: 'weight_map' });
  }
  const byShard = new Map<string, string[]>();
  for (const [name, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard.includes('..') || shard.startsWith('/')) {
      throw new InputError(`bad shard file name for "${name}"`, {
        file: indexPath,
        field: `weight_map.${name}`,
      });
    }
    byShard.set(shard, [...(byShard.get(shard) ?? []), name]);
  }
  const out = new Map<string, Tensor>();
  for (const [shard, names] of byShard) {
    const wanted = names.filter((n) => !options.filter || options.filter(n));
    if (wanted.length === 0) continue;
    const shardPath = join(dirname(indexPath), shard);
    const { tensors } = await readSafetensors(shardPath, { filter: (n) => wanted.includes(n) });
    for (const name of wanted) {
      const tensor = tensors.get(name);
      if (!tensor)
        throw new InputError(`tensor "${name}" listed in the index is missing`, {
          file: shardPath,
          field: name,
        });
      out.set(name, tensor);
    }
  }
  return out;
}

export interface WritableTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Write F32 tensors (in the given order) and optional string metadata, atomically. */
export async function writeSafetensors(
  path: string,
  tensors: readonly WritableTensor[],
  metadata?: Record<string, string>,
): Promise<void> {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new InputError(
        `tensor "${t.name}": shape ${JSON.stringify(t.shape)} does not match ${t.data.length} values`,
        {
          file: path,
          field: t.name,
        },
      );
    }
    if (t.name === '__metadata__' || t.name in header) {
      throw new InputError(`duplicate or reserved tensor name "${t.name}"`, { file: path, field: t.name });
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  await writeChunksAtomic(path, [prefix, headerBytes, ...tensors.map((t) => bytesOf(t.data))]);
}
