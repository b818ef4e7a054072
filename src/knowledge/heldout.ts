/**
 * Held-out question → passage pairs from the sample shop, for the recall benchmark and tests.
 * The documents are the shop's policies and product manuals (faq.md is left out: it holds the
 * first wording of every policy question). The questions are the shop's FAQ dataset records
 * (generateFaq: customer-style wordings with noise such as greetings, phone numbers or ads, never a
 * chunk's text), each citing its source file and the fact that answers it; a passage is relevant
 * when it comes from that file and contains the fact. Deterministic for a seed. Writes only into
 * the folder it is given.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Passage, Retriever } from '../assistant/contracts.js';
import { generateFaq } from '../shop/sample/dialogue/faq.js';
import { manualMarkdown } from '../shop/sample/manuals.js';
import { policyDocuments } from '../shop/sample/policies.js';
import { Rng } from '../shop/sample/random.js';
import { generateShop, indexShop } from '../shop/sample/shop.js';

export interface HeldOutPair {
  question: string;
  /** The cited file, e.g. docs/manuals/P10023.md. */
  source: string;
  /** The facts that answer it (a spec value, a table row, the policy sentences). */
  facts: string[];
}

function shopOf(seed: number, productsPerType: number) {
  return generateShop(seed, { productsPerType, customers: 20, orders: 40 });
}

/** Write docs/policies/*.md and docs/manuals/*.md under `dir`; returns the file count. */
export async function writeSampleKnowledge(
  dir: string,
  options: { seed?: number; productsPerType?: number } = {},
) {
  const shop = shopOf(options.seed ?? 42, options.productsPerType ?? 9);
  const files = new Map<string, string>();
  for (const doc of policyDocuments()) files.set(`docs/policies/${doc.slug}.md`, doc.markdown);
  for (const product of shop.products) files.set(product.manual, manualMarkdown(product));
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return files.size;
}

/** `count` pairs drawn like the shop's FAQ dataset (about 30% policy, 70% product questions). */
export function heldOutPairs(options: {
  seed?: number;
  productsPerType?: number;
  count: number;
}): HeldOutPair[] {
  const seed = options.seed ?? 42;
  const ix = indexShop(shopOf(seed, options.productsPerType ?? 9));
  const pairs: HeldOutPair[] = [];
  for (const record of generateFaq(ix, new Rng(seed).fork('held-out'), options.count)) {
    const lines = record.input.split('\n');
    const source = lines
      .find((l) => l.startsWith('资料: '))
      ?.slice(4)
      .trim();
    const facts = lines
      .filter((l) => !/^(商品|型号|资料): /u.test(l))
      .map((l) => l.slice(l.indexOf(': ') + 2).trim())
      .filter(Boolean);
    if (source && facts.length) pairs.push({ question: record.instruction, source, facts });
  }
  return pairs;
}

/**
 * The passage holds (the start of) the fact and, for a manual, comes from the cited file (manuals
 * share sentences such as warranty terms; policy sentences are unique, and a policy answer may
 * quote a rule kept in a neighbouring policy file).
 */
export function isRelevant(passage: Pick<Passage, 'source' | 'text'>, pair: HeldOutPair): boolean {
  const sourceOk = passage.source === pair.source || !pair.source.includes('/manuals/');
  return (
    sourceOk &&
    pair.facts.some((fact) => {
      // a troubleshooting fact "现象 | 原因 | 处理" is a table row and a care fact "a；b；c" a list:
      // their first cell or item identifies them
      const first = fact.split(/ \| |；/u)[0] ?? fact;
      return passage.text.includes([...first].slice(0, 12).join(''));
    })
  );
}

export interface RecallResult {
  recall: number;
  questions: number;
  /** Per-query milliseconds, in question order. */
  latencies: number[];
}

export async function recallAtK(
  retriever: Retriever,
  pairs: readonly HeldOutPair[],
  options: { mode: 'bm25' | 'dense' | 'hybrid'; k?: number },
): Promise<RecallResult> {
  let hits = 0;
  const latencies: number[] = [];
  for (const pair of pairs) {
    const started = performance.now();
    const passages = await retriever.retrieve(pair.question, { mode: options.mode, limit: options.k ?? 5 });
    latencies.push(performance.now() - started);
    if (passages.some((p) => isRelevant(p, pair))) hits++;
  }
  return { recall: pairs.length ? hits / pairs.length : 0, questions: pairs.length, latencies };
}
