/**
 * The passages for a product or policy question: the retrieval query (the message plus the
 * intent's and the rule's words, ./intent-plan.ts), a product's manual first when a product is
 * asked about, the policy documents searched on their own for a question about the shop's rules
 * (so many near-identical manual paragraphs cannot crowd them out), a wider pool than needed
 * re-ranked by the query's words (./rerank.ts) and cut to the configured limit.
 * Does not decide whether a turn needs passages beyond RETRIEVAL_HINTS, and stores nothing.
 */
import type { Passage, Retriever } from '../contracts.js';
import type { Intent } from '../understanding/intent.js';
import { RETRIEVAL_HINTS, retrievalQuery } from './intent-plan.js';
import { rerankByOverlap } from './rerank.js';

export interface RetrievalSources {
  /** The knowledge base (filters by productId / kind work here). */
  retriever?: Retriever;
  /** The shop's policy documents, searched when there is no knowledge base. */
  policies?: Retriever;
  limit: number;
}

export async function retrievePassages(
  sources: RetrievalSources,
  intent: Intent,
  text: string,
  productId: string | undefined,
  signal?: AbortSignal,
): Promise<Passage[]> {
  const retriever = sources.retriever ?? sources.policies;
  if (!retriever || RETRIEVAL_HINTS[intent] === undefined || sources.limit === 0) return [];
  const query = retrievalQuery(intent, text);
  const options = { limit: Math.max(sources.limit, 8), ...(signal ? { signal } : {}) };
  const aboutProduct = Boolean(productId) && intent.startsWith('product');
  const product =
    aboutProduct && sources.retriever
      ? await retriever.retrieve(query, { ...options, filter: { productId: productId as string } })
      : [];
  const policies =
    !aboutProduct && sources.retriever
      ? await retriever.retrieve(query, { ...options, filter: { kind: 'policy' } })
      : [];
  const found = product.length ? product : await retriever.retrieve(query, options);
  const seen = new Set(policies.map((p) => p.id));
  const passages = [...policies, ...found.filter((p) => !seen.has(p.id))].filter((p) => p.score > 0);
  return rerankByOverlap(query, passages, { general: !aboutProduct }).slice(0, sources.limit);
}
