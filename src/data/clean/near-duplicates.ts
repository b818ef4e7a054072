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
 * minimum; 240 bytes at the defaults) and one entry in each band's bucket (buckets are capped).
 * Texts are never stored.
 * Accuracy: the estimate has a standard error of about sqrt(J(1-J)/permutations), ±0.04 near
 * J = 0.8 with the default 120 permutations. When hundreds of templated records sit at true
 * J ≈ 0.7, a few of them estimate above 0.8 and are reported; more bands × rows narrow that.
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
  /**
   * Most records one bucket holds. Template-heavy data can put thousands of distinct records in
   * one band bucket; capping keeps each check bounded (the oldest entries stay, later records
   * are still reachable through their other bands).
   */
  maxBucketSize: number;
}

export const DEFAULT_NEAR_DUPLICATE_OPTIONS: NearDuplicateOptions = {
  threshold: 0.8,
  bands: 20,
  rowsPerBand: 6,
  shingleSize: 3,
  seed: 0x6b656675, // "kefu"
  maxBucketSize: 64,
};

/** Computes MinHash signatures; reusable and stateless apart from its seeds. */
export class MinHasher {
  readonly numPerm: number;
  readonly shingleSize: number;
  private readonly mul: Uint32Array;
  private readonly add: Uint32Array;
  private shingles = new Uint32Array(1024);

  constructor(numPerm: number, shingleSize: number, seed: number) {
    this.numPerm = numPerm;
    this.shingleSize = shingleSize;
    this.mul = new Uint32Array(numPerm);
    this.add = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) {
      this.mul[i] = (fmix32((seed + Math.imul(2 * i + 1, 0x9e3779b9)) >>> 0) | 1) >>> 0; // odd: a bijection
      this.add[i] = fmix32((seed ^ Math.imul(2 * i + 2, 0x85ebca6b)) >>> 0);
    }
  }

  /**
   * Signature of an already normalised text (spaces ignored); undefined when it has no characters.
   * Each shingle is hashed once (FNV-1a + fmix32); permutation i maps a hash h to
   * (mul[i] * h + add[i]) mod 2^32, a bijection, and keeps the minimum.
   */
  signatureOfKey(key: string): Uint32Array | undefined {
    const text = key.includes(' ') ? key.replace(/ /g, '') : key;
    const n = this.shingleSize;
    const count = text.length === 0 ? 0 : Math.max(1, text.length - n + 1);
    if (count === 0) return undefined;
    if (this.shingles.length < count) this.shingles = new Uint32Array(count * 2);
    const sh = this.shingles;
    for (let i = 0; i < count; i++) {
      let h = 0x811c9dc5;
      const end = Math.min(text.length, i + n);
      for (let j = i; j < end; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
      sh[i] = fmix32(h >>> 0);
    }
    const sig = new Uint32Array(this.numPerm);
    for (let p = 0; p < this.numPerm; p++) {
      const a = this.mul[p]!;
      const b = this.add[p]!;
      let min = 0xffffffff;
      for (let i = 0; i < count; i++) {
        const h = (Math.imul(a, sh[i]!) + b) >>> 0;
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
  /** Per indexed record, the number of the last check that verified it (skips repeat candidates). */
  private visited = new Uint32Array(1024);
  private checks = 0;

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
    const stamp = ++this.checks;
    const visited = this.visited;
    const consider = (idx: number) => {
      if (visited[idx] === stamp || (best >= 0 && idx > best)) return;
      visited[idx] = stamp;
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

  /** Estimated similarity to record `idx`; gives up (returns -1) once the threshold is out of reach. */
  private similarityTo(idx: number, fp: Uint16Array): number {
    const base = idx * this.numPerm;
    const allowed = Math.floor((1 - this.options.threshold) * this.numPerm + 1e-9);
    let differ = 0;
    for (let i = 0; i < this.numPerm; i++) {
      if (this.fingerprints[base + i] !== fp[i] && ++differ > allowed) return -1;
    }
    return (this.numPerm - differ) / this.numPerm;
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
    if (idx >= this.visited.length) {
      const grown = new Uint32Array(this.visited.length * 2);
      grown.set(this.visited);
      this.visited = grown;
    }
    for (const bk of bandKeys) {
      const hit = this.buckets.get(bk);
      if (hit === undefined) this.buckets.set(bk, idx);
      else if (typeof hit === 'number') {
        if (hit !== idx) this.buckets.set(bk, [hit, idx]);
      } else if (hit.length < this.options.maxBucketSize && hit[hit.length - 1] !== idx) hit.push(idx);
    }
  }
}
