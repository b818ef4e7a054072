/**
 * The τ-bench tools on τ-bench's real retail data. Expected values (payment history entries, gift
 * card balances, float price differences, status strings) were worked out by running τ-bench's
 * Python tools on the same records; here they are literals, so the test fails if ours differ.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportShop } from '../../../shop/import/import-shop.js';
import type { ShopStore } from '../../../shop/store/shop-store.js';
import type { ToolRegistry, ToolResult } from '../../contracts.js';
import { createToolRegistry } from '../index.js';
import { as, TAU_NOW, tauBook } from '../test-helpers/books.js';
import { syncedOrder, type TauOrder, type TauUser } from './records.js';

let book: ShopStore;
let tools: ToolRegistry;

beforeAll(async () => {
  book = await tauBook();
  tools = createToolRegistry(book, { flavor: 'tau-bench' });
});
afterAll(() => book.close());

const output = (r: ToolResult) => r.data?.output;
const tauOrder = async (id: string) => (await book.order(id))!.source as TauOrder;
const tauUser = async (id: string) => (await book.customer(id))!.source as TauUser;
const yes = (customerId: string) => as(customerId, { confirmed: true });

describe('τ-bench registry', () => {
  it('holds the τ-bench tools under their own names beside kefu’s read tools', () => {
    const names = tools.list().map((t) => t.name);
    for (const name of [
      'find_user_id_by_email',
      'find_user_id_by_name_zip',
      'get_user_details',
      'get_order_details',
      'get_product_details',
      'list_all_product_types',
      'cancel_pending_order',
      'modify_pending_order_address',
      'modify_pending_order_items',
      'modify_pending_order_payment',
      'modify_user_address',
      'return_delivered_order_items',
      'exchange_delivered_order_items',
      'calculate',
      'transfer_to_human_agents',
      'think',
      'track_shipment',
    ])
      expect(names).toContain(name);
    expect(names).not.toContain('request_return');
    const cancel = tools.get('cancel_pending_order')!;
    expect(cancel.parameters).toMatchObject({
      required: ['order_id', 'reason'],
      properties: { reason: { enum: ['no longer needed', 'ordered by mistake'] } },
    });
  });
});

describe('τ-bench records', () => {
  it('re-deriving kefu’s columns from every imported τ-bench order gives the stored row', async () => {
    const orders = await book.allOrders();
    expect(orders).toHaveLength(1000);
    for (const order of orders) {
      expect(syncedOrder(order, structuredClone(order.source) as TauOrder, TAU_NOW)).toEqual(order);
    }
  });
});

describe('τ-bench reads', () => {
  it('find_user_id_* only ever find the authenticated user', async () => {
    const me = 'ethan_lopez_6291';
    const byEmail = await tools.call(
      'find_user_id_by_email',
      { email: 'Ethan.Lopez8943@example.com' },
      as(me),
    );
    expect(output(byEmail)).toBe(me);
    const byName = await tools.call(
      'find_user_id_by_name_zip',
      { first_name: 'ethan', last_name: 'LOPEZ', zip: '43275' },
      as(me),
    );
    expect(output(byName)).toBe(me);
    const someoneElse = await tools.call(
      'find_user_id_by_email',
      { email: 'ethan.lopez8943@example.com' },
      as('omar_kim_3528'),
    );
    expect(someoneElse).toMatchObject({ outcome: 'not_found', data: { output: 'Error: user not found' } });
    const details = await tools.call('get_user_details', { user_id: 'omar_kim_3528' }, as(me));
    expect(details.outcome).toBe('not_found');
  });

  it('get_order_details returns the τ-bench order; another user’s order is not found', async () => {
    const mine = await tools.call('get_order_details', { order_id: '#W2611340' }, as('james_li_5688'));
    expect(output(mine)).toEqual(await tauOrder('#W2611340'));
    expect(mine.facts.find((f) => f.key === '运单号')?.value).toBe('357962501027');
    const theirs = await tools.call('get_order_details', { order_id: '#W2611340' }, as('ethan_lopez_6291'));
    expect(theirs).toMatchObject({ outcome: 'not_found', data: { output: 'Error: order not found' } });
  });

  it('list_all_product_types maps 50 names to ids, sorted by name', async () => {
    const result = await tools.call('list_all_product_types', {}, as('ethan_lopez_6291'));
    const names = Object.keys(output(result) as object);
    expect(names).toHaveLength(50);
    expect(names).toEqual([...names].sort());
  });

  it('calculate answers like Python', async () => {
    const calc = async (expression: string) => output(await tools.call('calculate', { expression }, as('x')));
    expect(await calc('2 + 2')).toBe('4.0');
    expect(await calc('10 / 3')).toBe('3.33');
    expect(await calc('(236.51 - 226.11) * 2')).toBe('20.8');
    expect(await calc('1 / 0')).toBe('Error: division by zero');
    expect(await calc('import os')).toBe('Error: invalid characters in expression');
  });
});

describe('τ-bench changes', () => {
  it('cancel_pending_order refunds every payment and credits the gift card at once', async () => {
    const args = { order_id: '#W6779827', reason: 'no longer needed' };
    const ask = await tools.call('cancel_pending_order', args, as('ethan_lopez_6291'));
    expect(ask.outcome).toBe('needs_confirmation');
    expect((await tauOrder('#W6779827')).status).toBe('pending');

    const done = await tools.call('cancel_pending_order', args, yes('ethan_lopez_6291'));
    const order = await tauOrder('#W6779827');
    expect(output(done)).toEqual(order);
    expect(order.status).toBe('cancelled');
    expect(order.cancel_reason).toBe('no longer needed');
    expect(order.payment_history).toEqual([
      { transaction_type: 'payment', amount: 4079.45, payment_method_id: 'gift_card_7219486' },
      { transaction_type: 'refund', amount: 4079.45, payment_method_id: 'gift_card_7219486' },
    ]);
    expect((await tauUser('ethan_lopez_6291')).payment_methods.gift_card_7219486!.balance).toBe(4128.45);
    const kefu = (await book.order('#W6779827'))!;
    expect(kefu.status).toBe('cancelled');
    expect(kefu.cancelledAt).toBe(TAU_NOW);

    const again = await tools.call('cancel_pending_order', args, yes('ethan_lopez_6291'));
    expect(again).toMatchObject({
      outcome: 'refused',
      data: { output: 'Error: non-pending order cannot be cancelled' },
    });
  });

  it('modify_pending_order_items swaps the item, records the refund and tops up the gift card', async () => {
    const args = {
      order_id: '#W2443586',
      item_ids: ['9690244451'],
      new_item_ids: ['3616838507'],
      payment_method_id: 'gift_card_2742113',
    };
    const context = yes('aarav_nguyen_7344');
    const done = await tools.call('modify_pending_order_items', args, context);
    expect(done.outcome).toBe('ok');
    const order = await tauOrder('#W2443586');
    expect(order.status).toBe('pending (item modified)');
    expect(order.payment_history.at(-1)).toEqual({
      transaction_type: 'refund',
      amount: 10.399999999999977,
      payment_method_id: 'gift_card_2742113',
    });
    const item = order.items.find((i) => i.item_id === '3616838507')!;
    expect(item.price).toBe(226.11);
    expect((await tauUser('aarav_nguyen_7344')).payment_methods.gift_card_2742113!.balance).toBe(32.4);
    const kefu = (await book.order('#W2443586'))!;
    expect(kefu.status).toBe('pending');
    expect(kefu.items.map((i) => i.sku)).toContain('3616838507');

    // Replaying the key changes nothing; a second modification is refused as in τ-bench.
    expect(await tools.call('modify_pending_order_items', args, context)).toEqual(done);
    expect((await tauOrder('#W2443586')).payment_history).toHaveLength(order.payment_history.length);
    const second = await tools.call('modify_pending_order_items', args, yes('aarav_nguyen_7344'));
    expect(output(second)).toBe('Error: non-pending order cannot be modified');
  });

  it('modify_pending_order_payment pays with the gift card and refunds the card', async () => {
    const done = await tools.call(
      'modify_pending_order_payment',
      { order_id: '#W1080318', payment_method_id: 'gift_card_3749819' },
      yes('omar_kim_3528'),
    );
    expect(done.outcome).toBe('ok');
    const order = await tauOrder('#W1080318');
    expect(order.payment_history).toEqual([
      { transaction_type: 'payment', amount: 53.43, payment_method_id: 'credit_card_3577130' },
      { transaction_type: 'payment', amount: 53.43, payment_method_id: 'gift_card_3749819' },
      { transaction_type: 'refund', amount: 53.43, payment_method_id: 'credit_card_3577130' },
    ]);
    expect((await tauUser('omar_kim_3528')).payment_methods.gift_card_3749819!.balance).toBe(37.57);
  });

  it('return_delivered_order_items sets "return requested" with sorted items and a kefu return request', async () => {
    const args = {
      order_id: '#W6304490',
      item_ids: ['9375701158', '4983901480'],
      payment_method_id: 'credit_card_4420174',
    };
    const done = await tools.call('return_delivered_order_items', args, yes('omar_khan_2363'));
    expect(done.outcome).toBe('ok');
    const order = await tauOrder('#W6304490');
    expect(order.status).toBe('return requested');
    expect(order.return_items).toEqual(['4983901480', '9375701158']);
    expect(order.return_payment_method_id).toBe('credit_card_4420174');
    expect((await book.returnsOf('#W6304490')).map((r) => [r.id, r.type, r.items.length])).toEqual([
      ['#W6304490-return', 'return', 2],
    ]);
    const wrongMethod = await tools.call(
      'return_delivered_order_items',
      { ...args, order_id: '#W4817420', payment_method_id: 'credit_card_4420174' },
      yes('ava_moore_2033'),
    );
    expect(output(wrongMethod)).toBe('Error: payment method not found');
  });

  it('exchange_delivered_order_items records the rounded price difference', async () => {
    const done = await tools.call(
      'exchange_delivered_order_items',
      {
        order_id: '#W4817420',
        item_ids: ['6777246137'],
        new_item_ids: ['4579334072'],
        payment_method_id: 'gift_card_8168843',
      },
      yes('ava_moore_2033'),
    );
    expect(done.outcome).toBe('ok');
    const order = await tauOrder('#W4817420');
    expect(order).toMatchObject({
      status: 'exchange requested',
      exchange_items: ['6777246137'],
      exchange_new_items: ['4579334072'],
      exchange_payment_method_id: 'gift_card_8168843',
      exchange_price_difference: 7.09,
    });
    expect((await book.returnsOf('#W4817420'))[0]).toMatchObject({
      id: '#W4817420-exchange',
      items: [{ sku: '6777246137', quantity: 1, exchangeSku: '4579334072' }],
    });
  });

  it('modify_user_address changes the τ-bench user and kefu’s address together', async () => {
    const address = {
      address1: '1 Main St',
      address2: '',
      city: 'Austin',
      state: 'TX',
      country: 'USA',
      zip: '78701',
    };
    const done = await tools.call(
      'modify_user_address',
      { user_id: 'james_li_5688', ...address },
      yes('james_li_5688'),
    );
    expect(done.outcome).toBe('ok');
    const customer = (await book.customer('james_li_5688'))!;
    expect((customer.source as TauUser).address).toEqual(address);
    expect(customer.addresses[0]).toMatchObject({
      province: 'TX',
      city: 'Austin',
      detail: '1 Main St, 78701',
    });
    const foreign = await tools.call(
      'modify_user_address',
      { user_id: 'omar_kim_3528', ...address },
      yes('james_li_5688'),
    );
    expect(foreign.outcome).toBe('not_found');
  });

  it('exported orders.json carries the changes; kefu columns match a fresh import of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-tau-export-'));
    try {
      await exportShop(book, dir, { format: 'tau-bench' });
      const orders = JSON.parse(readFileSync(join(dir, 'orders.json'), 'utf8')) as Record<string, TauOrder>;
      expect(orders['#W6779827']!.status).toBe('cancelled');
      const reimported = await tauBook(dir);
      for (const id of ['#W6779827', '#W2443586', '#W1080318', '#W6304490', '#W4817420']) {
        const { cancelledAt: _a, ...before } = (await book.order(id))!;
        const { cancelledAt: _b, ...after } = (await reimported.order(id))!;
        expect(after).toEqual(before);
      }
      reimported.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
