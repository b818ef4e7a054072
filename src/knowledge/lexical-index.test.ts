import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICAL_OPTIONS, type FieldTerms, LexicalIndex, type QueryTerm } from './lexical-index.js';

/** A seeded corpus with a Zipf-like vocabulary, so some terms are frequent and some rare. */
function corpus(seed: number, count: number) {
  let state = seed >>> 0 || 1;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const word = () => `w${Math.floor(1 / (rand() * 0.98 + 0.02))}`;
  const list = (n: number) => Array.from({ length: n }, word);
  return Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    terms: {
      title: list(2),
      headings: list(1 + Math.floor(rand() * 2)),
      body: list(5 + Math.floor(rand() * 40)),
    },
    metadata: { kind: i % 3 === 0 ? 'policy' : 'manual' },
  }));
}

/** The score the index documents, computed naively over every live chunk. */
function bruteForce(
  docs: { id: string; terms: FieldTerms; metadata: Record<string, string> }[],
  query: QueryTerm[],
  limit: number,
  filter?: Record<string, string>,
) {
  const { k1, b, titleWeight, headingsWeight } = DEFAULT_LEXICAL_OPTIONS;
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    const inTitle = new Set(d.terms.title);
    for (const t of d.terms.title) tf.set(t, (tf.get(t) ?? 0) + titleWeight);
    for (const t of d.terms.headings) tf.set(t, (tf.get(t) ?? 0) + headingsWeight);
    for (const t of d.terms.body) if (!inTitle.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const lengths = docs.map((d) => d.terms.title.length + d.terms.headings.length + d.terms.body.length);
  const avg = lengths.reduce((a, x) => a + x, 0) / docs.length;
  const scored = docs.map((d, i) => {
    let score = 0;
    let matched = false;
    for (const q of query) {
      const df = tfs.filter((tf) => tf.has(q.term)).length;
      const tf = tfs[i]!.get(q.term);
      if (!tf) continue;
      matched = true;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      score += (q.weight * idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[i]!) / avg));
    }
    return { id: d.id, score, matched, metadata: d.metadata };
  });
  return scored
    .filter((s) => s.matched && Object.entries(filter ?? {}).every(([k, v]) => s.metadata[k] === v))
    .sort((x, y) => y.score - x.score)
    .slice(0, limit);
}

function expectSameRanking(got: { id: string; score: number }[], want: { id: string; score: number }[]) {
  expect(got.map((h) => h.score)).toEqual(want.map((h) => expect.closeTo(h.score, 3)));
  // ids may swap only between equal scores
  got.forEach((hit, i) => {
    if (hit.id !== want[i]!.id) expect(hit.score).toBeCloseTo(want[i]!.score, 4);
  });
}

describe('LexicalIndex', () => {
  const docs = corpus(7, 600);
  const index = new LexicalIndex();
  for (const d of docs) index.add(d.id, d.terms, d.metadata);
  const queries: QueryTerm[][] = [
    [{ term: 'w1', weight: 1 }],
    [
      { term: 'w3', weight: 1 },
      { term: 'w17', weight: 1 },
      { term: 'w1', weight: 1 },
    ],
    [
      { term: 'w40', weight: 1 },
      { term: 'w2', weight: 0.5 },
      { term: 'w1', weight: 1 },
      { term: 'w9', weight: 1 },
    ],
    [
      { term: 'w45', weight: 1 },
      { term: 'nowhere', weight: 1 },
    ],
  ];

  it('MaxScore pruning returns exactly the exhaustive BM25F top k', () => {
    let pruned = 0;
    for (const query of queries) {
      for (const limit of [1, 5, 50]) {
        expectSameRanking(index.search(query, { limit }), bruteForce(docs, query, limit));
        if (index.lastSearch.pruned) {
          pruned++;
          expect(index.lastSearch.postingsScanned).toBeLessThan(index.lastSearch.postingsTotal);
        }
      }
    }
    expect(pruned).toBeGreaterThanOrEqual(3);
  });

  it('applies metadata filters inside the ranking', () => {
    const query = queries[2]!;
    const hits = index.search(query, { limit: 10, filter: { kind: 'policy' } });
    expectSameRanking(hits, bruteForce(docs, query, 10, { kind: 'policy' }));
    expect(hits.length).toBe(10);
  });

  it('stays exact after removals, replacements and compaction', () => {
    const live = corpus(7, 600);
    const idx = new LexicalIndex();
    for (const d of live) idx.add(d.id, d.terms, d.metadata);
    const removed = live.filter((_, i) => i % 2 === 0).map((d) => d.id);
    idx.remove(removed); // 300 of 600 dead: compacts
    const replacement = corpus(99, 20).map((d, i) => ({ ...d, id: `c${2 * i + 1}` }));
    for (const d of replacement) idx.add(d.id, d.terms, d.metadata);
    const byId = new Map(live.filter((_, i) => i % 2 === 1).map((d) => [d.id, d]));
    for (const d of replacement) byId.set(d.id, d);
    const now = [...byId.values()];
    expect(idx.size).toBe(now.length);
    for (const query of queries)
      expectSameRanking(idx.search(query, { limit: 5 }), bruteForce(now, query, 5));
    expect(idx.search([{ term: 'w1', weight: 1 }], { limit: 1000 }).some((h) => removed.includes(h.id))).toBe(
      false,
    );
  });

  it('counts a title word once: repeating the product name in the body does not lift a chunk', () => {
    const idx = new LexicalIndex();
    const title = ['云帆', '吸尘器', 'v85'];
    idx.add('intro', { title, headings: [], body: ['云帆', '吸尘器', 'v85', '无线'] }, {});
    idx.add('usage', { title, headings: ['使用'], body: ['首次', '使用', '充电'] }, {});
    idx.add('other', { title: ['口红'], headings: ['使用'], body: ['涂抹'] }, {});
    const [top] = idx.search(
      [
        { term: 'v85', weight: 1 },
        { term: '使用', weight: 1 },
      ],
      { limit: 3 },
    );
    expect(top!.id).toBe('usage');
  });

  it('returns nothing for an empty index or query', () => {
    expect(new LexicalIndex().search([{ term: 'a', weight: 1 }], { limit: 5 })).toEqual([]);
    expect(index.search([], { limit: 5 })).toEqual([]);
  });
});
