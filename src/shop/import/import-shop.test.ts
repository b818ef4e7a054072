import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { writeSampleShop } from '../sample/write.js';
import type { ShopStore } from '../store/shop-store.js';
import { openOrderBook } from '../store/sqlite-order-book.js';
import { exportShop, importShop, readShop } from './import-shop.js';
import { countShopData, readShopData } from './shop-data.js';

const TAU = join(import.meta.dirname, '../../../../shared/data/tau-bench-retail');
const NOW = '2024-07-01T10:00:00+08:00';

let root: string;
let sample: string;
let book: ShopStore;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kefu-shop-import-'));
  sample = join(root, 'sample');
  await writeSampleShop(sample, { scale: 0.01 });
  book = openOrderBook(join(root, 'kefu.db'));
});
afterAll(() => {
  book.close();
  rmSync(root, { recursive: true, force: true });
});

/** A copy of the sample shop with one file's records changed by `edit`. */
function brokenSample(file: string, edit: (records: Record<string, unknown>[]) => void): string {
  const dir = mkdtempSync(join(root, 'broken-'));
  cpSync(sample, dir, { recursive: true });
  const path = join(dir, file);
  const records = JSON.parse(readFileSync(path, 'utf8'));
  edit(records);
  writeFileSync(path, JSON.stringify(records));
  return dir;
}

