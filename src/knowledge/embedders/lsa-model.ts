/**
 * kefu's offline embedding model: latent semantic analysis over hashed character n-grams.
 * A text becomes sparse features — character 1-, 2- and 3-grams inside each run of letters and
 * digits, plus whole Latin/digit words (model numbers), hashed into `buckets` slots — weighted
 * (1 + ln tf) · idf and L2-normalised; `fitLsa` finds the top `dimensions` right singular vectors
 * of the corpus matrix with a randomised SVD (Halko et al.: one power iteration, the l × l Gram
 * matrix through the engine's matmul kernel, Jacobi for its eigenvectors), and `embedSparse`
 * projects a text onto them and L2-normalises. Deterministic for a given corpus and seed.
 * Does not store the model (see lsa-embedder.ts) or decide when to re-fit.
 */
import { getKernels } from '../../engine/kernels/index.js';
import { orthonormaliseColumns, symmetricEigen } from './linalg.js';

export interface LsaModel {
  dimensions: number;
  /** Hash slots (a power of two). */
  buckets: number;
  /** Inverse document frequency per slot (0 for slots never seen in the fit corpus). */
  idf: Float32Array;
  /** buckets × dimensions, row-major: the right singular vectors. */
  projection: Float32Array;
  /** Chunks in the corpus it was fitted on. */
  fittedOn: number;
}

export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const RUN = /[\p{L}\p{N}]+/gu;
const LATIN_WORD = /^[a-z0-9]{2,24}$/;

/** Raw term counts of `text` by slot (no idf). */
export function hashedCounts(text: string, buckets: number): Map<number, number> {
  const counts = new Map<number, number>();
  const mask = buckets - 1;
  const add = (key: string, seed: number) => {
    const slot = fnv1a(key, seed) & mask;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  };
  for (const run of text.normalize('NFKC').toLowerCase().match(RUN) ?? []) {
    const chars = [...run];
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) add(chars.slice(i, i + n).join(''), n);
    }
    for (const word of run.split(
      /(?<=\P{Script=Han})(?=\p{Script=Han})|(?<=\p{Script=Han})(?=\P{Script=Han})/u,
    )) {
      if (LATIN_WORD.test(word)) add(word, 7);
    }
  }
  return counts;
}

/** (1 + ln tf) · idf, L2-normalised; slots with idf 0 are dropped. */
export function weigh(counts: Map<number, number>, idf: Float32Array | undefined): SparseVector {
  const index: number[] = [];
  const value: number[] = [];
  let norm = 0;
  for (const [slot, count] of counts) {
    const w = (1 + Math.log(count)) * (idf ? idf[slot]! : 1);
    if (w === 0) continue;
    index.push(slot);
    value.push(w);
    norm += w * w;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { index: Int32Array.from(index), value: Float32Array.from(value, (v) => v * scale) };
}

/** Project one text; the result is L2-normalised (all zeros when nothing it contains was seen). */
export function embedSparse(model: LsaModel, text: string): Float32Array {
  const x = weigh(hashedCounts(text, model.buckets), model.idf);
  const d = model.dimensions;
  const out = new Float32Array(d);
  const p = model.projection;
  for (let t = 0; t < x.index.length; t++) {
    const row = x.index[t]! * d;
    const v = x.value[t]!;
    for (let j = 0; j < d; j++) out[j]! += v * p[row + j]!;
  }
  let norm = 0;
  for (let j = 0; j < d; j++) norm += out[j]! * out[j]!;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) out[j]! *= scale;
  }
  return out;
}

/**
 * Component k is scaled by σ_k^-p: 0 keeps LSA’s U·Σ (the top, generic components dominate), 1
 * whitens. Whitening gave the best hybrid recall@5 on the sample shop (dense 0.84 vs 0.80 at p = 0).
 */
export const SPECTRUM_FLATTENING = 1;

