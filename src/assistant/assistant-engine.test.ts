/**
 * End to end through `respond` with kefu's own engine: the quickstart's trained model (base + SFT
 * + DPO adapters) when the workspace exists, else the committed base model. Checks the events,
 * the stored history and the reply's bookkeeping, whatever words the model chose.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../shop/import/import-shop.js';
import { orderBookOn } from '../shop/store/sqlite-order-book.js';
import { openSqlite } from '../storage/sqlite-open.js';
import { createAssistant } from './assistant.js';
import { defaultAssistantConfig } from './config.js';
import { answersWith, factQuestions } from './fact-questions.js';
import { checkGrounding } from './grounding/grounding.js';
import { loadChatModel } from './models/load-chat-model.js';
import { openSessionStore } from './sessions/sqlite-session-store.js';
import { type ShopFixture, say, shopFixture } from './test-helpers/shop-fixture.js';
import { createToolRegistry } from './tools/index.js';

const QUICK = join(process.cwd(), 'kefu-quickstart');
const TAU = join(process.cwd(), '..', 'shared', 'data', 'tau-bench-retail');
const modelSpec = existsSync(join(QUICK, 'models/dpo/adapter_config.json')) ? undefined : 'assets/base-model';

let shop: ShopFixture;
beforeAll(async () => {
  shop = await shopFixture();
});
afterAll(() => shop?.close());

describe('assistant on kefu’s engine', () => {
  it('answers an order question and stores both sides of the conversation', async () => {
    const model = await loadChatModel(modelSpec, { root: modelSpec ? process.cwd() : QUICK });
    const order = shop.orderIn('delivered');
    const assistant = shop.assistant(model);
    const session = await assistant.openSession(order.customerId, { channel: 'test' });
    const run = await say(assistant, session.id, order.customerId, `帮我查一下订单${order.id}`);

    const kinds = run.events.map((e) => e.type);
    expect(kinds[0]).toBe('tool-call');
    expect(kinds).toContain('tool-result');
    expect(kinds.at(-1)).toBe('finish');
    expect(run.reply.task).toBe('order');
    expect(run.reply.text).toBe(run.text);
    expect(run.text).toContain(order.id);
    expect(['model', 'template']).toContain(run.reply.origin);
    expect(run.reply.grounded).toBe(true);
    expect(run.reply.latencyMs).toBeGreaterThanOrEqual(0);
    if (run.reply.origin === 'model') expect(run.reply.usage.completionTokens).toBeGreaterThan(0);
    // Whatever the origin, the reply's checkable facts come from the tool result.
    const facts = run.events.flatMap((e) =>
      e.type === 'tool-result'
        ? [e.result.message, ...e.result.facts.map((f) => `${f.key}: ${f.value}`)]
        : [],
    );
    expect(checkGrounding(run.text, [...facts, `帮我查一下订单${order.id}`]).unsupported).toEqual([]);

    const history = await assistant.history(session.id, order.customerId);
    expect(history.map((m) => m.role)).toEqual(['customer', 'assistant']);
    expect(history[0]!.text).toBe(`帮我查一下订单${order.id}`);
    expect(history[1]).toMatchObject({ text: run.text, meta: { origin: run.reply.origin, task: 'order' } });
    expect(history[1]!.id).toBe(run.reply.messageId);
    await model.close?.();
  });
});

describe.runIf(existsSync(join(TAU, 'orders.json')))('a shop the model never saw: τ-bench retail', () => {
  it('answers order and parcel questions with the right facts (>= 85%)', async () => {
    const db = openSqlite(':memory:');
    const book = orderBookOn(db);
    await importShop(book, TAU, { format: 'tau-bench', now: '2024-07-01T10:00:00+08:00' });
    const model = await loadChatModel(modelSpec, { root: modelSpec ? process.cwd() : QUICK });
    const assistant = createAssistant({
      book,
      tools: createToolRegistry(book, { flavor: 'tau-bench' }),
      sessions: openSessionStore(db),
      model,
      config: defaultAssistantConfig({ shopName: 'τ-bench retail', maxTokens: 64 }),
    });
    const ids = (await book.allOrders()).map((o) => o.id);
    const questions = await factQuestions(book, ids, 12);
    let right = 0;
    for (const q of questions) {
      const session = await assistant.openSession(q.customerId);
      const run = await say(assistant, session.id, q.customerId, q.message);
      if (answersWith(run.text, q.expected)) right++;
    }
    const accuracy = right / questions.length;
    console.info(
      `τ-bench (unseen shop) fact accuracy: ${right}/${questions.length} = ${accuracy.toFixed(2)} with ${model.id}`,
    );
    expect(questions.length).toBeGreaterThanOrEqual(10);
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    db.close();
  });
});
