/**
 * The Retriever over the knowledge base: `bm25` (the in-memory LexicalIndex over jieba terms),
 * `dense` (the query's vector against the dense index) or `hybrid` (both lists, `candidates` deep,
 * fused by weighted reciprocal rank fusion: score = Σ w / (k + rank), rank from 1, w = 1 for BM25
 * and `denseWeight` for dense), with exact-match
 * metadata filters applied inside each search, and the winners materialised as Passages from the
 * catalogue. With `expand` on, the customer-service synonyms (query-expansion.ts) add document
 * vocabulary to the query: to BM25 at a reduced weight, to the dense query text as is. Dense search
 * before any embedder exists (an lsa base never ingested) contributes nothing. Does not ingest.
 */
import type { Embedder, Passage, RetrieveOptions, Retriever } from '../assistant/contracts.js';
import { AbortedError, UsageError } from '../core/errors.js';
import type { KnowledgeCatalog } from './catalog.js';
import type { LexicalIndex, QueryTerm } from './lexical-index.js';
import { EXPANSION_WEIGHT, expansionFor } from './query-expansion.js';
import { segment } from './segment.js';
import type { DenseIndex } from './types.js';

export interface RetrieverDeps {
  catalog: KnowledgeCatalog;
  lexical: LexicalIndex;
  embedder: () => Embedder | undefined;
  dense: () => DenseIndex | undefined;
  rrfK: number;
  candidates: number;
  /** Add customer-service synonyms to queries (query-expansion.ts). */
  expand: boolean;
  /** Weight of the dense list in the fusion (BM25's is 1). */
  denseWeight: number;
}

/** The BM25 query: the query's own terms at weight 1, the synonyms' at EXPANSION_WEIGHT. */
export function lexicalQuery(query: string, expansion: string): QueryTerm[] {
  const own = new Set(segment(query));
  const terms: QueryTerm[] = [...own].map((term) => ({ term, weight: 1 }));
  for (const term of new Set(segment(expansion)))
    if (!own.has(term)) terms.push({ term, weight: EXPANSION_WEIGHT });
  return terms;
}

type Ranked = { id: string; score: number }[];

/** Reciprocal rank fusion of ranked id lists, list i counting `weights[i]` (default 1). */
export function reciprocalRankFusion(
  lists: readonly Ranked[],
  k: number,
  weights: readonly number[] = [],
): Ranked {
  const fused = new Map<string, number>();
  lists.forEach((list, i) => {
    const weight = weights[i] ?? 1;
    list.forEach((hit, index) => {
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + weight / (k + index + 1));
    });
  });
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

export class KnowledgeRetriever implements Retriever {
  constructor(private readonly deps: RetrieverDeps) {}

  private expansion(query: string): string {
    return this.deps.expand ? expansionFor(query) : '';
  }

  async bm25(query: string, limit: number, filter?: Record<string, string>): Promise<Ranked> {
    return this.deps.lexical.search(lexicalQuery(query, this.expansion(query)), { limit, filter });
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
    const expansion = this.expansion(query);
    const [vector] = await embedder.embed([expansion ? `${query} ${expansion}` : query], { signal });
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
      ranked = reciprocalRankFusion([lexical, dense], this.deps.rrfK, [1, this.deps.denseWeight]);
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
