/**
 * Real SQLite order books for the tool tests: the generated sample shop (kefu's generator written
 * to a temporary folder by `writeSampleShop`, then imported with `importShop`) and τ-bench's
 * retail data (read from ../shared, never copied), each in an in-memory database. Not shipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importShop } from '../../../shop/import/import-shop.js';
import { writeSampleShop } from '../../../shop/sample/write.js';
import type { ShopStore } from '../../../shop/store/shop-store.js';
import { openOrderBook } from '../../../shop/store/sqlite-order-book.js';
import type { ToolContext } from '../../contracts.js';

export const TAU_DIR = join(import.meta.dirname, '../../../../../shared/data/tau-bench-retail');
export const TAU_NOW = '2024-07-01T10:00:00+08:00';

let sampleDir: string | undefined;

/** The sample shop folder, generated once per test file (datasets at a tiny scale). */
export async function sampleShopDir(): Promise<string> {
  if (!sampleDir) {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-tools-'));
    await writeSampleShop(join(dir, 'sample'), { scale: 0.002 });
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    sampleDir = join(dir, 'sample');
  }
  return sampleDir;
}

export async function sampleBook(): Promise<ShopStore> {
  const book = openOrderBook(':memory:');
  await importShop(book, await sampleShopDir(), { format: 'kefu' });
  return book;
}

/** τ-bench's retail data (or a τ-bench folder exported from a book) in a fresh in-memory book. */
export async function tauBook(dir = TAU_DIR): Promise<ShopStore> {
  const book = openOrderBook(':memory:');
  await importShop(book, dir, { format: 'tau-bench', now: TAU_NOW });
  return book;
}

let turn = 0;

/** A call context for `customerId`; each call gets a fresh idempotency key unless one is given. */
export function as(customerId: string, options: { confirmed?: boolean; key?: string } = {}): ToolContext {
  return {
    customerId,
    confirmed: options.confirmed ?? false,
    idempotencyKey: options.key ?? `test:${customerId}:${++turn}`,
  };
}
