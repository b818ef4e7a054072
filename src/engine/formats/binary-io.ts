/**
 * Low-level helpers shared by the tensor file formats: IEEE half / bfloat16 ↔ float32 conversion,
 * an atomic writer for binary files built from many chunks (temp sibling, fsync, rename — so a
 * reader never sees half a model, and a full disk leaves the old file and no temp behind), and
 * bounded positional reads that turn a short read into an `InputError` naming the file instead of
 * a RangeError. Assumes a little-endian host (x86, ARM).
 * Does not parse any format itself.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { nodeWriteIo, type WriteIo, writeChunksToPath } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half (binary16) bits → float32 value. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** float32 value → IEEE half bits, rounding to nearest even; overflow gives ±Infinity. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** bfloat16 bits → float32 value (exact). */
export function bf16ToFloat(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}

/**
 * Write a binary file atomically from a sequence of chunks, so large models need not be joined
 * into one buffer. The file appears at `path` complete, or not at all: on a full disk (E_DISK_FULL)
 * or another write error (E_WRITE) the temp file is removed and the old `path` is left as it was.
 * `io` is the seam tests use to inject a failing disk.
 */
export async function writeChunksAtomic(
  path: string,
  chunks: Iterable<Uint8Array>,
  io: WriteIo = nodeWriteIo,
): Promise<void> {
  await writeChunksToPath(path, chunks, io);
}

/** The bytes of a typed array as a Uint8Array view (no copy). */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** A file opened for positional reads with bounds checks. Close it when done. */
export class BoundedFile {
  readonly path: string;
  readonly size: number;
  private fd: number;

  private constructor(path: string, fd: number, size: number) {
    this.path = path;
    this.fd = fd;
    this.size = size;
  }

  static open(path: string): BoundedFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new InputError('cannot open file', { file: path }, { cause: error });
    }
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      closeSync(fd);
      throw new InputError('not a regular file', { file: path });
    }
    return new BoundedFile(path, fd, stats.size);
  }

  /** Read exactly `target.byteLength` bytes at `position`, or throw an InputError about `what`. */
  readInto(target: Uint8Array, position: number, what: string): void {
    if (!Number.isSafeInteger(position) || position < 0 || position + target.byteLength > this.size) {
      throw new InputError(
        `file is truncated or corrupt: ${what} needs bytes ${position}..${position + target.byteLength} ` +
          `but the file has ${this.size}`,
        { file: this.path, field: what },
      );
    }
    let done = 0;
    while (done < target.byteLength) {
      const n = readSync(this.fd, target, done, target.byteLength - done, position + done);
      if (n === 0)
        throw new InputError(`unexpected end of file reading ${what}`, { file: this.path, field: what });
      done += n;
    }
  }

  read(length: number, position: number, what: string): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.size) {
      throw new InputError(`file is corrupt: ${what} claims ${length} bytes, the file has ${this.size}`, {
        file: this.path,
        field: what,
      });
    }
    const out = new Uint8Array(length);
    this.readInto(out, position, what);
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Convert raw little-endian tensor bytes of a float dtype to a fresh Float32Array. */
export function toFloat32(bytes: Uint8Array, dtype: 'F32' | 'F16' | 'BF16'): Float32Array {
  if (dtype === 'F32') {
    const out = new Float32Array(bytes.byteLength / 4);
    bytesOf(out).set(bytes);
    return out;
  }
  const halves = new Uint16Array(bytes.byteLength / 2);
  bytesOf(halves).set(bytes);
  const out = new Float32Array(halves.length);
  if (dtype === 'F16') for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i]!);
  else {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < halves.length; i++) bits[i] = halves[i]! << 16;
  }
  return out;
}
