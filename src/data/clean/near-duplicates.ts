/**
 * Streaming near-duplicate detection with MinHash and LSH banding.
 *
 * Does: shingle the normalised text into character n-grams (3-grams by default: Chinese has no
 * spaces, so words are not available), compute a MinHash signature with a seeded family of
 * permutations (deterministic across runs and machines), look up candidates through `bands`
 * buckets of `rowsPerBand` rows, and confirm a candidate when the signatures' estimated Jaccard
 * similarity reaches the threshold. The first record of a cluster is kept and indexed; later
 * near-copies are reported as duplicates of it and are not indexed.
 * Memory per indexed record: its key, a 16-bit fingerprint per permutation (the low bits of each
 * minimum; 240 bytes at the defaults) and one bucket entry per band. Texts are never stored.
 * Does not: decide what to do with duplicates, normalise Examples (see normalize.ts, pipeline.ts).
 */

import { fmix32, normalizeKey } from './normalize.js';

export interface NearDuplicateOptions {
  /** Estimated Jaccard similarity at or above which two texts are near-duplicates. */
  threshold: number;
  /** Number of LSH bands; signatures have `bands * rowsPerBand` permutations. */
  bands: number;
  rowsPerBand: number;
  /** Character n-gram length of the shingles. */
  shingleSize: number;
  /** Seed of the hash family. */
  seed: number;
}

export const DEFAULT_NEAR_DUPLICATE_OPTIONS: NearDuplicateOptions = {
  threshold: 0.8,
  bands: 20,
  rowsPerBand: 6,
  shingleSize: 3,
  seed: 0x6b656675, // "kefu"
};

/** Computes MinHash signatures; reusable and stateless apart from its seeds. */
export class MinHasher {
  readonly numPerm: number;
  readonly shingleSize: number;
  private readonly seeds: Uint32Array;
  private shingles = new Uint32Array(1024);

  constructor(numPerm: number, shingleSize: number, seed: number) {
    this.numPerm = numPerm;
    this.shingleSize = shingleSize;
    this.seeds = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) this.seeds[i] = fmix32((seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0);
  }

  /** Signature of an already normalised text; undefined when it has no characters. */
  signatureOfKey(key: string): Uint32Array | undefined {
    const text = key.replace(/ /g, '');
    const n = this.shingleSize;
    const count = text.length === 0 ? 0 : Math.max(1, text.length - n + 1);
    if (count === 0) return undefined;
    if (this.shingles.length < count) this.shingles = new Uint32Array(count * 2);
    const sh = this.shingles;
    for (let i = 0; i < count; i++) {
      let h = 0x811c9dc5;
      const end = Math.min(text.length, i + n);
      for (let j = i; j < end; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
      sh[i] = h >>> 0;
    }
    const sig = new Uint32Array(this.numPerm);
    for (let p = 0; p < this.numPerm; p++) {
      const s = this.seeds[p]!;
      let min = 0xffffffff;
      for (let i = 0; i < count; i++) {
        let h = sh[i]! ^ s;
        h ^= h >>> 16;
        h = Math.imul(h, 0x85ebca6b);
        h ^= h >>> 13;
        h = Math.imul(h, 0xc2b2ae35);
        h = (h ^ (h >>> 16)) >>> 0;
        if (h < min) min = h;
      }
      sig[p] = min;
    }
    return sig;
  }

  /** Signature of raw text (normalised with `normalizeKey` first). */
  signature(text: string): Uint32Array | undefined {
    return this.signatureOfKey(normalizeKey(text));
  }
}

/** Share of positions where two signatures (or fingerprints) agree: an estimate of Jaccard similarity. */
export function estimateJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return same / n;
}

export interface NearDuplicateResult {
  /** Key of the earlier record this one nearly duplicates; absent when it is new (and now indexed). */
  duplicateOf?: string;
  /** Estimated similarity to that record. */
  similarity?: number;
}

/** Streaming index: `check` each record once, in order; the first of each cluster wins. */
export class NearDuplicateIndex {
  readonly options: NearDuplicateOptions;
  private readonly hasher: MinHasher;
  private readonly numPerm: number;
  private readonly keys: string[] = [];
  private fingerprints: Uint16Array;
  private readonly buckets = new Map<number, number | number[]>();

  constructor(options: Partial<NearDuplicateOptions> = {}) {
    this.options = { ...DEFAULT_NEAR_DUPLICATE_OPTIONS, ...options };
    const { bands, rowsPerBand, shingleSize, seed } = this.options;
    this.numPerm = bands * rowsPerBand;
    this.hasher = new MinHasher(this.numPerm, shingleSize, seed);
    this.fingerprints = new Uint16Array(this.numPerm * 1024);
  }

  /** Number of records indexed (kept cluster heads). */
  get size(): number {
    return this.keys.length;
  }

  /** Check raw text (normalised here). */
  check(key: string, text: string): NearDuplicateResult {
    return this.checkKey(key, normalizeKey(text));
  }

  /** Check text already normalised with `normalizeKey`. Empty texts are never duplicates and not indexed. */
  checkKey(key: string, normalized: string): NearDuplicateResult {
    const sig = this.hasher.signatureOfKey(normalized);
    if (!sig) return {};
    const { bands, rowsPerBand, threshold } = this.options;
    const numPerm = this.numPerm;
    const fp = new Uint16Array(numPerm);
    for (let i = 0; i < numPerm; i++) fp[i] = sig[i]! & 0xffff;

    const bandKeys = new Array<number>(bands);
    for (let b = 0; b < bands; b++) {
      let h = Math.imul(0x811c9dc5 ^ (b + 1), 0x01000193);
      for (let r = 0; r < rowsPerBand; r++) h = Math.imul(h ^ sig[b * rowsPerBand + r]!, 0x01000193);
      bandKeys[b] = fmix32(h >>> 0) | 0;
    }

    let best = -1;
    let bestSimilarity = 0;
    const seen = new Set<number>();
    const consider = (idx: number) => {
      if (seen.has(idx) || (best >= 0 && idx > best)) return;
      seen.add(idx);
      const sim = this.similarityTo(idx, fp);
      if (sim >= threshold) {
        best = idx;
        bestSimilarity = sim;
      }
    };
    for (const bk of bandKeys) {
      const hit = this.buckets.get(bk);
      if (hit === undefined) continue;
      if (typeof hit === 'number') consider(hit);
      else for (const idx of hit) consider(idx);
    }
    if (best >= 0) return { duplicateOf: this.keys[best]!, similarity: bestSimilarity };

    this.insert(key, fp, bandKeys);
    return {};
  }

  private similarityTo(idx: number, fp: Uint16Array): number {
    const base = idx * this.numPerm;
    let same = 0;
    for (let i = 0; i < this.numPerm; i++) if (this.fingerprints[base + i] === fp[i]) same++;
    return same / this.numPerm;
  }

  private insert(key: string, fp: Uint16Array, bandKeys: number[]): void {
    const idx = this.keys.length;
    this.keys.push(key);
    const need = (idx + 1) * this.numPerm;
    if (need > this.fingerprints.length) {
      const grown = new Uint16Array(Math.max(need, this.fingerprints.length * 2));
      grown.set(this.fingerprints);
      this.fingerprints = grown;
    }
    this.fingerprints.set(fp, idx * this.numPerm);
    for (const bk of bandKeys) {
      const hit = this.buckets.get(bk);
      if (hit === undefined) this.buckets.set(bk, idx);
      else if (typeof hit === 'number') {
        if (hit !== idx) this.buckets.set(bk, [hit, idx]);
      } else if (hit[hit.length - 1] !== idx) hit.push(idx);
    }
  }
}
