/**
 * The Retriever over the knowledge base: `bm25` (FTS5 over jieba terms), `dense` (the query's
 * vector against the dense index) or `hybrid` (both lists, `candidates` deep, fused by reciprocal
 * rank fusion: score = Σ 1 / (k + rank), rank from 1), with exact-match metadata filters applied
 * inside each search, and the winners materialised as Passages from the catalogue. Dense search
 * before any embedder exists (an lsa base never ingested) contributes nothing. Does not ingest.
 */
import type { Embedder, Passage, RetrieveOptions, Retriever } from '../assistant/contracts.js';
import { AbortedError, UsageError } from '../core/errors.js';
import type { KnowledgeCatalog } from './catalog.js';
import type { DenseIndex } from './types.js';

export interface RetrieverDeps {
  catalog: KnowledgeCatalog;
  embedder: () => Embedder | undefined;
  dense: () => DenseIndex | undefined;
  rrfK: number;
  candidates: number;
}

type Ranked = { id: string; score: number }[];

/** Reciprocal rank fusion of ranked id lists. */
export function reciprocalRankFusion(lists: readonly Ranked[], k: number): Ranked {
  const fused = new Map<string, number>();
  for (const list of lists) {
    list.forEach((hit, index) => {
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + 1 / (k + index + 1));
    });
  }
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

export class KnowledgeRetriever implements Retriever {
  constructor(private readonly deps: RetrieverDeps) {}

  async bm25(query: string, limit: number, filter?: Record<string, string>): Promise<Ranked> {
    return this.deps.catalog.bm25(query, { limit, filter });
  }

  async dense(
    query: string,
    limit: number,
    filter?: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Ranked> {
    const embedder = this.deps.embedder();
    const index = this.deps.dense();
    if (!embedder || !index) return [];
    const [vector] = await embedder.embed([query], { signal });
    return index.search(vector!, { limit, filter });
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<Passage[]> {
    const limit = options.limit ?? 5;
    const mode = options.mode ?? 'hybrid';
    if (!(limit >= 1)) throw new UsageError(`limit must be >= 1, got ${limit}`);
    if (options.signal?.aborted) throw new AbortedError();
    const filter = options.filter && Object.keys(options.filter).length ? options.filter : undefined;
    let ranked: Ranked;
    if (mode === 'bm25') ranked = await this.bm25(query, limit, filter);
    else if (mode === 'dense') ranked = await this.dense(query, limit, filter, options.signal);
    else if (mode === 'hybrid') {
      const depth = Math.max(this.deps.candidates, limit);
      const [lexical, dense] = await Promise.all([
        this.bm25(query, depth, filter),
        this.dense(query, depth, filter, options.signal),
      ]);
      ranked = reciprocalRankFusion([lexical, dense], this.deps.rrfK);
    } else
      throw new UsageError(`unknown retrieval mode "${String(mode)}"`, { hint: 'hybrid, bm25 or dense' });
    const chunks = this.deps.catalog.chunks(ranked.slice(0, limit * 2).map((hit) => hit.id));
    const passages: Passage[] = [];
    for (const hit of ranked) {
      const chunk = chunks.get(hit.id);
      if (!chunk) continue; // a dense index may hold ids the catalogue has since dropped
      passages.push({
        id: chunk.id,
        text: chunk.text,
        source: chunk.source,
        title: chunk.title,
        headings: chunk.headings,
        score: hit.score,
        metadata: chunk.metadata,
      });
      if (passages.length === limit) break;
    }
    return passages;
  }
}
