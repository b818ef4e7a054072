/**
 * The portable `Kernels` backend ("portable-js"): float32 matrix products in plain JavaScript, for
 * machines without OpenBLAS. GotoBLAS-style structure: op(B) is packed in K×N blocks (KC×NC) and
 * op(A) in MC×KC blocks into 4-wide interleaved panels, so every layout (transA / transB) runs the
 * same 4×4 register-tiled micro-kernel over contiguous memory. Sums are kept in float64 registers
 * within a K block and rounded to float32 when stored. Small or thin products (M or N below 4,
 * tiny volumes) take a direct loop instead, so no padding work is wasted.
 *
 * It does not use threads or SIMD (about 5 GFLOP/s on one core here, against ~250 for OpenBLAS on
 * two), and keeps two module-level scratch buffers (≈ 0.6 MB) that are reused between calls; it is
 * not re-entrant across worker threads sharing a module instance (each worker has its own).
 */
import type { Kernels } from '../contracts.js';

/** Block sizes: a packed B block is KC×NC floats (512 KiB), a packed A block MC×KC (128 KiB). */
const KC = 256;
const NC = 512;
const MC = 128;
/** Products up to this many multiply-adds use the direct loop (packing would cost more than it saves). */
const DIRECT_VOLUME = 16 * 16 * 16;

const packedA = new Float32Array(MC * KC);
const packedB = new Float32Array(NC * KC);
const edge = new Float64Array(16);
let rowScratch = new Float64Array(1024);

type MatmulOptions = { transA?: boolean; transB?: boolean; accumulate?: boolean };

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
function direct(
  c: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  aRow: number,
  aCol: number,
  bRow: number,
  bCol: number,
  accumulate: boolean,
): void {
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
 * Packs `count` lines of `depth` values into 4-wide interleaved panels: dst[t*4*depth + p*4 + s] =
 * src[(first + 4t + s)*lineStride + (p0 + p)*depthStride], zero past `last`.
 */
function pack(
  dst: Float32Array,
  src: Float32Array,
  first: number,
  count: number,
  p0: number,
  depth: number,
  lineStride: number,
  depthStride: number,
): void {
  const panels = (count + 3) >> 2;
  for (let t = 0; t < panels; t++) {
    const base = t * 4 * depth;
    for (let s = 0; s < 4; s++) {
      const line = 4 * t + s;
      if (line >= count) {
        for (let p = 0; p < depth; p++) dst[base + p * 4 + s] = 0;
        continue;
      }
      let from = (first + line) * lineStride + p0 * depthStride;
      for (let p = 0; p < depth; p++, from += depthStride) dst[base + p * 4 + s] = src[from]!;
    }
  }
}

/** C[i0.., j0..] (+)= packed A block (mc×kc) · packed B block (kc×nc); 4×4 register tiles. */
// biome-ignore format: the 4×4 register tile reads best as a grid
function macroKernel(
  c: Float32Array,
  ap: Float32Array,
  bp: Float32Array,
  i0: number,
  j0: number,
  mc: number,
  nc: number,
  kc: number,
  ldc: number,
  add: boolean,
): void {
  const span = 4 * kc;
  for (let jt = 0; jt < nc; jt += 4) {
    const bBase = jt * kc;
    for (let it = 0; it < mc; it += 4) {
      let pa = it * kc;
      let pb = bBase;
      const end = pa + span;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (; pa < end; pa += 4, pb += 4) {
        const x0 = ap[pa]!, x1 = ap[pa + 1]!, x2 = ap[pa + 2]!, x3 = ap[pa + 3]!;
        const y0 = bp[pb]!, y1 = bp[pb + 1]!, y2 = bp[pb + 2]!, y3 = bp[pb + 3]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const rows = Math.min(4, mc - it);
      const cols = Math.min(4, nc - jt);
      let o = (i0 + it) * ldc + j0 + jt;
      if (rows === 4 && cols === 4) {
        if (add) {
          c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03; o += ldc;
          c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13; o += ldc;
          c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23; o += ldc;
          c[o] = c[o]! + c30; c[o + 1] = c[o + 1]! + c31; c[o + 2] = c[o + 2]! + c32; c[o + 3] = c[o + 3]! + c33;
        } else {
          c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += ldc;
          c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += ldc;
          c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += ldc;
          c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
        }
        continue;
      }
      edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
      edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
      edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
      edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
      for (let r = 0; r < rows; r++, o += ldc) {
        for (let s = 0; s < cols; s++) c[o + s] = add ? c[o + s]! + edge[r * 4 + s]! : edge[r * 4 + s]!;
      }
    }
  }
}

/** C (M×N) = op(A)·op(B), or += with `accumulate`. Row-major; see `Kernels.matmul`. */
export function portableMatmul(
  c: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  options: MatmulOptions = {},
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
  // op(A)[i][p] = a[i*aRow + p*aCol]; op(B)[p][j] = b[p*bRow + j*bCol].
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  if (m < 4 || n < 4 || m * n * k <= DIRECT_VOLUME) {
    direct(c, a, b, m, k, n, aRow, aCol, bRow, bCol, accumulate);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      pack(packedB, b, jc, nc, pc, kc, bCol, bRow);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        pack(packedA, a, ic, mc, pc, kc, aRow, aCol);
        macroKernel(c, packedA, packedB, ic, jc, mc, nc, kc, n, add);
      }
    }
  }
}

/** The portable backend. Stateless apart from scratch buffers; safe to share. */
export const portableKernels: Kernels = {
  name: 'portable-js',
  matmul: portableMatmul,
};
