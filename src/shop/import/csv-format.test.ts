import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { policyDocuments } from '../sample/policies.js';
import { generateShop } from '../sample/shop.js';
import type { ShopStore } from '../store/shop-store.js';
import { openOrderBook } from '../store/sqlite-order-book.js';
import { parseCsv, stringifyCsv } from './csv.js';
import { csvFiles, writeCsvShop } from './csv-export.js';
import { readCsvShop } from './csv-format.js';
import { exportShop, importShop } from './import-shop.js';
import { readShopData, type ShopData } from './shop-data.js';

const shop = generateShop(42);
const data: ShopData = {
  info: { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy },
  policyDocuments: policyDocuments().sort((a, b) => a.slug.localeCompare(b.slug)),
  customers: shop.customers,
  products: shop.products,
  orders: shop.orders,
  shipments: shop.shipments,
  returns: shop.returns,
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kefu-shop-csv-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('CSV reader and writer', () => {
  it('round-trips quotes, commas, line breaks and leading spaces', () => {
    const rows = [
      ['a,b', 'say "hi"', 'two\nlines'],
      [' padded', '', '中文'],
    ];
    const text = stringifyCsv(['x', 'y', 'z'], rows);
    expect(parseCsv('t.csv', text).rows.map((r) => [r.cells.x, r.cells.y, r.cells.z])).toEqual(rows);
    const windows = parseCsv('t.csv', '\ufeffx,y\r\n"1\r\n2",3\r\n4,5\r\n');
    expect(windows.header).toEqual(['x', 'y']);
    expect(windows.rows).toEqual([
      { line: 2, cells: { x: '1\r\n2', y: '3' } },
      { line: 4, cells: { x: '4', y: '5' } },
    ]);
  });

  it('names the line of a short row or an unclosed quote', () => {
    expect(() => parseCsv('t.csv', 'a,b\n1,2\n3\n')).toThrow(/t\.csv:3: expected 2 fields, found 1/);
    expect(() => parseCsv('t.csv', 'a,b\n1,"2\n')).toThrow(/t\.csv:2: a quoted field is not closed/);
  });
});

describe('kefu CSV layout', () => {
  let book: ShopStore;
  beforeAll(() => {
    book = openOrderBook(':memory:');
  });
  afterAll(() => book.close());

  it('round-trips the sample shop without loss', async () => {
    const dir = join(root, 'csv');
    await writeCsvShop(dir, data);
    const back = await readCsvShop(dir);
    expect(back).toEqual(data);
    // one row per variant, per item, per returned item
    const lines = (name: string) => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n').length - 1;
    expect(lines('products.csv')).toBe(shop.products.reduce((n, p) => n + p.variants.length, 0));
    expect(lines('orders.csv')).toBe(shop.orders.reduce((n, o) => n + o.items.length, 0));
  });

  it('imports into and exports from the order book', async () => {
    const dir = join(root, 'csv-book');
    await writeCsvShop(dir, data);
    const result = await importShop(book, dir, { format: 'csv' });
    expect(result.counts.orders).toBe(shop.orders.length);
    expect(await readShopData(book)).toEqual(data);
    const out = join(root, 'csv-out');
    await exportShop(book, out, { format: 'csv' });
    for (const [name, content] of csvFiles(data)) expect(readFileSync(join(out, name), 'utf8')).toBe(content);
  });

  it('names file, line and column of a bad cell, and of disagreeing rows', async () => {
    const dir = join(root, 'csv-bad');
    await writeCsvShop(dir, data);
    const path = join(dir, 'orders.csv');
    const good = readFileSync(path, 'utf8');
    const lines = good.split('\n');
    lines[3] = lines[3]!.replace(/,(\{[^,]*\}|"\{.*?\}"),(\d+),(\d+)$/, ',$1,zwei,$3');
    writeFileSync(path, lines.join('\n'));
    const error = await readCsvShop(dir).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^orders\.csv:4: items\[\d+\]\.quantity: /);

    const first = shop.orders.find((o) => o.items.length > 1)!;
    const rows = good.split('\n');
    const index = rows.findIndex((l, i) => i > 0 && l.startsWith(first.id));
    rows[index + 1] = rows[index + 1]!.replace(first.status, first.status === 'paid' ? 'pending' : 'paid');
    writeFileSync(path, rows.join('\n'));
    await expect(readCsvShop(dir)).rejects.toThrow(
      new RegExp(
        `orders\\.csv:${index + 2}: status: this row of ${first.id} disagrees with line ${index + 1}`,
      ),
    );

    writeFileSync(path, good.replace('customer_id', 'buyer'));
    await expect(readCsvShop(dir)).rejects.toThrow(
      /orders\.csv:1: customer_id: the header lacks this column/,
    );
  });
});
