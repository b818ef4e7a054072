/**
 * The embedded dense index: every vector in one row-major Float32Array matrix in memory (loaded
 * from the catalogue's BLOBs), searched by one matrix product query × matrixᵀ through the engine's
 * matmul kernel (OpenBLAS when built, portable WebAssembly otherwise), then a top-k pass that skips rows
 * whose metadata fail the filter. Removal swaps the last row into the hole. Vectors are
 * L2-normalised, so the product is the cosine. Does not persist anything.
 */

import type { Kernels } from '../engine/contracts.js';
import { getKernels } from '../engine/kernels/index.js';
import { matchesFilter } from './metadata.js';
import type { DenseHit, DenseIndex, DenseItem } from './types.js';

/** Indices of the `limit` largest scores among rows that pass `accept`, best first. */
export function topK(
  scores: Float32Array,
  count: number,
  limit: number,
  accept?: (row: number) => boolean,
): number[] {
  const best: number[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < count; row++) {
    const s = scores[row]!;
    if (best.length === limit && s <= floor) continue;
    if (accept && !accept(row)) continue;
    let at = best.length;
    while (at > 0 && scores[best[at - 1]!]! < s) at--;
    best.splice(at, 0, row);
    if (best.length > limit) best.pop();
    if (best.length === limit) floor = scores[best[limit - 1]!]!;
  }
  return best;
}

export class MatrixIndex implements DenseIndex {
  readonly kind = 'sqlite' as const;
  private data: Float32Array;
  private scores = new Float32Array(0);
  private ids: string[] = [];
  private metadata: Record<string, string>[] = [];
  private rowOf = new Map<string, number>();

  constructor(
    readonly dimensions: number,
    private readonly kernels: Kernels = getKernels(),
  ) {
    this.data = new Float32Array(dimensions * 1024);
  }

  get size(): number {
    return this.ids.length;
  }

  private grow(rows: number): void {
    if (rows * this.dimensions <= this.data.length) return;
    let capacity = this.data.length / this.dimensions;
    while (capacity < rows) capacity *= 2;
    const next = new Float32Array(capacity * this.dimensions);
    next.set(this.data.subarray(0, this.ids.length * this.dimensions));
    this.data = next;
  }

  /** Synchronous add-or-replace, for bulk loading. */
  add(item: DenseItem): void {
    if (item.vector.length !== this.dimensions) {
      throw new RangeError(`vector has ${item.vector.length} dimensions, the index ${this.dimensions}`);
    }
    let row = this.rowOf.get(item.id);
    if (row === undefined) {
      row = this.ids.length;
      this.grow(row + 1);
      this.ids.push(item.id);
      this.metadata.push(item.metadata);
      this.rowOf.set(item.id, row);
    } else this.metadata[row] = item.metadata;
    this.data.set(item.vector, row * this.dimensions);
  }

  async upsert(items: readonly DenseItem[]): Promise<void> {
    for (const item of items) this.add(item);
  }

  async remove(ids: readonly string[]): Promise<void> {
    const d = this.dimensions;
    for (const id of ids) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      const last = this.ids.length - 1;
      if (row !== last) {
        this.data.copyWithin(row * d, last * d, (last + 1) * d);
        this.ids[row] = this.ids[last]!;
        this.metadata[row] = this.metadata[last]!;
        this.rowOf.set(this.ids[row]!, row);
      }
      this.ids.pop();
      this.metadata.pop();
      this.rowOf.delete(id);
    }
  }

  /** Cosine scores of `vector` against every row (a view, valid until the next call). */
  scoreAll(vector: Float32Array): Float32Array {
    const n = this.ids.length;
    if (this.scores.length < n) this.scores = new Float32Array(Math.max(n, this.scores.length * 2));
    const out = this.scores.subarray(0, n);
    if (n > 0)
      this.kernels.matmul(out, vector, this.data.subarray(0, n * this.dimensions), 1, this.dimensions, n, {
        transB: true,
      });
    return out;
  }

  async search(
    vector: Float32Array,
    options: { limit: number; filter?: Record<string, string> },
  ): Promise<DenseHit[]> {
    const scores = this.scoreAll(vector);
    const filter = options.filter && Object.keys(options.filter).length ? options.filter : undefined;
    const rows = topK(
      scores,
      this.ids.length,
      options.limit,
      filter ? (row) => matchesFilter(this.metadata[row]!, filter) : undefined,
    );
    return rows.map((row) => ({ id: this.ids[row]!, score: scores[row]! }));
  }

  async count(): Promise<number> {
    return this.ids.length;
  }

  async reset(): Promise<void> {
    this.ids = [];
    this.metadata = [];
    this.rowOf.clear();
  }

  async close(): Promise<void> {
    await this.reset();
    this.data = new Float32Array(0);
  }
}