export interface FitOptions {
  /** Output dimensions. Defaults to 256. */
  dimensions?: number;
  /** Hash slots, a power of two. Defaults to 32768. */
  buckets?: number;
  /** Seed of the random test matrix. Defaults to 1. */
  seed?: number;
}

function rademacher(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 1 ? 1 : -1;
  };
}

/** Fit the model on `texts` (chunk texts as indexed). */
export function fitLsa(texts: readonly string[], options: FitOptions = {}): LsaModel {
  const dimensions = options.dimensions ?? 256;
  const buckets = options.buckets ?? 32768;
  if (buckets & (buckets - 1)) throw new RangeError(`buckets must be a power of two, got ${buckets}`);
  const n = texts.length;
  const countsList = texts.map((text) => hashedCounts(text, buckets));
  const df = new Float64Array(buckets);
  for (const counts of countsList) for (const slot of counts.keys()) df[slot]!++;
  const idf = new Float32Array(buckets);
  for (let b = 0; b < buckets; b++) if (df[b]! > 0) idf[b] = Math.log((1 + n) / (1 + df[b]!)) + 1;
  const rows = countsList.map((counts) => weigh(counts, idf));
  const projection = new Float32Array(buckets * dimensions);
  const l = Math.min(dimensions + 16, n);
  if (l === 0) return { dimensions, buckets, idf, projection, fittedOn: n };

  // Y = X Ω (n × l), Ω a ±1 matrix generated per used slot.
  const omega = new Float64Array(buckets * l);
  const next = rademacher(options.seed ?? 1);
  for (let b = 0; b < buckets; b++) if (df[b]! > 0) for (let j = 0; j < l; j++) omega[b * l + j] = next();
  const times = (right: Float64Array) => {
    const y = new Float64Array(n * l);
    rows.forEach((row, r) => {
      for (let t = 0; t < row.index.length; t++) {
        const base = row.index[t]! * l;
        const v = row.value[t]!;
        for (let j = 0; j < l; j++) y[r * l + j]! += v * right[base + j]!;
      }
    });
    return y;
  };
  const transposeTimes = (q: Float64Array) => {
    const z = new Float64Array(buckets * l);
    rows.forEach((row, r) => {
      for (let t = 0; t < row.index.length; t++) {
        const base = row.index[t]! * l;
        const v = row.value[t]!;
        for (let j = 0; j < l; j++) z[base + j]! += v * q[r * l + j]!;
      }
    });
    return z;
  };
  let q = times(omega);
  orthonormaliseColumns(q, n, l);
  // One power iteration: Q = orth(X Xᵀ Q) sharpens the spectrum.
  q = times(transposeTimes(q));
  orthonormaliseColumns(q, n, l);
  // Bᵀ = Xᵀ Q (buckets × l); B Bᵀ (l × l) by the kernel.
  const bt = transposeTimes(q);
  const bt32 = Float32Array.from(bt);
  const gram32 = new Float32Array(l * l);
  getKernels().matmul(gram32, bt32, bt32, l, buckets, l, { transA: true });
  const { values, vectors } = symmetricEigen(Float64Array.from(gram32), l);
  // V = Bᵀ W Σ⁻¹: the right singular vectors, column k for σ_k > 0.
  // Keep at most n / 4 components: on a small corpus the tail components are noise, and whitening
  // (SPECTRUM_FLATTENING) would give them full weight.
  const k = Math.min(dimensions, l, Math.max(8, Math.floor(n / 4)));
  const w32 = new Float32Array(l * dimensions);
  for (let i = 0; i < l; i++) {
    for (let c = 0; c < k; c++) {
      const sigma = Math.sqrt(Math.max(values[c]!, 0));
      if (sigma > 1e-6) w32[i * dimensions + c] = vectors[i * l + c]! / sigma ** (1 + SPECTRUM_FLATTENING);
    }
  }
  getKernels().matmul(projection, bt32, w32, buckets, l, dimensions);
  return { dimensions, buckets, idf, projection, fittedOn: n };
}
