/**
 * kefu's own JSON layout (what `kefu sample` writes, documented in docs/shop-format.md):
 * shop/shop.json, shop/{products,customers,orders,shipments,returns}.json and
 * docs/policies/*.md under one folder. `readKefuShop` validates every record (zod, strict) and
 * the references between them; `writeKefuShop` writes the same files atomically, byte-identical
 * to the sample writer's for the same data. Does not touch the database.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AtomicDir } from '../../core/atomic-file.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { POLICY } from '../sample/policies.js';
import type { PolicyDocument } from '../types.js';
import {
  customerSchema,
  orderSchema,
  productSchema,
  returnSchema,
  shipmentSchema,
  shopFileSchema,
  validateRecord,
  validateRecords,
} from './kefu-schemas.js';
import { checkReferences, type RecordFiles, type ShopData } from './shop-data.js';

export const KEFU_FILES: RecordFiles = {
  customers: 'shop/customers.json',
  products: 'shop/products.json',
  orders: 'shop/orders.json',
  shipments: 'shop/shipments.json',
  returns: 'shop/returns.json',
};
const SHOP_FILE = 'shop/shop.json';
const POLICY_DIR = 'docs/policies';

/** Parses a JSON file, naming it (and the line) when it is not JSON. */
export async function readJsonFile(root: string, file: string): Promise<unknown> {
  const path = join(root, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new NotFoundError(`${path} does not exist`, {
        hint: 'point at a folder written by `kefu sample` or `kefu shop export` (see docs/shop-format.md)',
      });
    }
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new InputError(
      `not valid JSON: ${message}`,
      { file, ...(line ? { line } : {}) },
      { code: 'E_SHOP_FORMAT' },
    );
  }
}

/** The title of a Markdown document: its first `# ` heading, else the slug. */
export function markdownTitle(markdown: string, slug: string): string {
  return /^#\s+(.+?)\s*$/m.exec(markdown)?.[1] ?? slug;
}

export async function readPolicyDocuments(root: string, folder = POLICY_DIR): Promise<PolicyDocument[]> {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(
    names.map(async (name) => {
      const markdown = await readFile(join(dir, name), 'utf8');
      const slug = basename(name, '.md');
      return { slug, title: markdownTitle(markdown, slug), markdown };
    }),
  );
}

/** Name, now and policy: shop/shop.json, or (a sample written before it existed) manifest.json. */
async function readShopFile(root: string) {
  if (existsSync(join(root, SHOP_FILE))) {
    return validateRecord(SHOP_FILE, undefined, await readJsonFile(root, SHOP_FILE), shopFileSchema);
  }
  if (existsSync(join(root, 'manifest.json'))) {
    const manifest = (await readJsonFile(root, 'manifest.json')) as { shopName?: unknown; now?: unknown };
    if (typeof manifest.shopName === 'string' && typeof manifest.now === 'string') {
      // A `kefu sample` folder from before shop.json: its policy numbers are the generator's.
      return { name: manifest.shopName, now: manifest.now, policy: POLICY };
    }
  }
  throw new NotFoundError(`${join(root, SHOP_FILE)} does not exist`, {
    hint: 'it holds the shop name, "now" and the policy numbers; see docs/shop-format.md',
  });
}

/** Reads and validates a kefu-format shop folder. */
export async function readKefuShop(root: string): Promise<ShopData> {
  const [info, products, customers, orders, shipments, returns, policyDocuments] = await Promise.all([
    readShopFile(root),
    readJsonFile(root, KEFU_FILES.products),
    readJsonFile(root, KEFU_FILES.customers),
    readJsonFile(root, KEFU_FILES.orders),
    readJsonFile(root, KEFU_FILES.shipments),
    readJsonFile(root, KEFU_FILES.returns),
    readPolicyDocuments(root),
  ]);
  const data: ShopData = {
    info: { ...info, flavor: 'kefu' },
    policyDocuments,
    products: validateRecords(KEFU_FILES.products, products, productSchema),
    customers: validateRecords(KEFU_FILES.customers, customers, customerSchema),
    orders: validateRecords(KEFU_FILES.orders, orders, orderSchema),
    shipments: validateRecords(KEFU_FILES.shipments, shipments, shipmentSchema),
    returns: validateRecords(KEFU_FILES.returns, returns, returnSchema),
  };
  checkReferences(data, KEFU_FILES);
  return data;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes files (relative path → content) under `root` atomically: all appear or none. */
export async function writeFilesAtomically(root: string, files: Map<string, string>): Promise<void> {
  const out = await AtomicDir.create(root);
  try {
    for (const [name, content] of files) {
      const path = out.file(name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}

/** The kefu-format files of `data` (source fields are kept only by the τ-bench layout). */
export function kefuFiles(data: ShopData): Map<string, string> {
  const strip = <T extends { source?: unknown }>(record: T) => {
    const { source: _source, ...rest } = record;
    return rest;
  };
  const files = new Map<string, string>();
  files.set(SHOP_FILE, json({ name: data.info.name, now: data.info.now, policy: data.info.policy }));
  files.set(KEFU_FILES.products, json(data.products.map(strip)));
  files.set(KEFU_FILES.customers, json(data.customers.map(strip)));
  files.set(KEFU_FILES.orders, json(data.orders.map(strip)));
  files.set(KEFU_FILES.shipments, json(data.shipments));
  files.set(KEFU_FILES.returns, json(data.returns));
  for (const doc of data.policyDocuments) files.set(`${POLICY_DIR}/${doc.slug}.md`, doc.markdown);
  return files;
}

export async function writeKefuShop(root: string, data: ShopData): Promise<void> {
  await writeFilesAtomically(root, kefuFiles(data));
}
