/**
 * GGUF reader: parses the header, metadata and tensor infos of a GGUF v2/v3 file (format notes in
 * gguf.ts), validating every count, length and offset against the file size, so a corrupt or
 * truncated file is an `InputError` naming the file and field, never a RangeError. Reads the
 * header through a chunked cursor (large tokenizer arrays are fine) and tensor data on demand.
 * Reads data only of F32 / F16 / BF16 tensors; does not dequantize.
 */
import { InputError } from '../../core/errors.js';
import { BoundedFile, toFloat32 } from './binary-io.js';
import {
  GGML_BYTES,
  GGML_NAMES,
  GGUF_DEFAULT_ALIGNMENT,
  type GgufScalar,
  type GgufScalarType,
  GgufType,
  type GgufValue,
  SCALAR_BYTES,
} from './gguf.js';

export interface GgufTensorInfo {
  name: string;
  /** ggml order (fastest first). */
  ne: number[];
  /** Row-major shape (ne reversed). */
  shape: number[];
  ggmlType: number;
  /** Absolute byte offset of the data in the file. */
  offset: number;
}

export interface GgufFile {
  path: string;
  version: number;
  alignment: number;
  kv: Map<string, GgufValue>;
  tensors: Map<string, GgufTensorInfo>;
  dataOffset: number;
}

/** Sequential reader over a BoundedFile with a chunk buffer. */
class Cursor {
  pos = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  constructor(readonly file: BoundedFile) {}

  private take(n: number, what: string): DataView {
    if (this.pos + n > this.file.size) {
      throw new InputError(`file is truncated: ${what} runs past the end (${this.file.size} bytes)`, {
        file: this.file.path,
        field: what,
      });
    }
    if (this.pos < this.bufStart || this.pos + n > this.bufStart + this.buf.length) {
      const length = Math.min(Math.max(n, 1 << 20), this.file.size - this.pos);
      this.buf = this.file.read(length, this.pos, what);
      this.bufStart = this.pos;
    }
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos - this.bufStart, n);
    this.pos += n;
    return view;
  }
  u32(what: string): number {
    return this.take(4, what).getUint32(0, true);
  }
  u64(what: string): number {
    const v = this.take(8, what).getBigUint64(0, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InputError(`${what} is ${v}, too large`, { file: this.file.path, field: what });
    }
    return Number(v);
  }
  string(what: string): string {
    const n = this.u64(what);
    if (n > this.file.size - this.pos) {
      throw new InputError(`${what}: string of ${n} bytes runs past the end`, {
        file: this.file.path,
        field: what,
      });
    }
    const v = this.take(n, what);
    return new TextDecoder().decode(new Uint8Array(v.buffer, v.byteOffset, n));
  }
  scalar(type: number, what: string): GgufScalar {
    if (type === GgufType.STRING) return this.string(what);
    const n = SCALAR_BYTES[type];
    if (n === undefined)
      throw new InputError(`unknown value type ${type}`, { file: this.file.path, field: what });
    const v = this.take(n, what);
    switch (type) {
      case 0:
        return v.getUint8(0);
      case 1:
        return v.getInt8(0);
      case 2:
        return v.getUint16(0, true);
      case 3:
        return v.getInt16(0, true);
      case 4:
        return v.getUint32(0, true);
      case 5:
        return v.getInt32(0, true);
      case 6:
        return v.getFloat32(0, true);
      case 7:
        return v.getUint8(0) !== 0;
      case 10:
        return v.getBigUint64(0, true);
      case 11:
        return v.getBigInt64(0, true);
      default:
        return v.getFloat64(0, true);
    }
  }
}

