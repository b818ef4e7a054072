/**
 * `writeSampleShop`: generates the deterministic sample shop for `kefu sample` and writes it to a
 * folder atomically (everything appears at once or not at all): the order book as JSON (with
 * shop/shop.json: name, snapshot time, policy numbers), policy documents, manuals and FAQ as
 * Markdown, the SFT / FAQ / preference datasets as JSON arrays, and manifest.json with counts,
 * seed and injected-noise counts. Same seed and scale → byte-identical files. Does not print;
 * progress goes through the `Progress` it is given.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtomicDir } from '../../core/atomic-file.js';
import { type Progress, silentProgress } from '../../core/progress.js';
import type { Task } from '../../data/example.js';
import type { PreferenceRecord, Rejection, SampleManifest, SftRecord, Shop } from '../types.js';
import { makeCast } from './dialogue/chains.js';
import { generateFaq } from './dialogue/faq.js';
import { generatePreference } from './dialogue/preference.js';
import { generateSft } from './dialogue/sft.js';
import { faqEntries, faqMarkdown } from './faq-data.js';
import { manualMarkdown } from './manuals.js';
import { duplicatesFor, injectNoise } from './noise.js';
import { policyDocuments } from './policies.js';
import { Rng } from './random.js';
import { generateShop, indexShop } from './shop.js';

export interface SampleOptions {
  /** Seed for everything; default 42. */
  seed?: number;
  /** Multiplies dataset volumes (10,000 SFT / 5,000 FAQ / 1,000 pairs at 1); shop size is fixed. */
  scale?: number;
  progress?: Progress;
}

/** Dataset volumes at scale 1, as in the seed document. */
export const BASE_VOLUMES = { sft: 10_000, faq: 5_000, preference: 1_000 } as const;

export interface SampleData {
  shop: Shop;
  sft: SftRecord[];
  faq: SftRecord[];
  preference: PreferenceRecord[];
  /** Relative path → file content. */
  files: Map<string, string>;
  manifest: SampleManifest;
}

function count<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return out;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Generates everything in memory (used by `writeSampleShop` and by tests). */
export function buildSampleShop(options: SampleOptions = {}): SampleData {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError(`scale must be a positive number, got ${scale}`);
  const progress = (options.progress ?? silentProgress).start('sample shop', 5, 'steps');
  const root = new Rng(seed);

  const shop = generateShop(seed);
  const ix = indexShop(shop);
  const cast = makeCast(ix);
  progress.tick(1, 'order book');

  const sftTotal = Math.round(BASE_VOLUMES.sft * scale);
  const sftClean = generateSft(cast, root.fork('sft'), sftTotal - duplicatesFor(sftTotal));
  const sft = injectNoise(sftClean, sftTotal, root.fork('sft-noise'));
  progress.tick(1, 'sft');

  const faqTotal = Math.round(BASE_VOLUMES.faq * scale);
  const faqClean = generateFaq(ix, root.fork('faq'), faqTotal - duplicatesFor(faqTotal));
  const faq = injectNoise(faqClean, faqTotal, root.fork('faq-noise'));
  progress.tick(1, 'faq');

  const preference = generatePreference(
    cast,
    root.fork('preference'),
    Math.round(BASE_VOLUMES.preference * scale),
  );
  progress.tick(1, 'preference');

  const files = new Map<string, string>();
  files.set('shop/shop.json', json({ name: shop.name, now: shop.now, policy: shop.policy }));
  files.set('shop/products.json', json(shop.products));
  files.set('shop/customers.json', json(shop.customers));
  files.set('shop/orders.json', json(shop.orders));
  files.set('shop/shipments.json', json(shop.shipments));
  files.set('shop/returns.json', json(shop.returns));
  const policies = policyDocuments();
  for (const doc of policies) files.set(`docs/policies/${doc.slug}.md`, doc.markdown);
  for (const p of shop.products) files.set(p.manual, manualMarkdown(p));
  const entries = faqEntries();
  files.set('docs/faq.md', faqMarkdown(entries));
  files.set('datasets/sft.json', json(sft.records));
  files.set('datasets/faq.json', json(faq.records));
  files.set('datasets/preference.json', json(preference));

  const manifest: SampleManifest = {
    seed,
    scale,
    shopName: shop.name,
    now: shop.now,
    counts: {
      products: shop.products.length,
      variants: shop.products.reduce((n, p) => n + p.variants.length, 0),
      customers: shop.customers.length,
      orders: shop.orders.length,
      shipments: shop.shipments.length,
      returns: shop.returns.length,
      policies: policies.length,
      manuals: shop.products.length,
      faqDocEntries: entries.length,
      sft: sft.records.length,
      sftMultiTurn: sft.records.filter((r) => (r.history?.length ?? 0) > 0).length,
      faq: faq.records.length,
      preference: preference.length,
    },
    tasks: {
      sft: count(sft.records, (r) => r.task) as Partial<Record<Task, number>>,
      faq: count(faq.records, (r) => r.task) as Partial<Record<Task, number>>,
    },
    rejections: count(preference, (r) => r.rejection) as Partial<Record<Rejection, number>>,
    noise: { sft: sft.counts, faq: faq.counts },
    files: [...files.keys(), 'manifest.json'].sort(),
  };
  files.set('manifest.json', json(manifest));
  progress.tick(1, 'files');
  progress.done();
  return { shop, sft: sft.records, faq: faq.records, preference, files, manifest };
}

/** Generates the sample shop and writes it under `dir` atomically; returns the manifest. */
export async function writeSampleShop(dir: string, options: SampleOptions = {}): Promise<SampleManifest> {
  const data = buildSampleShop(options);
  const out = await AtomicDir.create(dir);
  try {
    for (const [name, content] of data.files) {
      const path = out.file(name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
  return data.manifest;
}
