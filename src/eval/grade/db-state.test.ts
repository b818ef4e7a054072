import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeShopData } from '../../shop/import/shop-data.js';
import { policyDocuments } from '../../shop/sample/policies.js';
import { generateShop } from '../../shop/sample/shop.js';
import type { ShopStore } from '../../shop/store/shop-store.js';
import { orderBookOn } from '../../shop/store/sqlite-order-book.js';
import type { Order, Shop } from '../../shop/types.js';
import { openSqlite } from '../../storage/sqlite-open.js';
import { captureState, checkChanges, describeStateCheck, diffStates } from './db-state.js';

let shop: Shop;
let book: ShopStore;

beforeAll(async () => {
  shop = generateShop(5, { productsPerType: 1, customers: 30, orders: 150 });
  book = orderBookOn(openSqlite(':memory:'), { ownsConnection: true });
  await book.transaction((tx) =>
    storeShopData(tx, {
      info: { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy },
      policyDocuments: policyDocuments(),
      ...shop,
    }),
  );
});
afterAll(() => book?.close());

/** Two open orders of one customer. */
function twoOpenOrders(): [Order, Order] {
  for (const c of shop.customers) {
    const open = shop.orders.filter(
      (o) => o.customerId === c.id && (o.status === 'pending' || o.status === 'paid'),
    );
    if (open.length >= 2) return [open[0] as Order, open[1] as Order];
  }
  throw new Error('no customer with two open orders');
}

describe('order-book state checks', () => {
  it('passes the exact change, catches a wrong one and an extra one', async () => {
    const [wanted, other] = twoOpenOrders();
    const watch = [wanted.id, other.id];
    const expected = [{ kind: 'order_status' as const, orderId: wanted.id, status: 'cancelled' }];

    const before = await captureState(book, watch);
    expect(checkChanges(diffStates(before, await captureState(book, watch)), [])).toMatchObject({
      pass: true,
    });
    // Nothing happened: the change is missing.
    expect(checkChanges(diffStates(before, before), expected)).toMatchObject({ pass: false, unexpected: [] });

    // The wrong order cancelled: missing and unexpected.
    await book.transaction((tx) => tx.putOrder({ ...other, status: 'cancelled' }));
    const wrong = checkChanges(diffStates(before, await captureState(book, watch)), expected);
    expect(wrong.pass).toBe(false);
    expect(wrong.missing).toHaveLength(1);
    expect(wrong.unexpected).toEqual([
      { kind: 'order_changed', orderId: other.id, fields: ['status'], status: 'cancelled' },
    ]);
    expect(describeStateCheck(wrong)).toEqual([
      `order ${wanted.id} not cancelled`,
      `unexpected order changed on ${other.id}`,
    ]);

    // The right order too: still failing, because the other one changed as well.
    await book.transaction((tx) => tx.putOrder({ ...wanted, status: 'cancelled' }));
    expect(checkChanges(diffStates(before, await captureState(book, watch)), expected)).toMatchObject({
      pass: false,
      missing: [],
    });

    // Only the right one: passes.
    await book.transaction((tx) => tx.putOrder(other));
    expect(checkChanges(diffStates(before, await captureState(book, watch)), expected).pass).toBe(true);
    // A changed address on the right order is not "only the status".
    await book.transaction((tx) =>
      tx.putOrder({ ...wanted, status: 'cancelled', address: { ...wanted.address, detail: '别处' } }),
    );
    expect(checkChanges(diffStates(before, await captureState(book, watch)), expected).pass).toBe(false);
    await book.transaction((tx) => tx.putOrder(wanted));
  });

  it('sees a created return request and checks its type and exchange SKU', async () => {
    const order = shop.orders.find(
      (o) => o.status === 'delivered' && !shop.returns.some((r) => r.orderId === o.id),
    ) as Order;
    const item = order.items[0] as Order['items'][number];
    const before = await captureState(book, [order.id]);
    await book.transaction((tx) =>
      tx.putReturn({
        id: 'TH-EVAL-1',
        orderId: order.id,
        type: 'exchange',
        reason: '尺码不合适',
        status: 'requested',
        items: [{ sku: item.sku, quantity: 1, exchangeSku: 'SKU-NEW' }],
        refundAmount: 0,
        createdAt: shop.now,
        updatedAt: shop.now,
      }),
    );
    const changes = diffStates(before, await captureState(book, [order.id]));
    expect(changes).toEqual([
      {
        kind: 'return_created',
        orderId: order.id,
        returnId: 'TH-EVAL-1',
        type: 'exchange',
        exchangeSkus: ['SKU-NEW'],
      },
    ]);
    expect(
      checkChanges(changes, [
        { kind: 'return_created', orderId: order.id, type: 'exchange', exchangeSku: 'SKU-NEW' },
      ]).pass,
    ).toBe(true);
    expect(
      checkChanges(changes, [
        { kind: 'return_created', orderId: order.id, type: 'exchange', exchangeSku: 'SKU-OTHER' },
      ]).pass,
    ).toBe(false);
    expect(checkChanges(changes, [{ kind: 'return_created', orderId: order.id, type: 'return' }]).pass).toBe(
      false,
    );
  });
});