/** Parse a GGUF file's header, metadata and tensor infos, checking them against the file size. */
export async function readGguf(path: string): Promise<GgufFile> {
  const file = BoundedFile.open(path);
  try {
    const bad = (why: string, field?: string): never => {
      throw new InputError(why, { file: path, ...(field ? { field } : {}) });
    };
    const c = new Cursor(file);
    if (file.size < 24) bad('not a GGUF file: too short');
    const magic = c.u32('magic');
    if (magic !== 0x46554747) bad('not a GGUF file: bad magic', 'magic');
    const version = c.u32('version');
    if (version !== 2 && version !== 3) bad(`unsupported GGUF version ${version}`, 'version');
    const tensorCount = c.u64('tensor_count');
    const kvCount = c.u64('metadata_kv_count');
    if (tensorCount > file.size / 24 || kvCount > file.size / 12)
      bad('tensor or kv count larger than the file');
    const kv = new Map<string, GgufValue>();
    for (let i = 0; i < kvCount; i++) {
      const key = c.string(`metadata key #${i}`);
      const type = c.u32(key);
      if (type === GgufType.ARRAY) {
        const itemType = c.u32(key);
        const count = c.u64(key);
        if (
          itemType === GgufType.ARRAY ||
          (SCALAR_BYTES[itemType] === undefined && itemType !== GgufType.STRING)
        ) {
          bad(`unsupported array item type ${itemType}`, key);
        }
        const minBytes = itemType === GgufType.STRING ? 8 : SCALAR_BYTES[itemType]!;
        if (count * minBytes > file.size - c.pos) bad(`array of ${count} items runs past the end`, key);
        const values: GgufScalar[] = new Array(count);
        for (let j = 0; j < count; j++) values[j] = c.scalar(itemType, key);
        kv.set(key, { type: 9, itemType: itemType as GgufScalarType, value: values });
      } else {
        kv.set(key, { type: type as GgufScalarType, value: c.scalar(type, key) });
      }
    }
    const alignValue = kv.get('general.alignment');
    const alignment = alignValue ? Number(alignValue.value) : GGUF_DEFAULT_ALIGNMENT;
    if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0) {
      bad(`bad alignment ${alignment}`, 'general.alignment');
    }
    const infos: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = c.string(`tensor name #${i}`);
      const nDims = c.u32(name);
      if (nDims < 1 || nDims > 4) bad(`tensor "${name}" has ${nDims} dims`, name);
      const ne: number[] = [];
      for (let d = 0; d < nDims; d++) ne.push(c.u64(name));
      const ggmlType = c.u32(name);
      const offset = c.u64(name);
      if (offset % alignment !== 0) bad(`tensor "${name}" offset ${offset} is not aligned`, name);
      infos.push({ name, ne, shape: [...ne].reverse(), ggmlType, offset });
    }
    const dataOffset = Math.ceil(c.pos / alignment) * alignment;
    const tensors = new Map<string, GgufTensorInfo>();
    for (const info of infos) {
      if (tensors.has(info.name)) bad(`duplicate tensor "${info.name}"`, info.name);
      info.offset += dataOffset;
      const itemBytes = GGML_BYTES[info.ggmlType];
      if (itemBytes !== undefined) {
        const end = info.offset + info.ne.reduce((a, b) => a * b, 1) * itemBytes;
        if (end > file.size)
          bad(`tensor "${info.name}" data ends at ${end}, past the end (truncated?)`, info.name);
      } else if (info.offset > file.size) bad(`tensor "${info.name}" starts past the end`, info.name);
      tensors.set(info.name, info);
    }
    return { path, version, alignment, kv, tensors, dataOffset };
  } finally {
    file.close();
  }
}

/** Read one F32 / F16 / BF16 tensor of a parsed GGUF file as float32 (row-major `info.shape`). */
export async function readGgufTensor(gf: GgufFile, name: string): Promise<Float32Array> {
  const info = gf.tensors.get(name);
  if (!info) throw new InputError(`no tensor "${name}"`, { file: gf.path, field: name });
  const dtype = GGML_NAMES[info.ggmlType];
  if (!dtype) {
    throw new InputError(`tensor "${name}" has ggml type ${info.ggmlType}; only F32, F16, BF16 read`, {
      file: gf.path,
      field: name,
    });
  }
  const file = BoundedFile.open(gf.path);
  try {
    const count = info.ne.reduce((a, b) => a * b, 1);
    return toFloat32(file.read(count * GGML_BYTES[info.ggmlType]!, info.offset, name), dtype);
  } finally {
    file.close();
  }
}

/** A metadata value as a plain JS value (arrays as arrays), or undefined. */
export function ggufValue(gf: GgufFile, key: string): GgufScalar | GgufScalar[] | undefined {
  return gf.kv.get(key)?.value;
}
