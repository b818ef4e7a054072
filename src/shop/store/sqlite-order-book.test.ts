import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, RuntimeFailure } from '../../core/errors.js';
import { openSqlite } from '../../storage/sqlite-open.js';
import type { ShopInfo } from '../order-book.js';
import { generateShop } from '../sample/shop.js';
import type { Shop } from '../types.js';
import type { ShopStore } from './shop-store.js';
import { openOrderBook, orderBookOn } from './sqlite-order-book.js';

const shop: Shop = generateShop(42);
const info: ShopInfo = { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy };

async function fill(book: ShopStore, part = shop): Promise<void> {
  await book.transaction(async (tx) => {
    await tx.setInfo(info);
    for (const c of part.customers) await tx.putCustomer(c);
    for (const p of part.products) await tx.putProduct(p);
    for (const o of part.orders) await tx.putOrder(o);
    for (const s of part.shipments) await tx.putShipment(s);
    for (const r of part.returns) await tx.putReturn(r);
  });
}

describe('SQLite order book', () => {
  let dir: string;
  let book: ShopStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-orderbook-'));
    book = openOrderBook(join(dir, 'kefu.db'));
  });
  afterEach(() => {
    book.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores and returns every kind of record unchanged, in order', async () => {
    await fill(book);
    expect(await book.info()).toEqual(info);
    expect(await book.allCustomers()).toEqual(shop.customers);
    expect(await book.allProducts()).toEqual(shop.products);
    expect(await book.allOrders()).toEqual(shop.orders);
    expect(await book.allShipments()).toEqual(shop.shipments);
    expect(await book.allReturns()).toEqual(shop.returns);
    const order = shop.orders[7]!;
    expect(await book.order(order.id)).toEqual(order);
    expect(await book.customer(order.customerId)).toEqual(
      shop.customers.find((c) => c.id === order.customerId),
    );
    expect(await book.order('DD00000000000000')).toBeUndefined();
    expect(await book.counts()).toMatchObject({
      orders: shop.orders.length,
      customers: shop.customers.length,
    });
  });

  it('keeps a record’s source and a replaced record’s place', async () => {
    await fill(book);
    const first = shop.orders[0]!;
    const source = { order_id: first.id, note: '原始记录', nested: { list: [1, 2] } };
    await book.transaction(async (tx) => tx.putOrder({ ...first, status: 'cancelled', source }));
    expect(await book.order(first.id)).toEqual({ ...first, status: 'cancelled', source });
    expect((await book.allOrders())[0]!.id).toBe(first.id);
  });

  it('answers the lookups the tools make', async () => {
    await fill(book);
    const customer = shop.customers[3]!;
    expect((await book.findCustomers({ phone: customer.phone })).map((c) => c.id)).toEqual([customer.id]);
    expect((await book.findCustomers({ email: customer.email.toUpperCase() }))[0]?.id).toBe(customer.id);
    expect(await book.findCustomers({})).toEqual([]);
    expect(await book.findCustomers({ phone: '10000000000' })).toEqual([]);

    const mine = await book.ordersOf(customer.id);
    const expected = shop.orders.filter((o) => o.customerId === customer.id);
    expect(mine.map((o) => o.id).sort()).toEqual(expected.map((o) => o.id).sort());
    expect(mine.every((o) => o.customerId === customer.id)).toBe(true);
    const times = mine.map((o) => o.createdAt);
    expect(times).toEqual([...times].sort().reverse());

    const shipment = shop.shipments[5]!;
    expect(await book.shipmentByTracking(shipment.trackingNumber)).toEqual(shipment);
    expect(await book.shipmentOf(shipment.orderId)).toEqual(shipment);
    const request = shop.returns[0]!;
    expect(await book.returnsOf(request.orderId)).toContainEqual(request);

    const product = shop.products[10]!;
    const variant = product.variants[0]!;
    expect(await book.variant(variant.sku)).toEqual({ product, variant });
    expect((await book.searchProducts({ model: product.model.toLowerCase() })).map((p) => p.id)).toContain(
      product.id,
    );
    const byText = await book.searchProducts({ text: `${product.brand} ${product.type}` });
    expect(byText.map((p) => p.id)).toContain(product.id);
    const inCategory = await book.searchProducts({ category: product.category, limit: 3 });
    expect(inCategory).toHaveLength(3);
    expect(inCategory.every((p) => p.category === product.category)).toBe(true);
    expect(await book.searchProducts({ text: '100%_不存在' })).toEqual([]);
  });

  it('rolls a failed transaction back completely', async () => {
    await fill(book);
    const order = shop.orders[0]!;
    await expect(
      book.transaction(async (tx) => {
        await tx.putOrder({ ...order, status: 'cancelled' });
        await tx.recordAction({
          key: 'k1',
          tool: 'cancel',
          customerId: order.customerId,
          args: {},
          result: {},
          at: shop.now,
        });
        throw new Error('tool failed after writing');
      }),
    ).rejects.toThrow('tool failed after writing');
    expect((await book.order(order.id))?.status).toBe(order.status);
    expect(await book.action('k1')).toBeUndefined();
    // The queue goes on after a failure.
    await book.transaction(async (tx) => tx.putOrder({ ...order, status: 'cancelled' }));
    expect((await book.order(order.id))?.status).toBe('cancelled');
  });

  it('serialises transactions and refuses writes outside one', async () => {
    await fill(book);
    const log: string[] = [];
    const slow = book.transaction(async () => {
      log.push('a start');
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push('a end');
    });
    const fast = book.transaction(async () => {
      log.push('b');
    });
    await Promise.all([slow, fast]);
    expect(log).toEqual(['a start', 'a end', 'b']);
    let escaped: Parameters<Parameters<ShopStore['transaction']>[0]>[0] | undefined;
    await book.transaction(async (tx) => {
      escaped = tx;
    });
    await expect(escaped!.putCustomer(shop.customers[0]!)).rejects.toBeInstanceOf(RuntimeFailure);
  });

  it('records actions once per idempotency key', async () => {
    await fill(book);
    const action = {
      key: 'cancel:DD1',
      tool: 'cancel_order',
      customerId: 'C100001',
      args: { a: 1 },
      result: { ok: true },
      at: shop.now,
    };
    await book.transaction(async (tx) => tx.recordAction(action));
    expect(await book.action('cancel:DD1')).toEqual(action);
    await expect(
      book.transaction(async (tx) => tx.recordAction({ ...action, result: {} })),
    ).rejects.toMatchObject({
      code: 'E_SHOP_DUPLICATE_ACTION',
    });
    expect(await book.actions({ customerId: 'C100001' })).toEqual([action]);
    expect(await book.actions({ customerId: 'C999999' })).toEqual([]);
  });

  it('names the record a constraint failure is about', async () => {
    await fill(book);
    const order = { ...shop.orders[0]!, id: 'DD-ORPHAN', customerId: 'C-NOBODY' };
    const error = await book.transaction(async (tx) => tx.putOrder(order)).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('order DD-ORPHAN');
  });

  it('says nothing is imported yet, and persists across reopening', async () => {
    await expect(book.info()).rejects.toBeInstanceOf(NotFoundError);
    expect(await book.infoIfAny()).toBeUndefined();
    await fill(book, { ...shop, orders: [], shipments: [], returns: [] });
    book.close();
    book = openOrderBook(join(dir, 'kefu.db'));
    expect(await book.info()).toEqual(info);
    expect((await book.counts()).customers).toBe(shop.customers.length);
  });

  it('works on a shared connection without closing it', async () => {
    const db = openSqlite(join(dir, 'shared.db'));
    const shared = orderBookOn(db);
    await fill(shared, { ...shop, orders: [], shipments: [], returns: [] });
    shared.close();
    expect(db.open).toBe(true);
    const again = orderBookOn(db);
    expect((await again.counts()).products).toBe(shop.products.length);
    db.close();
  });
});
