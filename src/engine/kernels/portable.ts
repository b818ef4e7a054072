/**
 * The portable `Kernels` backend ("portable-wasm"), for machines without OpenBLAS: float32 matrix
 * products in WebAssembly SIMD on every core. op(A) is packed into MR-row (4) panels and op(B) into
 * 8-column panels in a shared WebAssembly memory, so every layout (transA / transB) runs the same
 * MR×8 f32x4 micro-kernel (wasm-gemm-module.ts) over contiguous memory, split by row panels across
 * the calling thread and helper threads (wasm-threads.ts). Sums are float32, as in BLAS. Small or
 * thin products (M or N below 4, tiny volumes) take a direct JavaScript loop summing in float64
 * instead, so no packing or padding work is wasted on them.
 *
 * It keeps one module-level WebAssembly memory that grows to the largest product seen (packed A,
 * B and C) and is reused; each worker thread that imports this module gets its own.
 */
import type { Kernels } from '../contracts.js';
import { MR } from './wasm-gemm-module.js';
import { WasmGemm } from './wasm-threads.js';

/** Products up to this many multiply-adds use the direct loop (packing would cost more than it saves). */
const DIRECT_VOLUME = 16 * 16 * 16;
/** Products from this many multiply-adds are split across threads (waking a helper costs ~10 µs). */
const PARALLEL_VOLUME = 1 << 20;

/** Packed operands use at most this many floats (1 GiB) of WebAssembly memory; A is chunked to fit. */
const MEMORY_FLOATS = 2 ** 28;

let rowScratch = new Float64Array(1024);
let runtime: WasmGemm | undefined;
const wasm = () => {
  runtime ??= new WasmGemm();
  return runtime;
};

type MatmulOptions = { transA?: boolean; transB?: boolean; accumulate?: boolean };

/** One product with its layout: op(A)[i][p] = a[i*aRow + p*aCol], op(B)[p][j] = b[p*bRow + j*bCol]. */
interface Product {
  c: Float32Array;
  a: Float32Array;
  b: Float32Array;
  m: number;
  k: number;
  n: number;
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
  accumulate: boolean;
}

/** Throws a RangeError when a buffer is too short for the shapes (a wrong shape, not a kernel bug). */
export function checkMatmulShapes(
  c: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  for (const [name, value] of [
    ['m', m],
    ['k', k],
    ['n', n],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`matmul: ${name} = ${value} is not a size`);
  }
  if (a.length < m * k) throw new RangeError(`matmul: A has ${a.length} elements, needs ${m}×${k}`);
  if (b.length < k * n) throw new RangeError(`matmul: B has ${b.length} elements, needs ${k}×${n}`);
  if (c.length < m * n) throw new RangeError(`matmul: C has ${c.length} elements, needs ${m}×${n}`);
}

/**
 * C (M×N) (+)= op(A)·op(B) with op(A)[i][p] = a[i*aRow + p*aCol] and op(B)[p][j] = b[p*bRow + j*bCol],
 * for small or thin products, summing in float64. With op(B) rows contiguous (bCol = 1) it adds
 * scaled B rows into a float64 row (so B streams in order); otherwise one dot product per output.
 */
function direct(product: Product): void {
  const { c, a, b, m, k, n, aRow, aCol, bRow, bCol, accumulate } = product;
  if (bCol === 1 && k > 1) {
    if (rowScratch.length < n) rowScratch = new Float64Array(n);
    const row = rowScratch;
    for (let i = 0; i < m; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) row[j] = accumulate ? c[o + j]! : 0;
      for (let p = 0; p < k; p++) {
        const x = a[i * aRow + p * aCol]!;
        const from = p * bRow;
        for (let j = 0; j < n; j++) row[j] = row[j]! + x * b[from + j]!;
      }
      for (let j = 0; j < n; j++) c[o + j] = row[j]!;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ai = i * aRow;
    for (let j = 0; j < n; j++) {
      const bj = j * bCol;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0; // four chains hide the add latency
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        s0 += a[ai + p * aCol]! * b[bj + p * bRow]!;
        s1 += a[ai + (p + 1) * aCol]! * b[bj + (p + 1) * bRow]!;
        s2 += a[ai + (p + 2) * aCol]! * b[bj + (p + 2) * bRow]!;
        s3 += a[ai + (p + 3) * aCol]! * b[bj + (p + 3) * bRow]!;
      }
      for (; p < k; p++) s0 += a[ai + p * aCol]! * b[bj + p * bRow]!;
      const sum = s0 + s1 + (s2 + s3);
      const o = i * n + j;
      c[o] = accumulate ? c[o]! + sum : sum;
    }
  }
}

