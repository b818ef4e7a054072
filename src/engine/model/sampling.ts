/**
 * Next-token sampling from logits with HF generate() meanings: repetition penalty (divide positive
 * logits, multiply negative ones, once per distinct seen token), temperature (0 = greedy argmax),
 * top-k, then top-p (nucleus, keeping at least one token), drawn with a seeded RNG.
 * Preallocates its buffers per vocabulary, so sampling a token allocates nothing. Modifies the
 * logits it is given. `sampleAccepted` adds a token-acceptance hook for constrained decoding: greedy
 * tries tokens in descending logit order, sampling redraws without replacement inside the top-k /
 * top-p set and then goes on in descending logit order; after a bounded number of rejections it
 * takes the unconstrained first choice. Does not run the model (see ./generate.ts).
 *
 * Example: `const s = new Sampler(V, { temperature: 0.7, topP: 0.9, seed: 1 }); s.sample(logits, ids, n)`
 *          `s.sampleAccepted(logits, ids, n, (id) => allowed.has(id), 32)`
 */
import { ConfigError } from '../../core/errors.js';
import { Rng } from './rng.js';

export interface SamplingOptions {
  /** Softmax temperature; 0 picks the most likely token (greedy). Defaults to 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 keeps all. Defaults to 0. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all. Defaults to 1. */
  topP?: number;
  /** HF repetition penalty over prompt and generated tokens; 1 is off. Defaults to 1. */
  repetitionPenalty?: number;
  /** Seed of the sampling RNG. Defaults to 0. */
  seed?: number;
}

export class Sampler {
  private readonly temperature: number;
  private readonly topK: number;
  private readonly topP: number;
  private readonly penalty: number;
  private readonly rng: Rng;
  private readonly probs: Float32Array; // (V)
  private readonly idx: Uint32Array; // (V) candidate token ids
  private readonly seen: Uint8Array; // (V)

  constructor(
    readonly vocabSize: number,
    options: SamplingOptions = {},
  ) {
    this.temperature = options.temperature ?? 1;
    this.topK = options.topK ?? 0;
    this.topP = options.topP ?? 1;
    this.penalty = options.repetitionPenalty ?? 1;
    if (!(this.temperature >= 0)) throw new ConfigError(`temperature must be ≥ 0, got ${this.temperature}`);
    if (!(Number.isInteger(this.topK) && this.topK >= 0))
      throw new ConfigError(`top_k must be an integer ≥ 0, got ${this.topK}`);
    if (!(this.topP > 0 && this.topP <= 1))
      throw new ConfigError(`top_p must be in (0, 1], got ${this.topP}`);
    if (!(this.penalty > 0)) throw new ConfigError(`repetition_penalty must be > 0, got ${this.penalty}`);
    this.rng = new Rng(options.seed ?? 0);
    this.probs = new Float32Array(vocabSize);
    this.idx = new Uint32Array(vocabSize);
    this.seen = new Uint8Array(vocabSize);
  }

  /** Picks the next token from `logits` (V, modified in place) given the first `count` ids of `history`. */
  sample(logits: Float32Array, history: ArrayLike<number> = [], count = history.length): number {
    const V = this.vocabSize;
    if (this.penalty !== 1) this.applyPenalty(logits, history, count);
    if (this.temperature === 0) return argmax(logits, V);
    const n = this.filter(logits);
    return this.draw(this.topK === 0 && this.topP === 1 ? null : this.idx, n);
  }

  /**
   * Like `sample`, but the token must pass `accept`. Greedy: candidates in descending logit order.
   * Sampling: draws without replacement among the top-k / top-p candidates, then the remaining
   * tokens in descending logit order. At most `maxTries` candidates are asked; when all are
   * rejected the first (unconstrained) choice is returned, so decoding never stalls.
   */
  sampleAccepted(
    logits: Float32Array,
    history: ArrayLike<number>,
    count: number,
    accept: (id: number) => boolean,
    maxTries = 32,
  ): number {
    const V = this.vocabSize;
    if (this.penalty !== 1) this.applyPenalty(logits, history, count);
    const tries = Math.max(1, Math.min(maxTries, V));
    if (this.temperature === 0) {
      const first = argmax(logits, V);
      if (accept(first) || tries === 1) return first;
      for (const id of topIndices(logits, tries, V)) if (id !== first && accept(id)) return id;
      return first;
    }
    const n = this.filter(logits);
    const cand = this.topK === 0 && this.topP === 1 ? null : this.idx;
    const first = this.draw(cand, n);
    if (accept(first)) return first;
    const rejected = new Set([first]);
    let asked = 1;
    this.probs[first] = 0;
    while (asked < tries && this.mass(cand, n) > 0) {
      const id = this.draw(cand, n);
      if (rejected.has(id)) break; // only rounding can draw a zeroed token: the set is spent
      asked++;
      if (accept(id)) return id;
      rejected.add(id);
      this.probs[id] = 0;
    }
    if (asked < tries) {
      for (const id of topIndices(logits, tries, V)) {
        if (rejected.has(id)) continue;
        if (accept(id)) return id;
        if (++asked >= tries) break;
      }
    }
    return first;
  }

