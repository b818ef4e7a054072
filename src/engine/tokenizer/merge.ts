/**
 * Applying ranked BPE merges to one piece's symbols: repeatedly merge the adjacent pair with the
 * lowest rank, leftmost first on ties (HF tokenizers' order). Two implementations with the same
 * output: a plain scan for short pieces (fast, O(n²)) and a heap over a linked list for long
 * ones (O(n log n)), so a 100 kB run of spaces or digits cannot stall encoding.
 *
 *   mergeSymbols([h, e, l, l, o], rankOf, mergedId)  // e.g. [hello] when the merges allow it
 *
 * `rankOf(left, right)` gives the merge rank of a pair (Infinity when none); `mergedId(rank)`
 * the id it produces. Does not look up bytes or strings.
 */

export type RankOf = (left: number, right: number) => number;
export type MergedId = (rank: number) => number;

/** Above this many symbols the heap version is used. */
export const LONG_PIECE = 128;

export function mergeSymbols(ids: number[], rankOf: RankOf, mergedId: MergedId): number[] {
  return ids.length > LONG_PIECE ? mergeLong(ids, rankOf, mergedId) : mergeShort(ids, rankOf, mergedId);
}

export function mergeShort(ids: number[], rankOf: RankOf, mergedId: MergedId): number[] {
  if (ids.length < 2) return ids;
  const ranks = new Array<number>(ids.length - 1);
  for (let i = 0; i < ranks.length; i++) ranks[i] = rankOf(ids[i]!, ids[i + 1]!);
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i < ranks.length; i++) {
      if (ranks[i]! < best) {
        best = ranks[i]!;
        at = i;
      }
    }
    if (at < 0) return ids;
    ids[at] = mergedId(best);
    ids.splice(at + 1, 1);
    ranks.splice(at, 1);
    if (at > 0) ranks[at - 1] = rankOf(ids[at - 1]!, ids[at]!);
    if (at < ids.length - 1) ranks[at] = rankOf(ids[at]!, ids[at + 1]!);
  }
}

const POS = 2 ** 26; // heap entry = rank * POS + position (positions < 2^26, ranks < 2^27)

export function mergeLong(ids: number[], rankOf: RankOf, mergedId: MergedId): number[] {
  const n = ids.length;
  if (n < 2) return ids;
  if (n >= POS) throw new RangeError(`piece of ${n} symbols is too long to merge`);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap: number[] = [];
  const push = (value: number) => {
    heap.push(value);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= value) break;
      heap[i] = heap[parent]!;
      heap[parent] = value;
      i = parent;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const c = l + 1 < heap.length && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  const consider = (pos: number) => {
    if (pos < 0) return;
    const q = next[pos]!;
    if (q < 0) return;
    const rank = rankOf(ids[pos]!, ids[q]!);
    if (rank !== Infinity) push(rank * POS + pos);
  };
  for (let i = 0; i + 1 < n; i++) consider(i);
  const dead = new Uint8Array(n);
  while (heap.length > 0) {
    const entry = pop();
    const rank = Math.floor(entry / POS);
    const pos = entry - rank * POS;
    const q = next[pos]!;
    // Stale entries: symbol merged away, or the pair at pos changed since it was pushed.
    if (dead[pos] || q < 0 || rankOf(ids[pos]!, ids[q]!) !== rank) continue;
    ids[pos] = mergedId(rank);
    dead[q] = 1;
    const after = next[q]!;
    next[pos] = after;
    if (after >= 0) prev[after] = pos;
    consider(prev[pos]!);
    consider(pos);
  }
  const out: number[] = [];
  for (let i = 0; i >= 0; i = next[i]!) out.push(ids[i]!);
  return out;
}
