/**
 * GGUF (ggml/llama.cpp model file, version 3) writer and reader.
 *
 * Layout (little-endian): magic "GGUF", u32 version, u64 tensor count, u64 kv count; each kv is
 * a string key (u64 length + UTF-8), u32 value type and the value (arrays: u32 item type, u64
 * count, items); each tensor info is name, u32 n_dims, u64 ne[n_dims] (ggml order: fastest dim
 * first, i.e. the row-major shape reversed), u32 ggml type, u64 offset into the data section; then
 * padding to `general.alignment` (default 32) and the tensor data, each tensor aligned.
 *
 * This module holds the types and the writer: it takes row-major shapes and F32 data, stores F32
 * or F16, and writes atomically. The reader is in gguf-reader.ts.
 * Does not quantize (Q4/Q8/K-quants).
 */
import { InputError } from '../../core/errors.js';
import { bytesOf, floatToHalf, writeChunksAtomic } from './binary-io.js';

export const GgufType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufScalarType = Exclude<(typeof GgufType)[keyof typeof GgufType], 9>;
export type GgufScalar = number | bigint | boolean | string;
export type GgufValue =
  | { type: GgufScalarType; value: GgufScalar }
  | { type: 9; itemType: GgufScalarType; value: GgufScalar[] };

/** Shorthands for building metadata values. */
export const gguf = {
  u32: (value: number): GgufValue => ({ type: GgufType.UINT32, value }),
  i32: (value: number): GgufValue => ({ type: GgufType.INT32, value }),
  f32: (value: number): GgufValue => ({ type: GgufType.FLOAT32, value }),
  bool: (value: boolean): GgufValue => ({ type: GgufType.BOOL, value }),
  str: (value: string): GgufValue => ({ type: GgufType.STRING, value }),
  array: (itemType: GgufScalarType, value: GgufScalar[]): GgufValue => ({ type: 9, itemType, value }),
};

/** ggml tensor types this module reads (F32/F16/BF16) or writes (F32/F16). */
export const GgmlType = { F32: 0, F16: 1, BF16: 30 } as const;
export const GGML_NAMES: Record<number, 'F32' | 'F16' | 'BF16'> = { 0: 'F32', 1: 'F16', 30: 'BF16' };
export const GGML_BYTES: Record<number, number> = { 0: 4, 1: 2, 30: 2 };

export const GGUF_DEFAULT_ALIGNMENT = 32;
export const SCALAR_BYTES: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

export interface GgufTensorInput {
  name: string;
  /** Row-major shape, e.g. [n_out, n_in] for a weight; written reversed as ggml ne. */
  shape: number[];
  data: Float32Array;
  /** Stored type. Defaults to "F32". */
  type?: 'F32' | 'F16';
}

class ByteSink {
  private chunks: Uint8Array[] = [];
  private current: Uint8Array = new Uint8Array(1 << 16);
  private view = new DataView(this.current.buffer);
  private used = 0;
  length = 0;

  private reserve(n: number): void {
    if (this.used + n <= this.current.length) return;
    this.chunks.push(this.current.subarray(0, this.used));
    this.current = new Uint8Array(Math.max(1 << 16, n));
    this.view = new DataView(this.current.buffer);
    this.used = 0;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.current.set(b, this.used);
    this.used += b.length;
    this.length += b.length;
  }
  scalar(type: number, value: GgufScalar): void {
    if (type === GgufType.STRING) {
      this.string(String(value));
      return;
    }
    const n = SCALAR_BYTES[type]!;
    this.reserve(n);
    const v = this.view;
    const at = this.used;
    if (type === 0 || type === 7) v.setUint8(at, Number(value));
    else if (type === 1) v.setInt8(at, Number(value));
    else if (type === 2) v.setUint16(at, Number(value), true);
    else if (type === 3) v.setInt16(at, Number(value), true);
    else if (type === 4) v.setUint32(at, Number(value), true);
    else if (type === 5) v.setInt32(at, Number(value), true);
    else if (type === 6) v.setFloat32(at, Number(value), true);
    else if (type === 10) v.setBigUint64(at, BigInt(value), true);
    else if (type === 11) v.setBigInt64(at, BigInt(value), true);
    else v.setFloat64(at, Number(value), true);
    this.used += n;
    this.length += n;
  }
  string(s: string): void {
    const b = new TextEncoder().encode(s);
    this.scalar(GgufType.UINT64, b.length);
    this.bytes(b);
  }
  finish(): Uint8Array[] {
    return [...this.chunks, this.current.subarray(0, this.used)];
  }
}

/** Write a GGUF v3 file atomically. `kv` order is kept; alignment comes from `general.alignment`. */
export async function writeGguf(
  path: string,
  kv: ReadonlyMap<string, GgufValue> | Iterable<[string, GgufValue]>,
  tensors: readonly GgufTensorInput[],
): Promise<void> {
  const entries = [...kv];
  const alignValue = entries.find(([k]) => k === 'general.alignment')?.[1];
  const alignment = alignValue ? Number(alignValue.value) : GGUF_DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0) {
    throw new InputError(`general.alignment must be a positive multiple of 8, got ${alignment}`, {
      file: path,
      field: 'general.alignment',
    });
  }
  const head = new ByteSink();
  head.bytes(new TextEncoder().encode('GGUF'));
  head.scalar(GgufType.UINT32, 3);
  head.scalar(GgufType.UINT64, tensors.length);
  head.scalar(GgufType.UINT64, entries.length);
  for (const [key, value] of entries) {
    head.string(key);
    head.scalar(GgufType.UINT32, value.type);
    if (value.type === 9) {
      head.scalar(GgufType.UINT32, value.itemType);
      head.scalar(GgufType.UINT64, value.value.length);
      for (const item of value.value) head.scalar(value.itemType, item);
    } else head.scalar(value.type, value.value);
  }
  const payloads: Uint8Array[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new InputError(`duplicate tensor "${t.name}"`, { file: path, field: t.name });
    seen.add(t.name);
    if (t.shape.reduce((a, b) => a * b, 1) !== t.data.length || t.shape.length < 1 || t.shape.length > 4) {
      throw new InputError(
        `tensor "${t.name}": shape ${JSON.stringify(t.shape)} does not fit ${t.data.length} values`,
        {
          file: path,
          field: t.name,
        },
      );
    }
    const type = t.type === 'F16' ? GgmlType.F16 : GgmlType.F32;
    let payload: Uint8Array;
    if (type === GgmlType.F16) {
      const halves = new Uint16Array(t.data.length);
      for (let i = 0; i < halves.length; i++) halves[i] = floatToHalf(t.data[i]!);
      payload = bytesOf(halves);
    } else payload = bytesOf(t.data);
    head.string(t.name);
    head.scalar(GgufType.UINT32, t.shape.length);
    for (const d of [...t.shape].reverse()) head.scalar(GgufType.UINT64, d);
    head.scalar(GgufType.UINT32, type);
    head.scalar(GgufType.UINT64, offset);
    const padded = Math.ceil(payload.length / alignment) * alignment;
    payloads.push(payload, new Uint8Array(padded - payload.length));
    offset += padded;
  }
  head.bytes(new Uint8Array((alignment - (head.length % alignment)) % alignment));
  await writeChunksAtomic(path, [...head.finish(), ...payloads]);
}
