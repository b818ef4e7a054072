/**
 * The in-memory lexical index: BM25F over the chunks' jieba terms (segment.ts) in three fields —
 * title, heading path, body — with one posting list per term held in typed arrays (row numbers in
 * an Int32Array, ascending; field-weighted term frequencies in a Float32Array). A chunk's score is
 * Σ_t w_t · idf_t · tf_t (k1 + 1) / (tf_t + k1 (1 − b + b · len / avglen)), tf_t the weighted
 * frequency (title × titleWeight + headings × headingsWeight + body), len the chunk's total terms,
 * idf_t = ln(1 + (N − df + 0.5) / (df + 0.5)), w_t the query term's weight (1, less for terms a
 * synonym added). Like FTS5's bm25() except for the always-positive idf.
 *
 * Search is term-at-a-time with MaxScore pruning (Turtle & Flood 1995): terms go in decreasing
 * order of their score upper bound (from the term's largest tf and shortest chunk); once the k-th
 * best score so far exceeds the sum of the bounds of the terms still to come, no chunk that has
 * not been seen can reach the top k, so the remaining (frequent, low-idf) terms are only looked up,
 * by binary search in their postings, for the chunks that still can. Results are exact.
 *
 * Removal marks a row dead (postings keep it until `compact`, which runs when a quarter of the
 * rows are dead). Rebuilt from the catalogue at open; does not segment or touch SQLite.
 */
import { matchesFilter } from './metadata.js';

/** A chunk's terms per field, in order, duplicates kept. */
export interface FieldTerms {
  title: readonly string[];
  headings: readonly string[];
  body: readonly string[];
}

export interface QueryTerm {
  term: string;
  /** 1 for the query's own words; below 1 for words a synonym added. */
  weight: number;
}

export interface LexicalOptions {
  k1: number;
  b: number;
  titleWeight: number;
  headingsWeight: number;
}

export const DEFAULT_LEXICAL_OPTIONS: LexicalOptions = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 4,
  headingsWeight: 4,
};

interface Postings {
  rows: Int32Array;
  tfs: Float32Array;
  size: number;
  /** Live chunks holding the term. */
  df: number;
  /** Largest tf and smallest chunk length ever posted (conservative after removals). */
  maxTf: number;
  minLen: number;
}

export class LexicalIndex {
  private readonly terms = new Map<string, Postings>();
  private ids: string[] = [];
  private lengths = new Float32Array(1024);
  private alive = new Uint8Array(1024);
  private rowTerms: (string[] | undefined)[] = [];
  private metadata: Record<string, string>[] = [];
  private readonly rowOf = new Map<string, number>();
  private live = 0;
  private totalLength = 0;
  private scores = new Float32Array(1024);
  private seen = new Uint8Array(1024);
  readonly options: LexicalOptions;
  /** What the last search did: postings scored in full, and whether MaxScore switched to lookups. */
  lastSearch = { postingsScanned: 0, postingsTotal: 0, pruned: false };

  constructor(options: Partial<LexicalOptions> = {}) {
    this.options = { ...DEFAULT_LEXICAL_OPTIONS, ...options };
  }

  get size(): number {
    return this.live;
  }

  private ensureRows(rows: number): void {
    if (rows <= this.lengths.length) return;
    let capacity = this.lengths.length;
    while (capacity < rows) capacity *= 2;
    const grow = <T extends Float32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.lengths = grow(this.lengths, (n) => new Float32Array(n));
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
    this.scores = new Float32Array(capacity);
    this.seen = new Uint8Array(capacity);
  }

