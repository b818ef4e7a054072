/**
 * The dialogue engine on a shop it never saw: τ-bench's retail order book (English product names
 * and options, an English policy, τ-bench's own tools), asked in Chinese through `respond`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../../shop/import/import-shop.js';
import { TAU_POLICY } from '../../shop/import/tau-bench.js';
import type { ShopStore } from '../../shop/store/shop-store.js';
import { orderBookOn } from '../../shop/store/sqlite-order-book.js';
import { openSqlite } from '../../storage/sqlite-open.js';
import { createAssistant } from '../assistant.js';
import { defaultAssistantConfig } from '../config.js';
import type { Assistant, ChatModel } from '../contracts.js';
import { KefuChatModel } from '../models/kefu-chat-model.js';
import { openSessionStore } from '../sessions/sqlite-session-store.js';
import { say } from '../test-helpers/shop-fixture.js';
import { createToolRegistry } from '../tools/index.js';
import { TAU_DIR, TAU_NOW } from '../tools/test-helpers/books.js';

let book: ShopStore;
let model: ChatModel;
let assistant: Assistant;

const HAS_TAU = existsSync(join(TAU_DIR, 'orders.json'));

beforeAll(async () => {
  if (!HAS_TAU) return;
  const db = openSqlite(':memory:');
  book = orderBookOn(db, { ownsConnection: true });
  await importShop(book, TAU_DIR, { format: 'tau-bench', now: TAU_NOW });
  model = await KefuChatModel.load(join(process.cwd(), 'assets/base-model'));
  assistant = createAssistant({
    book,
    tools: createToolRegistry(book, { flavor: 'tau-bench' }),
    sessions: openSessionStore(db),
    model,
    config: defaultAssistantConfig({ shopName: 'τ-bench retail', maxTokens: 32 }),
  });
});
afterAll(() => book?.close());

async function chat(customerId: string, ...messages: string[]) {
  const session = await assistant.openSession(customerId);
  const runs = [];
  for (const m of messages) runs.push(await say(assistant, session.id, customerId, m));
  return runs;
}

describe.runIf(HAS_TAU)('τ-bench retail, asked in Chinese', () => {
  it('finds an English-named product and the variant its options name, with that price', async () => {
    const kettle = (await book.searchProducts({ text: 'Electric Kettle', limit: 5 }))[0]!;
    const variant = kettle.variants[3]!;
    const opts = Object.values(variant.options).join(' ');
    const customer = (await book.allCustomers())[0]!;
    const [run] = await chat(customer.id, `${kettle.name}（${opts}）现在卖多少钱`);
    expect(run!.reply.task).toBe('product');
    expect(run!.text).toContain(`$${(variant.price / 100).toFixed(2)}`);
  });

  it('gives the price range of an English-named product when no option is named', async () => {
    const kettle = (await book.searchProducts({ text: 'Electric Kettle', limit: 5 }))[0]!;
    const prices = kettle.variants.map((v) => v.price).sort((a, b) => a - b);
    const customer = (await book.allCustomers())[3]!;
    const [run] = await chat(customer.id, `${kettle.name}多少钱`);
    expect(run!.text).toContain(`$${(prices[0]! / 100).toFixed(2)}`);
    expect(run!.text).toContain(`$${(prices.at(-1)! / 100).toFixed(2)}`);
  });

  it('answers the refund time from the stated policy, with the policy as source', async () => {
    const customer = (await book.allCustomers())[1]!;
    const [run] = await chat(customer.id, '退款一般几天能到账');
    expect(run!.text).toContain(TAU_POLICY.refundDaysOriginal);
    expect(run!.reply.sources.length).toBeGreaterThan(0);
  });

  it('says a window τ-bench’s policy does not state is not stated, with no number made up', async () => {
    const customer = (await book.allCustomers())[2]!;
    const [run] = await chat(customer.id, '无理由退货的期限是几天');
    expect(run!.text).toMatch(/没有具体说明/);
    expect(run!.text).not.toMatch(/\d+天/);
  });

  it('returns to the gift card the customer names, after a yes', async () => {
    type Method = { id: string; source: string };
    let pick: { orderId: string; customerId: string; giftCard: string } | undefined;
    for (const order of await book.allOrders()) {
      if ((order.source as { status?: string }).status !== 'delivered') continue;
      const user = (await book.customer(order.customerId))!.source as {
        payment_methods: Record<string, Method>;
      };
      const cards = Object.values(user.payment_methods).filter((m) => m.source === 'gift_card');
      if (cards.length === 1) {
        pick = { orderId: order.id, customerId: order.customerId, giftCard: cards[0]!.id };
        break;
      }
    }
    const { orderId, customerId, giftCard } = pick!;
    const [ask, yes] = await chat(customerId, `订单${orderId}我要退货，钱退到礼品卡`, '确认');
    const call = ask!.reply.toolCalls.find((c) => c.name === 'return_delivered_order_items')!;
    expect(call.outcome).toBe('needs_confirmation');
    expect(call.args).toMatchObject({ order_id: orderId, payment_method_id: giftCard });
    expect(ask!.text).toContain(giftCard);
    expect(yes!.reply.toolCalls.map((c) => c.outcome)).toEqual(['ok']);
  });

  it('collects the item, the new item and the payment method, and exchanges only on yes', async () => {
    const orders = await book.allOrders();
    let found: { orderId: string; customerId: string; value: string; sku: string } | undefined;
    for (const order of orders) {
      if ((order.source as { status?: string }).status !== 'delivered') continue;
      const item = order.items[0]!;
      const product = (await book.product(item.productId))!;
      const [axis] = Object.keys(item.options);
      const other = product.variants.find(
        (v) =>
          v.stock > 0 &&
          v.options[axis!] !== item.options[axis!] &&
          Object.keys(item.options).every((k) => k === axis || v.options[k] === item.options[k]),
      );
      if (other && order.items.length === 1) {
        found = {
          orderId: order.id,
          customerId: order.customerId,
          value: other.options[axis!]!,
          sku: other.sku,
        };
        break;
      }
    }
    expect(found).toBeDefined();
    const { orderId, customerId, value, sku } = found!;
    const [ask, spec, yes] = await chat(
      customerId,
      `买的尺码小了，能换吗，订单号${orderId}`,
      `换成${value}`,
      '是的，确认',
    );
    expect(ask!.text).toMatch(/换成哪个/);
    const call = spec!.reply.toolCalls.find((c) => c.name === 'exchange_delivered_order_items')!;
    expect(call.outcome).toBe('needs_confirmation');
    const order = (await book.order(orderId))!;
    expect(call.args).toMatchObject({
      order_id: orderId,
      item_ids: [order.items[0]!.sku],
      new_item_ids: [sku],
      payment_method_id: (order.source as { payment_history: { payment_method_id: string }[] })
        .payment_history[0]!.payment_method_id,
    });
    expect(spec!.text).toMatch(/确认/);
    expect(yes!.reply.toolCalls.map((c) => c.outcome)).toEqual(['ok']);
    expect(((await book.order(orderId))!.source as { status: string }).status).toBe('exchange requested');
  });

  it('asks for the new address of a pending order, reads it, and changes it only on yes', async () => {
    const order = (await book.allOrders()).find(
      (o) => (o.source as { status?: string }).status === 'pending',
    )!;
    const [ask, given, yes] = await chat(
      order.customerId,
      `我要修改${order.id}的收货地址`,
      '445 Maple Drive, Suite 394, Fort Worth, TX 76165',
      '确认',
    );
    expect(ask!.text).toMatch(/新的收货地址/);
    const call = given!.reply.toolCalls.find((c) => c.name === 'modify_pending_order_address')!;
    expect(call.outcome).toBe('needs_confirmation');
    expect(call.args).toMatchObject({ order_id: order.id, city: 'Fort Worth', state: 'TX', zip: '76165' });
    expect(yes!.reply.toolCalls.map((c) => c.outcome)).toEqual(['ok']);
    const address = ((await book.order(order.id))!.source as { address: { address1: string } }).address;
    expect(address.address1).toBe('445 Maple Drive');
  });

  it('resolves 上一单 to the order discussed before the current one', async () => {
    const customer = (await book.allCustomers()).find(
      (c) => (c.source as { orders: string[] }).orders.length >= 3,
    )!;
    const [a, b] = (customer.source as { orders: string[] }).orders;
    const runs = await chat(customer.id, `帮我看看订单${a}`, `再帮我看看${b}`, '那上一单呢，状态是啥');
    expect(runs[2]!.text).toContain(a!);
  });

  it('says how an order was paid, from its payment history', async () => {
    const order = (await book.allOrders()).find((o) => o.payment.paidAt !== null)!;
    const [run] = await chat(order.customerId, `${order.id}这单我当时用什么付的钱`);
    expect(run!.reply.task).toBe('order');
    expect(run!.text).toContain(order.payment.method);
  });

  it('lists the values of the option axis a question names (尺码 for size, or the English axis name)', async () => {
    const products = await book.searchProducts({ text: 'Mechanical Keyboard', limit: 5 });
    const keyboard = products.find((p) => p.name === 'Mechanical Keyboard')!;
    const sizes = [...new Set(keyboard.variants.map((v) => v.options.size!))];
    const customer = (await book.allCustomers())[4]!;
    const [run] = await chat(customer.id, `想买${keyboard.name}，尺码上能选哪些`);
    for (const size of sizes) expect(run!.text).toContain(size);
    const switches = [...new Set(keyboard.variants.map((v) => v.options['switch type']!))];
    const [byName] = await chat(customer.id, `${keyboard.name}有几种switch type，分别是什么`);
    for (const s of switches) expect(byName!.text).toContain(s);
  });

  it('says whether the named variant is available, with no stock count τ-bench does not keep', async () => {
    const all = await book.searchProducts({ text: 'Air Purifier', limit: 5 });
    const purifier = all.find((p) => p.name === 'Air Purifier')!;
    const customer = (await book.allCustomers())[5]!;
    for (const variant of [
      purifier.variants.find((v) => v.stock > 0)!,
      purifier.variants.find((v) => v.stock === 0)!,
    ]) {
      const opts = Object.values(variant.options).join(' ');
      const [run] = await chat(customer.id, `请问${purifier.name}（${opts}）卖完了没有`);
      expect(run!.text).toContain(variant.stock > 0 ? '有货' : '缺货');
      expect(run!.text).not.toMatch(/\d件/);
    }
  });

  it('words τ-bench statuses by their meaning: a pending order is paid, not 待付款, and only it may be cancelled', async () => {
    const orders = await book.allOrders();
    const of = (status: string) => orders.find((o) => (o.source as { status: string }).status === status)!;
    const pending = of('pending');
    const [status] = await chat(pending.customerId, `订单${pending.id}现在什么状态`);
    expect(status!.text).toContain('待处理');
    expect(status!.text).not.toContain('付款');
    const [early] = await chat(pending.customerId, `订单${pending.id}现在还能退货吗`);
    expect(early!.text).toMatch(/还未发货.*不能申请退换货/);
    expect(early!.text).toContain('取消');
    const processed = of('processed');
    const [late] = await chat(processed.customerId, `订单${processed.id}现在还能退货吗`);
    expect(late!.text).toContain('不能取消');
    const delivered = orders.find(
      (o) => (o.source as { status: string }).status === 'delivered' && o.items.length > 1,
    )!;
    const [ok] = await chat(delivered.customerId, `订单${delivered.id}现在还能退货吗`);
    expect(ok!.text).toContain('全部商品可申请');
    expect(ok!.text).not.toContain('已签收天数');
  });
});
