/**
 * `importShop` / `exportShop`: move a whole order book between a folder and a `ShopStore` in one
 * of the supported layouts — kefu's JSON (the sample shop), kefu's CSV, or τ-bench retail.
 * Import reads and validates everything first, then replaces the book's contents in a single
 * transaction: a malformed file changes nothing. Export writes all files atomically.
 * Does not: open databases (the caller passes the store) or print.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, UsageError } from '../../core/errors.js';
import type { ShopStore } from '../store/shop-store.js';
import { writeCsvShop } from './csv-export.js';
import { readCsvShop } from './csv-format.js';
import { readKefuShop, writeKefuShop } from './kefu-format.js';
import { countShopData, type ImportCounts, readShopData, type ShopData, storeShopData } from './shop-data.js';
import { readTauBenchShop, type TauBenchImportOptions, writeTauBenchShop } from './tau-bench.js';

export const SHOP_FORMATS = ['kefu', 'csv', 'tau-bench'] as const;
export type ShopFormat = (typeof SHOP_FORMATS)[number];

export interface ImportShopOptions extends TauBenchImportOptions {
  format: ShopFormat;
}

export interface ImportShopResult {
  format: ShopFormat;
  counts: ImportCounts;
}

export function parseShopFormat(value: string): ShopFormat {
  if ((SHOP_FORMATS as readonly string[]).includes(value)) return value as ShopFormat;
  throw new UsageError(`unknown shop format "${value}"`, { hint: `use one of: ${SHOP_FORMATS.join(', ')}` });
}

/** The layout of the shop folder `dir`: τ-bench's users.json, kefu's CSV, else kefu's JSON. */
export function detectShopFormat(dir: string): ShopFormat {
  if (existsSync(join(dir, 'users.json')) && existsSync(join(dir, 'orders.json'))) return 'tau-bench';
  if (existsSync(join(dir, 'customers.csv'))) return 'csv';
  return 'kefu';
}

/** Reads a shop folder in `format` into memory, validated. */
export async function readShop(dir: string, options: ImportShopOptions): Promise<ShopData> {
  if (!existsSync(dir)) {
    throw new NotFoundError(`shop folder ${dir} does not exist`, {
      hint: '`kefu sample` writes one; see docs/shop-format.md for the layouts',
    });
  }
  try {
    switch (options.format) {
      case 'kefu':
        return await readKefuShop(dir);
      case 'csv':
        return await readCsvShop(dir);
      case 'tau-bench':
        return await readTauBenchShop(dir, options);
    }
  } catch (error) {
    const detected = detectShopFormat(dir);
    if (error instanceof NotFoundError && detected !== options.format) {
      throw new NotFoundError(error.message, {
        hint: `${dir} looks like the ${detected} layout: pass --format ${detected}`,
      });
    }
    throw error;
  }
}

/** Replaces everything in `book` with the shop in `dir`; all or nothing. */
export async function importShop(
  book: ShopStore,
  dir: string,
  options: ImportShopOptions,
): Promise<ImportShopResult> {
  const data = await readShop(dir, options);
  const counts = await book.transaction((tx) => storeShopData(tx, data));
  return { format: options.format, counts };
}

/** Writes the whole of `book` to `dir` in `format`. */
export async function exportShop(
  book: ShopStore,
  dir: string,
  options: { format: ShopFormat },
): Promise<ImportShopResult> {
  const data = await readShopData(book);
  switch (options.format) {
    case 'kefu':
      await writeKefuShop(dir, data);
      break;
    case 'csv':
      await writeCsvShop(dir, data);
      break;
    case 'tau-bench':
      await writeTauBenchShop(dir, data);
      break;
  }
  return { format: options.format, counts: countShopData(data) };
}
