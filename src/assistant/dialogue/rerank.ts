/**
 * Re-orders the retrieved passages by how many of the query's Chinese bigrams (and ids / numbers)
 * each one contains, keeping the retriever's order among equals. The knowledge base's fused scores
 * are near ties for short policy paragraphs; the passage that repeats the asked rule's words
 * ("签收 / 天内 / 换货") is the one to quote first; for a question about the shop's rules a
 * product manual's passage comes after the policies. Pure; does not drop or add passages.
 */
import type { Passage } from '../contracts.js';

/** Chinese character bigrams, latin / digit tokens and numbers with their unit ("7天") of `text`. */
export function queryTerms(text: string): Set<string> {
  const terms = new Set<string>([
    ...(text.match(/[A-Za-z0-9]{2,}/g) ?? []),
    ...(text.match(/\d+(?:\.\d+)?[\u4e00-\u9fff]/g) ?? []),
  ]);
  for (const run of text.match(/[\u4e00-\u9fff]+/g) ?? [])
    for (let i = 0; i + 1 < run.length; i += 1) terms.add(run.slice(i, i + 2));
  return terms;
}

/**
 * `general`: the question is about the shop's rules, not one product, so passages of a product's
 * manual (metadata.productId) come after the shop-wide ones.
 */
export function rerankByOverlap(
  query: string,
  passages: readonly Passage[],
  options: { general?: boolean } = {},
): Passage[] {
  const wanted = queryTerms(query);
  const scored = passages.map((passage, index) => {
    const own = queryTerms(`${passage.headings?.at(-1) ?? ''} ${passage.text}`);
    let overlap = 0;
    for (const term of wanted) if (own.has(term)) overlap += 1;
    const specific = options.general && passage.metadata?.productId ? 1 : 0;
    return { passage, index, overlap, specific };
  });
  scored.sort((a, b) => a.specific - b.specific || b.overlap - a.overlap || a.index - b.index);
  return scored.map((s) => s.passage);
}