/**
 * Packs `count` lines of `depth` values into `width`-wide interleaved panels at `offset`:
 * dst[offset + (t·depth + p)·width + s] = src[(width·t + s)·lineStride + p·depthStride], zero past
 * `count`. Walks memory in whichever order reads `src` contiguously.
 */
function pack(
  dst: Float32Array,
  offset: number,
  src: Float32Array,
  count: number,
  depth: number,
  lineStride: number,
  depthStride: number,
  width: number,
): void {
  const panels = Math.ceil(count / width);
  for (let t = 0; t < panels; t++) {
    const base = offset + t * width * depth;
    const lines = Math.min(width, count - t * width);
    if (lines < width) dst.fill(0, base, base + width * depth);
    const first = t * width * lineStride;
    if (lineStride === 1) {
      for (let p = 0; p < depth; p++) {
        const from = first + p * depthStride;
        const to = base + p * width;
        for (let s = 0; s < lines; s++) dst[to + s] = src[from + s]!;
      }
    } else {
      for (let s = 0; s < lines; s++) {
        let from = first + s * lineStride;
        for (let p = base + s, last = base + depth * width; p < last; p += width, from += depthStride) {
          dst[p] = src[from]!;
        }
      }
    }
  }
}

/** Starts the portable backend's helper threads; resolves with the threads large products use. */
export function startPortableThreads(): Promise<number> {
  return wasm().start();
}

/**
 * C (M×N) = op(A)·op(B), or += with `accumulate`. Row-major; see `Kernels.matmul`. `memoryFloats`
 * bounds the packed operands (tests lower it to exercise the row chunks).
 */
export function portableMatmul(
  c: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  options: MatmulOptions = {},
  memoryFloats = MEMORY_FLOATS,
): void {
  checkMatmulShapes(c, a, b, m, k, n);
  const transA = options.transA === true;
  const transB = options.transB === true;
  const accumulate = options.accumulate === true;
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  const product: Product = {
    c,
    a,
    b,
    m,
    k,
    n,
    aRow: transA ? 1 : k,
    aCol: transA ? m : 1,
    bRow: transB ? 1 : n,
    bCol: transB ? k : 1,
    accumulate,
  };
  if (m < 4 || n < 4 || m * n * k <= DIRECT_VOLUME) direct(product);
  else packedProduct(product, memoryFloats);
}

/**
 * The WebAssembly path: op(B) packed once into 8-column panels, then op(A) in row chunks (as many
 * MR-row panels as fit in `memoryFloats` beside B) with their padded C rows; each chunk's product
 * is added in the shared memory and its C rows copied back.
 */
function packedProduct(product: Product, memoryFloats: number): void {
  const { c, a, b, m, k, n, aRow, aCol, bRow, bCol, accumulate } = product;
  const nPad = Math.ceil(n / 8) * 8;
  const rowsFit = Math.floor((memoryFloats - nPad * k) / (k + nPad) / MR) * MR;
  if (rowsFit < MR) {
    throw new RangeError(
      `matmul: ${k}×${n} is too large for the portable kernels (${(memoryFloats * 4) / 2 ** 20} MiB of packed operands); build the OpenBLAS addon`,
    );
  }
  const chunk = Math.min(rowsFit, Math.ceil(m / MR) * MR);
  const aAt = nPad * k;
  const cAt = aAt + chunk * k;
  const memory = wasm().floats(cAt + chunk * nPad);
  pack(memory, 0, b, n, k, bCol, bRow, 8);
  for (let i0 = 0; i0 < m; i0 += chunk) {
    const rows = Math.min(chunk, m - i0);
    const panels = Math.ceil(rows / MR);
    const cRows = c.subarray(i0 * n, (i0 + rows) * n);
    pack(memory, aAt, a.subarray(i0 * aRow), rows, k, aRow, aCol, MR);
    memory.fill(0, cAt, cAt + panels * MR * nPad);
    if (accumulate)
      for (let i = 0; i < rows; i++) memory.set(cRows.subarray(i * n, i * n + n), cAt + i * nPad);
    wasm().run(aAt, 0, cAt, panels, nPad / 8, k, nPad, rows * n * k >= PARALLEL_VOLUME);
    if (nPad === n) cRows.set(memory.subarray(cAt, cAt + rows * n));
    else for (let i = 0; i < rows; i++) cRows.set(memory.subarray(cAt + i * nPad, cAt + i * nPad + n), i * n);
  }
}

/** The portable backend. Stateless apart from scratch buffers; safe to share. */
export const portableKernels: Kernels = {
  name: 'portable-wasm',
  matmul: portableMatmul,
};