  /** Softmax probs of `logits` and the top-k / top-p candidates in idx (sorted); returns their count. */
  private filter(logits: Float32Array): number {
    const V = this.vocabSize;
    const probs = this.probs;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < V; j++) if (logits[j]! > max) max = logits[j]!;
    const invT = 1 / this.temperature;
    for (let j = 0; j < V; j++) probs[j] = Math.exp((logits[j]! - max) * invT);
    if (this.topK === 0 && this.topP === 1) return V;
    let n = V;
    if (this.topK > 0 && this.topK < V) n = this.selectTopK(this.topK);
    else for (let j = 0; j < V; j++) this.idx[j] = j;
    const cand = this.idx.subarray(0, n);
    cand.sort((a, b) => probs[b]! - probs[a]! || a - b);
    if (this.topP < 1) {
      let total = 0;
      for (let i = 0; i < n; i++) total += probs[cand[i]!]!;
      let cum = 0;
      let keep = 0;
      while (keep < n) {
        cum += probs[cand[keep++]!]!;
        if (cum >= this.topP * total) break;
      }
      n = keep;
    }
    return n;
  }

  private mass(cand: Uint32Array | null, n: number): number {
    let total = 0;
    for (let i = 0; i < n; i++) total += this.probs[cand ? cand[i]! : i]!;
    return total;
  }

  private applyPenalty(logits: Float32Array, history: ArrayLike<number>, count: number): void {
    for (let i = 0; i < count; i++) {
      const t = history[i]!;
      if (this.seen[t]) continue;
      this.seen[t] = 1;
      const l = logits[t]!;
      logits[t] = l < 0 ? l * this.penalty : l / this.penalty;
    }
    for (let i = 0; i < count; i++) this.seen[history[i]!] = 0;
  }

  /** Puts the ids of the k largest probs in idx[0…k) (unordered), via a min-heap. */
  private selectTopK(k: number): number {
    const { probs, idx } = this;
    const less = (a: number, b: number) => probs[a]! < probs[b]! || (probs[a] === probs[b] && a > b);
    const siftDown = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && less(idx[l]!, idx[m]!)) m = l;
        if (r < k && less(idx[r]!, idx[m]!)) m = r;
        if (m === i) return;
        const t = idx[i]!;
        idx[i] = idx[m]!;
        idx[m] = t;
        i = m;
      }
    };
    for (let j = 0; j < k; j++) idx[j] = j;
    for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
    for (let j = k; j < this.vocabSize; j++) {
      if (less(idx[0]!, j)) {
        idx[0] = j;
        siftDown(0);
      }
    }
    return k;
  }

  /** Draws among the first n candidates (all tokens when `cand` is null) proportionally to probs. */
  private draw(cand: Uint32Array | null, n: number): number {
    const probs = this.probs;
    let total = 0;
    for (let i = 0; i < n; i++) total += probs[cand ? cand[i]! : i]!;
    let r = this.rng.next() * total;
    for (let i = 0; i < n; i++) {
      const t = cand ? cand[i]! : i;
      r -= probs[t]!;
      if (r < 0) return t;
    }
    return cand ? cand[n - 1]! : n - 1;
  }
}

/** Ids of the k largest of the first V values, largest first (lower id first on ties). */
export function topIndices(values: Float32Array, k: number, V = values.length): number[] {
  const top: number[] = [];
  const before = (a: number, b: number) => values[a]! > values[b]! || (values[a] === values[b] && a < b);
  for (let j = 0; j < V; j++) {
    if (top.length === k && !before(j, top[k - 1]!)) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(top[mid]!, j)) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, j);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Index of the largest of the first V values (the first on ties). */
export function argmax(values: Float32Array, V = values.length): number {
  let best = 0;
  for (let j = 1; j < V; j++) if (values[j]! > values[best]!) best = j;
  return best;
}