describe('kefu format', () => {
  it('imports the sample shop with its counts, fast', async () => {
    const manifest = JSON.parse(readFileSync(join(sample, 'manifest.json'), 'utf8'));
    const started = performance.now();
    const result = await importShop(book, sample, { format: 'kefu' });
    expect(performance.now() - started).toBeLessThan(2000);
    const c = manifest.counts;
    expect(result.counts).toEqual({
      customers: c.customers,
      products: c.products,
      variants: c.variants,
      orders: c.orders,
      shipments: c.shipments,
      returns: c.returns,
      policyDocuments: c.policies,
    });
    const info = await book.info();
    expect(info).toMatchObject({ name: manifest.shopName, now: manifest.now, flavor: 'kefu' });
    expect(info.policy.returnDays).toBe(7);
    const docs = await book.policyDocuments();
    expect(docs.find((d) => d.slug === 'returns')?.title).toMatch(/退货/);
  });

  it('exports byte-identical files (round trip)', async () => {
    await importShop(book, sample, { format: 'kefu' });
    const out = join(root, 'export-kefu');
    await exportShop(book, out, { format: 'kefu' });
    for (const name of readdirSync(join(sample, 'shop'))) {
      expect(readFileSync(join(out, 'shop', name), 'utf8'), name).toBe(
        readFileSync(join(sample, 'shop', name), 'utf8'),
      );
    }
    for (const name of readdirSync(join(sample, 'docs/policies'))) {
      expect(readFileSync(join(out, 'docs/policies', name), 'utf8')).toBe(
        readFileSync(join(sample, 'docs/policies', name), 'utf8'),
      );
    }
  });

  it('names the file, record and field of a malformed record', async () => {
    const dir = brokenSample('shop/orders.json', (orders) => {
      (orders[5]!.items as Record<string, unknown>[])[0]!.quantity = -1;
    });
    const error = await importShop(book, dir, { format: 'kefu' }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('shop/orders.json');
    expect(error.message).toContain('items[0].quantity');
    expect(error.message).toContain('record 5');
    expect(error.location).toMatchObject({ file: 'shop/orders.json', field: 'items[0].quantity' });

    const typo = brokenSample('shop/customers.json', (customers) => {
      customers[2]!.emial = 'x@example.com';
    });
    await expect(importShop(book, typo, { format: 'kefu' })).rejects.toThrow(
      /shop\/customers\.json.*record 2/,
    );

    const orphan = brokenSample('shop/shipments.json', (shipments) => {
      shipments[1]!.orderId = 'DD-NOWHERE';
    });
    await expect(importShop(book, orphan, { format: 'kefu' })).rejects.toThrow(
      /shop\/shipments\.json: orderId: unknown order "DD-NOWHERE" \(record 1\)/,
    );

    const notJson = brokenSample('shop/returns.json', () => undefined);
    writeFileSync(join(notJson, 'shop/returns.json'), '[\n  {"id": 1,\n  oops\n]');
    await expect(importShop(book, notJson, { format: 'kefu' })).rejects.toThrow(
      /shop\/returns\.json:\d+: not valid JSON/,
    );
  });

  it('leaves the book as it was when an import fails', async () => {
    await importShop(book, sample, { format: 'kefu' });
    const before = await book.counts();
    const dir = brokenSample('shop/returns.json', (returns) => {
      returns.push({ ...returns[0]!, id: 'TH-DUP' }, { ...returns[0]!, id: 'TH-DUP' });
    });
    await expect(importShop(book, dir, { format: 'kefu' })).rejects.toThrow(/duplicate id "TH-DUP"/);
    expect(await book.counts()).toEqual(before);
  });
});

describe.skipIf(!existsSync(TAU))('τ-bench retail format', () => {
  it('imports the real order book with mapped records and sources', async () => {
    const result = await importShop(book, TAU, { format: 'tau-bench', now: NOW });
    expect(result.counts).toMatchObject({ customers: 500, products: 50, variants: 591, orders: 1000 });
    expect((await book.info()).flavor).toBe('tau-bench');
    const raw = JSON.parse(readFileSync(join(TAU, 'orders.json'), 'utf8'));
    const [id, first] = Object.entries(raw)[0] as [string, Record<string, unknown>];
    const order = (await book.order(id))!;
    expect(order.source).toEqual(first);
    const items = first.items as { item_id: string; price: number }[];
    expect(order.items.map((i) => i.sku)).toEqual(items.map((i) => i.item_id));
    expect(order.items[0]!.unitPrice).toBe(Math.round(items[0]!.price * 100));
    const statuses = {
      pending: 'pending',
      processed: 'paid',
      delivered: 'delivered',
      cancelled: 'cancelled',
    };
    for (const [tauStatus, kefuStatus] of Object.entries(statuses)) {
      const [someId] = Object.entries(raw).find(([, o]) => (o as { status: string }).status === tauStatus)!;
      expect((await book.order(someId))?.status).toBe(kefuStatus);
    }
    const delivered = Object.values(raw).find((o) => (o as { status: string }).status === 'delivered') as {
      order_id: string;
      user_id: string;
      fulfillments: { tracking_id: string[] }[];
    };
    const tracking = delivered.fulfillments[0]!.tracking_id[0]!;
    expect(await book.shipmentByTracking(tracking)).toMatchObject({
      orderId: delivered.order_id,
      status: 'delivered',
    });
    const users = JSON.parse(readFileSync(join(TAU, 'users.json'), 'utf8'));
    const user = users[delivered.user_id];
    const found = await book.findCustomers({
      name: `${user.name.first_name} ${user.name.last_name}`.toLowerCase(),
      zip: user.address.zip,
    });
    expect(found.map((c) => c.id)).toEqual([delivered.user_id]);
    expect((await book.policyDocuments())[0]?.markdown).toContain('Retail agent policy');
  });

  it('exports files deep-equal to the originals', async () => {
    await importShop(book, TAU, { format: 'tau-bench', now: NOW });
    const out = join(root, 'export-tau');
    await exportShop(book, out, { format: 'tau-bench' });
    for (const name of ['users.json', 'products.json', 'orders.json']) {
      const original = JSON.parse(readFileSync(join(TAU, name), 'utf8'));
      const exported = JSON.parse(readFileSync(join(out, name), 'utf8'));
      expect(exported, name).toStrictEqual(original);
      expect(Object.keys(exported)).toEqual(Object.keys(original));
    }
  });

  it('maps the statuses the τ-bench tools set, and rejects unknown ones', async () => {
    const dir = mkdtempSync(join(root, 'tau-'));
    for (const name of ['users.json', 'products.json']) cpSync(join(TAU, name), join(dir, name));
    const raw = JSON.parse(readFileSync(join(TAU, 'orders.json'), 'utf8'));
    const delivered = Object.values(raw).filter(
      (o) => (o as { status: string }).status === 'delivered',
    ) as Record<string, unknown>[];
    const [a, b] = delivered as { order_id: string; items: { item_id: string; price: number }[] }[];
    Object.assign(raw[a!.order_id], {
      status: 'return requested',
      return_items: [a!.items[0]!.item_id],
      return_payment_method_id: 'gift_card_1',
    });
    Object.assign(raw[b!.order_id], {
      status: 'exchange requested',
      exchange_items: [b!.items[0]!.item_id],
      exchange_new_items: ['9999999999'],
    });
    writeFileSync(join(dir, 'orders.json'), JSON.stringify(raw));
    await importShop(book, dir, { format: 'tau-bench', now: NOW });
    expect((await book.order(a!.order_id))?.status).toBe('delivered');
    expect(await book.returnsOf(a!.order_id)).toEqual([
      expect.objectContaining({
        type: 'return',
        status: 'requested',
        items: [{ sku: a!.items[0]!.item_id, quantity: 1 }],
        refundAmount: Math.round(a!.items[0]!.price * 100),
      }),
    ]);
    expect((await book.returnsOf(b!.order_id))[0]?.items).toEqual([
      { sku: b!.items[0]!.item_id, quantity: 1, exchangeSku: '9999999999' },
    ]);

    raw[a!.order_id].status = 'lost in space';
    writeFileSync(join(dir, 'orders.json'), JSON.stringify(raw));
    await expect(importShop(book, dir, { format: 'tau-bench', now: NOW })).rejects.toThrow(
      new RegExp(`orders\\.json: status: unknown status "lost in space" \\(record "${a!.order_id}"\\)`),
    );
  });

  it('carries a τ-bench shop through the kefu layouts (all but source)', async () => {
    await importShop(book, TAU, { format: 'tau-bench', now: NOW });
    const original = await readShopData(book);
    const withoutSource = <T extends { source?: unknown }>({ source: _source, ...rest }: T) => rest;
    for (const format of ['kefu', 'csv'] as const) {
      const out = join(root, `tau-as-${format}`);
      await exportShop(book, out, { format });
      const back = await readShop(out, { format });
      expect(back.info).toEqual({ ...original.info, flavor: 'kefu' });
      expect(back.orders).toEqual(original.orders.map(withoutSource));
      expect(back.customers).toEqual(original.customers.map(withoutSource));
      expect(back.products).toEqual(original.products.map(withoutSource));
      expect(back.shipments).toEqual(original.shipments);
    }
  });

  it('exports a kefu shop in the τ-bench layout that imports back', async () => {
    await importShop(book, sample, { format: 'kefu' });
    const kefu = await readShopData(book);
    const out = join(root, 'sample-as-tau');
    await exportShop(book, out, { format: 'tau-bench' });
    const back = await readShop(out, { format: 'tau-bench', now: NOW });
    expect(countShopData(back)).toMatchObject({
      customers: kefu.customers.length,
      products: kefu.products.length,
      variants: countShopData(kefu).variants,
      orders: kefu.orders.length,
    });
    const expectedStatus = {
      pending: 'pending',
      paid: 'paid',
      shipped: 'paid',
      delivered: 'delivered',
      cancelled: 'cancelled',
      returned: 'delivered',
      exchanged: 'delivered',
    };
    kefu.orders.forEach((order, i) => {
      const again = back.orders[i]!;
      expect(again.id).toBe(order.id);
      expect(again.status).toBe(expectedStatus[order.status]);
      // τ-bench has no unpaid orders: an unpaid one comes back without payments (method from the user).
      if (order.payment.paidAt === null) expect(again.payment).toMatchObject({ paidAt: null, amount: 0 });
      else
        expect(again.payment).toMatchObject({ method: order.payment.method, amount: order.payment.amount });
      expect(again.items.reduce((n, item) => n + item.unitPrice, 0)).toBe(
        order.items.reduce((n, item) => n + item.unitPrice * item.quantity, 0),
      );
    });
    expect(back.customers.map((c) => c.name)).toEqual(kefu.customers.map((c) => c.name));
  });

  it('points at the right --format and at a missing folder', async () => {
    await expect(importShop(book, TAU, { format: 'kefu' })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      hint: expect.stringContaining('--format tau-bench'),
    });
    await expect(importShop(book, join(root, 'nowhere'), { format: 'kefu' })).rejects.toThrow(
      /shop folder .*nowhere does not exist/,
    );
  });

  it('replaces the previous shop on a second import', async () => {
    await importShop(book, sample, { format: 'kefu' });
    await book.transaction(async (tx) =>
      tx.recordAction({ key: 'k', tool: 't', customerId: 'C100001', args: {}, result: {}, at: NOW }),
    );
    await importShop(book, TAU, { format: 'tau-bench', now: NOW });
    const counts = await book.counts();
    expect(counts).toMatchObject({ customers: 500, orders: 1000, actions: 0, policyDocuments: 1 });
    expect(await book.customer('C100001')).toBeUndefined();
    expect((await book.info()).flavor).toBe('tau-bench');
  });
});
