/**
 * A small Retriever over the shop's own policy documents in the order book (imported with the
 * shop: the sample's docs/policies, τ-bench's policy.md), used when no knowledge base has been
 * ingested so policy questions still get the shop's own words. Paragraphs (a heading's lines, or
 * list items) are scored by IDF-weighted overlap of jieba terms with the query (the knowledge base's
 * segmentation), normalised by paragraph length.
 * Does not replace the knowledge base's BM25 + dense retrieval; no filters, no embeddings.
 */
import { distinctTerms } from '../../knowledge/segment.js';
import type { OrderBookReader } from '../../shop/order-book.js';
import type { Passage, RetrieveOptions, Retriever } from '../contracts.js';

interface Paragraph {
  id: string;
  text: string;
  title: string;
  headings: string[];
  source: string;
  grams: Set<string>;
}

/** Query / paragraph terms: the knowledge base's jieba segmentation, minus words every policy uses. */
const GENERIC = new Set([
  '政策',
  '规则',
  '规定',
  '怎样',
  '怎么',
  '什么',
  '请问',
  '一下',
  '可以',
  '吗',
  '呢',
  '的',
  '是',
]);
/** Question words → the words policies answer them with ("多久发货" → 发货时效). */
const EXPANSIONS: Record<string, string> = {
  多久: '时效 小时 天内',
  几天: '时效 天内',
  什么时候: '时效 时间',
  多少钱: '费用 价格',
  怎么退: '退货 申请',
  怎么换: '换货 申请',
};

function bigrams(text: string): Set<string> {
  return new Set(distinctTerms(text).filter((t) => !GENERIC.has(t)));
}

function paragraphs(slug: string, title: string, markdown: string): Paragraph[] {
  const out: Paragraph[] = [];
  let heading: string[] = [];
  let buffer: string[] = [];
  const flush = () => {
    const text = buffer.join(' ').trim();
    if (text.length >= 8) {
      out.push({
        id: `policy:${slug}#${out.length + 1}`,
        text,
        title,
        headings: heading,
        source: `policies/${slug}.md`,
        grams: bigrams(`${heading.at(-1) ?? ''} ${text}`),
      });
    }
    buffer = [];
  };
  for (const line of markdown.split('\n')) {
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = [...heading.slice(0, h[1]!.length - 1), h[2]!.trim()];
    } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      flush();
      buffer.push(line.replace(/^\s*([-*]|\d+\.)\s+/, ''));
      flush();
    } else if (line.trim() === '') flush();
    else buffer.push(line.trim());
  }
  flush();
  return out;
}

export class PolicyRetriever implements Retriever {
  private loaded: Promise<Paragraph[]> | undefined;
  /** Inverse document frequency of each bigram over the paragraphs. */
  private idf = new Map<string, number>();

  constructor(private readonly book: OrderBookReader) {}

  private load(): Promise<Paragraph[]> {
    this.loaded ??= this.book.policyDocuments().then((docs) => {
      const all = docs.flatMap((d) => paragraphs(d.slug, d.title, d.markdown));
      const df = new Map<string, number>();
      for (const p of all) for (const g of p.grams) df.set(g, (df.get(g) ?? 0) + 1);
      for (const [g, n] of df) this.idf.set(g, Math.log(1 + all.length / n));
      return all;
    });
    return this.loaded;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<Passage[]> {
    const expanded = Object.entries(EXPANSIONS).reduce(
      (text, [word, more]) => (text.includes(word) ? `${text} ${more}` : text),
      query,
    );
    const wanted = bigrams(expanded);
    if (wanted.size === 0) return [];
    const all = await this.load();
    const scored = all
      .map((p) => {
        let hits = 0;
        for (const g of wanted) if (p.grams.has(g)) hits += this.idf.get(g) ?? 0;
        // A document's introduction (under its title only) says little; rules sit in sections.
        const intro = p.headings.length < 2 ? 0.5 : 1;
        return { p, score: (intro * hits) / Math.sqrt(p.grams.size + 8) };
      })
      .filter((s) => s.score > 0.2)
      .sort((a, b) => b.score - a.score)
      .slice(0, options.limit ?? 3);
    return scored.map(({ p, score }) => ({
      id: p.id,
      text: p.text,
      source: p.source,
      title: p.title,
      headings: p.headings,
      score,
      metadata: { kind: 'policy' },
    }));
  }
}