  /** Add (or replace) one chunk. */
  add(id: string, fields: FieldTerms, metadata: Record<string, string>): void {
    if (this.rowOf.has(id)) this.remove([id]);
    const { titleWeight, headingsWeight } = this.options;
    const tf = new Map<string, number>();
    const count = (list: readonly string[], weight: number) => {
      for (const term of list) tf.set(term, (tf.get(term) ?? 0) + weight);
    };
    count(fields.title, titleWeight);
    count(fields.headings, headingsWeight);
    // a title word repeated in the body (a manual's product name and model) says which document,
    // not which section: counting it again would favour the intro and spec chunks
    const inTitle = new Set(fields.title);
    count(
      fields.body.filter((t) => !inTitle.has(t)),
      1,
    );
    const length = fields.title.length + fields.headings.length + fields.body.length;
    const row = this.ids.length;
    this.ensureRows(row + 1);
    this.ids.push(id);
    this.metadata.push(metadata);
    this.rowTerms.push([...tf.keys()]);
    this.rowOf.set(id, row);
    this.lengths[row] = length;
    this.alive[row] = 1;
    this.live++;
    this.totalLength += length;
    for (const [term, f] of tf) {
      let p = this.terms.get(term);
      if (!p) {
        p = { rows: new Int32Array(4), tfs: new Float32Array(4), size: 0, df: 0, maxTf: 0, minLen: Infinity };
        this.terms.set(term, p);
      }
      if (p.size === p.rows.length) {
        const rows = new Int32Array(p.size * 2);
        rows.set(p.rows);
        const tfs = new Float32Array(p.size * 2);
        tfs.set(p.tfs);
        p.rows = rows;
        p.tfs = tfs;
      }
      p.rows[p.size] = row;
      p.tfs[p.size] = f;
      p.size++;
      p.df++;
      if (f > p.maxTf) p.maxTf = f;
      if (length < p.minLen) p.minLen = length;
    }
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      this.rowOf.delete(id);
      this.alive[row] = 0;
      this.live--;
      this.totalLength -= this.lengths[row]!;
      for (const term of this.rowTerms[row] ?? []) {
        const p = this.terms.get(term)!;
        p.df--;
      }
      this.rowTerms[row] = undefined;
    }
    const dead = this.ids.length - this.live;
    if (dead > 256 && dead * 4 > this.ids.length) this.compact();
  }

  /** Renumber the live rows densely and drop dead postings. */
  compact(): void {
    const next = new Int32Array(this.ids.length).fill(-1);
    let at = 0;
    for (let row = 0; row < this.ids.length; row++) if (this.alive[row]) next[row] = at++;
    const ids: string[] = [];
    const metadata: Record<string, string>[] = [];
    const rowTerms: (string[] | undefined)[] = [];
    const lengths = new Float32Array(Math.max(1024, at));
    for (let row = 0; row < this.ids.length; row++) {
      const to = next[row]!;
      if (to < 0) continue;
      ids.push(this.ids[row]!);
      metadata.push(this.metadata[row]!);
      rowTerms.push(this.rowTerms[row]);
      lengths[to] = this.lengths[row]!;
      this.rowOf.set(this.ids[row]!, to);
    }
    for (const [term, p] of this.terms) {
      let kept = 0;
      for (let i = 0; i < p.size; i++) {
        const to = next[p.rows[i]!]!;
        if (to < 0) continue;
        p.rows[kept] = to;
        p.tfs[kept] = p.tfs[i]!;
        kept++;
      }
      if (kept === 0) this.terms.delete(term);
      else p.size = kept;
    }
    this.ids = ids;
    this.metadata = metadata;
    this.rowTerms = rowTerms;
    this.lengths = lengths;
    this.alive = new Uint8Array(lengths.length).fill(1, 0, at);
    this.scores = new Float32Array(lengths.length);
    this.seen = new Uint8Array(lengths.length);
  }

  /** Best `limit` chunks for the query terms (exact BM25F), best first. */
  search(
    query: readonly QueryTerm[],
    options: { limit: number; filter?: Record<string, string> },
  ): { id: string; score: number }[] {
    const { k1, b } = this.options;
    const n = this.live;
    if (n === 0 || options.limit < 1) return [];
    const avg = this.totalLength / n || 1;
    const filter = options.filter && Object.keys(options.filter).length ? options.filter : undefined;
    const weights = new Map<string, number>();
    for (const q of query) weights.set(q.term, Math.max(weights.get(q.term) ?? 0, q.weight));
    const plan: { p: Postings; factor: number; bound: number }[] = [];
    for (const [term, weight] of weights) {
      const p = this.terms.get(term);
      if (!p || p.df <= 0 || weight <= 0) continue;
      const factor = weight * Math.log(1 + (n - p.df + 0.5) / (p.df + 0.5));
      const bound = (factor * p.maxTf * (k1 + 1)) / (p.maxTf + k1 * (1 - b + (b * p.minLen) / avg));
      plan.push({ p, factor, bound });
    }
    plan.sort((x, y) => y.bound - x.bound);
    const rest = new Float64Array(plan.length + 1);
    for (let i = plan.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + plan[i]!.bound;

    const scores = this.scores;
    const seen = this.seen;
    const touched: number[] = [];
    const accept = (row: number) =>
      this.alive[row] === 1 && (!filter || matchesFilter(this.metadata[row]!, filter));
    const norm = (row: number) => k1 * (1 - b + (b * this.lengths[row]!) / avg);
    let candidates: number[] | undefined;
    this.lastSearch = { postingsScanned: 0, postingsTotal: 0, pruned: false };
    for (const { p } of plan) this.lastSearch.postingsTotal += p.size;
    for (let i = 0; i < plan.length; i++) {
      const { p, factor } = plan[i]!;
      if (!candidates && touched.length >= options.limit) {
        const threshold = this.kthScore(touched, options.limit, accept);
        if (threshold > rest[i]!) {
          // no unseen chunk can reach the top k: keep only those that still can, sorted by row
          candidates = touched.filter((row) => scores[row]! + rest[i]! > threshold && accept(row));
          candidates.sort((x, y) => x - y);
          this.lastSearch.pruned = true;
        }
      }
      if (!candidates) {
        this.lastSearch.postingsScanned += p.size;
        for (let j = 0; j < p.size; j++) {
          const row = p.rows[j]!;
          const tf = p.tfs[j]!;
          if (!seen[row]) {
            seen[row] = 1;
            scores[row] = 0;
            touched.push(row);
          }
          scores[row]! += (factor * tf * (k1 + 1)) / (tf + norm(row));
        }
      } else {
        let lo = 0;
        for (const row of candidates) {
          lo = lowerBound(p.rows, lo, p.size, row);
          if (lo < p.size && p.rows[lo] === row) {
            const tf = p.tfs[lo]!;
            scores[row]! += (factor * tf * (k1 + 1)) / (tf + norm(row));
          }
        }
      }
    }
    const pool = candidates ?? touched;
    const best = topRows(pool, scores, options.limit, accept);
    const out = best.map((row) => ({ id: this.ids[row]!, score: scores[row]! }));
    for (const row of touched) seen[row] = 0;
    return out;
  }

  /** The `k`-th largest score among accepted rows of `rows` (−∞ when fewer). */
  private kthScore(rows: readonly number[], k: number, accept: (row: number) => boolean): number {
    const best = topRows(rows, this.scores, k, accept);
    return best.length < k ? Number.NEGATIVE_INFINITY : this.scores[best[k - 1]!]!;
  }
}

/** First index in rows[from, to) whose value is >= target (galloping, then binary search). */
function lowerBound(rows: Int32Array, from: number, to: number, target: number): number {
  let step = 1;
  let hi = from;
  while (hi < to && rows[hi]! < target) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, to);
  let lo = from;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The `limit` accepted rows with the highest scores, best first (ties: lower row first). */
function topRows(
  rows: readonly number[],
  scores: Float32Array,
  limit: number,
  accept: (row: number) => boolean,
): number[] {
  const best: number[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const s = scores[row]!;
    if (best.length === limit && s <= floor) continue;
    if (!accept(row)) continue;
    let at = best.length;
    while (at > 0 && (scores[best[at - 1]!]! < s || (scores[best[at - 1]!]! === s && best[at - 1]! > row)))
      at--;
    best.splice(at, 0, row);
    if (best.length > limit) best.pop();
    if (best.length === limit) floor = scores[best[limit - 1]!]!;
  }
  return best;
}
