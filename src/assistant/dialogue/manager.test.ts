import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel } from '../contracts.js';
import { KefuChatModel } from '../models/kefu-chat-model.js';
import { type ShopFixture, say, shopFixture } from '../test-helpers/shop-fixture.js';

let shop: ShopFixture;
let base: ChatModel;

beforeAll(async () => {
  shop = await shopFixture();
  base = await KefuChatModel.load(join(process.cwd(), 'assets/base-model'));
});
afterAll(() => shop?.close());

describe('dialogue manager: what the customer asked is what gets answered', () => {
  it('keeps the pending intent while asking for the order number', async () => {
    const order = shop.orderIn('paid');
    const assistant = shop.assistant(base);
    const session = await assistant.openSession(order.customerId);
    const ask = await say(assistant, session.id, order.customerId, '我想取消订单');
    expect(ask.text).toMatch(/订单号/);
    const given = await say(assistant, session.id, order.customerId, `订单号是${order.id}`);
    expect(given.reply.toolCalls.map((c) => c.outcome)).toContain('needs_confirmation');
    expect(given.text).toMatch(/确认/);
  });

  it('answers a rule question from the policies instead of asking for an order', async () => {
    const order = shop.orderIn('delivered');
    const assistant = shop.assistant(base);
    const session = await assistant.openSession(order.customerId);
    for (const question of ['下单后多久能发货啊', '不喜欢的话最多几天可以退回去']) {
      const run = await say(assistant, session.id, order.customerId, question);
      expect(run.text).not.toMatch(/提供.*订单号/);
      expect(run.reply.sources.length).toBeGreaterThan(0);
      expect(run.reply.toolCalls).toEqual([]);
    }
  });

  it('answers the asked spec or warranty of a product, and a broken product is no anger', async () => {
    const product = (await shop.book.searchProducts({ limit: 50 })).find(
      (p) => Object.keys(p.specs).length && p.warrantyMonths > 0,
    )!;
    const [key, value] = Object.entries(product.specs)[0]!;
    const order = shop.orderIn('delivered');
    const assistant = shop.assistant(base);
    const session = await assistant.openSession(order.customerId);
    const spec = await say(assistant, session.id, order.customerId, `${product.name}的${key}是多少`);
    expect(spec.text).toContain(value);
    const warranty = await say(assistant, session.id, order.customerId, `${product.name}坏了，保修多久`);
    expect(warranty.reply.handoff).toBeUndefined();
    expect(warranty.text).toContain(`${product.warrantyMonths}个月`);
  });

  it('reads the status of an existing return request without starting a new one', async () => {
    let order = shop.orders[0]!;
    for (const candidate of shop.orders)
      if ((await shop.book.returnsOf(candidate.id)).length) {
        order = candidate;
        break;
      }
    expect((await shop.book.returnsOf(order.id)).length).toBeGreaterThan(0);
    const assistant = shop.assistant(base);
    const session = await assistant.openSession(order.customerId);
    const run = await say(assistant, session.id, order.customerId, `订单${order.id}的退款申请审核了没`);
    expect(run.reply.task).toBe('after_sales');
    expect(run.reply.toolCalls.map((c) => c.name)).toEqual(['get_order_details']);
  });
});
