/**
 * End to end through the in-process target with the real assistant (dialogue engine, tools over
 * the SQLite order book, kefu's engine with the committed base model): a few items of every set,
 * twice, graded and summarised; the order book is restored between replacement repeats.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModel } from '../../assistant/contracts.js';
import { systemPromptFor } from '../../assistant/generation/prompt.js';
import { KefuChatModel } from '../../assistant/models/kefu-chat-model.js';
import { type ShopFixture, shopFixture } from '../../assistant/test-helpers/shop-fixture.js';
import { readShopData } from '../../shop/import/shop-data.js';
import { generateEvalSets } from '../sets/generate.js';
import { snapshotFromStore } from '../shop-snapshot.js';
import { summarize } from '../summary.js';
import { createInProcessTarget } from '../targets/in-process.js';
import { createStoreTarget } from '../targets/workspace.js';
import { runEvalSets } from './runner.js';

let shop: ShopFixture;
let model: ChatModel;

beforeAll(async () => {
  shop = await shopFixture();
  model = await KefuChatModel.load(join(process.cwd(), 'assets/base-model'));
});
afterAll(() => shop?.close());

describe('runEvalSets through the in-process target', () => {
  it('runs every set, grades it and restores the order book between repeats', async () => {
    const sets = generateEvalSets(await snapshotFromStore(shop.book), 5, {
      accuracy: 4,
      coherence: 5,
      replacement: 6,
      safety: 3,
    });
    const target = await createStoreTarget({
      assistant: shop.assistant(model),
      book: shop.book,
      systemPrompt: systemPromptFor('test'),
    });
    const before = JSON.stringify(await readShopData(shop.book));
    const restore = target.reset?.bind(target);
    const startStates: string[] = [];
    target.reset = async () => {
      await restore?.();
      startStates.push(JSON.stringify(await readShopData(shop.book)));
    };
    const records = await runEvalSets(target, sets, { repeat: 2, concurrency: 2, orderBook: shop.book });
    expect(records.accuracy).toHaveLength(8);
    expect(records.coherence).toHaveLength(10);
    expect(records.safety).toHaveLength(6);
    expect(records.replacement).toHaveLength(12);
    expect(records.notes).toEqual([]);
    for (const r of records.accuracy) {
      expect(r.reply.length).toBeGreaterThan(0);
      expect(r.totalMs).toBeGreaterThanOrEqual(r.ttftMs);
      expect(r.failures.map((f) => f.rule)).not.toContain('error');
    }
    // Changing goals ran, were checked in the order book, and both repeats started from the same data.
    const changing = records.replacement.filter((r) => ['cancel', 'return', 'exchange'].includes(r.goal));
    expect(changing.length).toBeGreaterThan(0);
    for (const r of changing) expect(r.stateChecked).toBe(true);
    expect(startStates).toEqual([before, before]);
    await target.reset?.();
    expect(JSON.stringify(await readShopData(shop.book))).toBe(before);

    const summary = summarize(records);
    expect(summary.accuracy?.count).toBe(8);
    expect(summary.latency?.total.p95).toBeGreaterThan(0);
    expect(Object.keys(summary.accuracy?.passK ?? {})).toEqual(['pass^1', 'pass^2']);
    expect(summary.checks.map((c) => c.metric)).toEqual([
      'accuracy',
      'latency_p95',
      'coherence',
      'replacement',
      'satisfaction',
      'safety',
    ]);
  }, 60_000);

  it('runs replacement once on a target that cannot restore the order book, and says so', async () => {
    const sets = generateEvalSets(await snapshotFromStore(shop.book), 6, { replacement: 2 });
    const assistant = shop.assistant(model);
    const records = await runEvalSets(createInProcessTarget({ assistant }), sets, {
      sets: ['replacement'],
      repeat: 2,
      orderBook: shop.book,
    });
    expect(records.replacement).toHaveLength(2);
    expect(records.notes[0]).toMatch(/replacement ran once/);
    await (await createStoreTarget({ assistant, book: shop.book })).reset?.();
  }, 30_000);
});
