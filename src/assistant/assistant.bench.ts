/**
 * Dialogue-engine benchmark: fact accuracy of single-turn order and parcel questions through
 * `respond`, on the sample shop (the shop the model was trained on) and on τ-bench's retail order
 * book, imported (a shop it never saw; ../shared/data/tau-bench-retail, read in place). Reports the
 * share of replies containing every expected fact (goal >= 0.85, the seed's target), the share
 * phrased by the model (the rest are grounded templates), and p50 latency per turn. The model is
 * the quickstart workspace's trained one when present (KEFU_BENCH_MODEL overrides), else the base.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, Measurement } from '../bench/benchmark.js';
import { importShop } from '../shop/import/import-shop.js';
import type { ShopStore } from '../shop/store/shop-store.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';
import { createAssistant } from './assistant.js';
import { defaultAssistantConfig } from './config.js';
import type { ChatModel } from './contracts.js';
import { answersWith, factQuestions } from './fact-questions.js';
import { loadChatModel } from './models/load-chat-model.js';
import { sampleBook } from './sample-order-book.js';
import { openSessionStore } from './sessions/sqlite-session-store.js';
import { createToolRegistry } from './tools/index.js';

const TAU = join(process.cwd(), '..', 'shared', 'data', 'tau-bench-retail');
const QUICKSTART = join(process.cwd(), 'kefu-quickstart');

async function measureShop(
  name: string,
  book: ShopStore,
  dbPath: string,
  model: ChatModel,
  count: number,
  log: (m: string) => void,
): Promise<Measurement[]> {
  const info = await book.info();
  const sessions = openSessionStore(dbPath);
  const assistant = createAssistant({
    book,
    tools: createToolRegistry(book, { flavor: info.flavor }),
    sessions,
    model,
    config: defaultAssistantConfig(),
  });
  const ids = (await book.allOrders()).map((o) => o.id);
  const questions = await factQuestions(book, ids, count);
  let right = 0;
  let byModel = 0;
  const latencies: number[] = [];
  for (const q of questions) {
    const session = await assistant.openSession(q.customerId);
    const started = performance.now();
    for await (const event of assistant.respond(session.id, q.customerId, q.message)) {
      if (event.type !== 'finish') continue;
      latencies.push(performance.now() - started);
      if (answersWith(event.reply.text, q.expected)) right++;
      else log(`  miss: ${q.message} → ${event.reply.text.slice(0, 80)}`);
      if (event.reply.origin === 'model') byModel++;
    }
  }
  sessions.close();
  latencies.sort((a, b) => a - b);
  const n = questions.length;
  const notes = `${n} questions, model ${model.id}`;
  return [
    {
      name: `${name}: fact accuracy`,
      value: right / n,
      unit: 'share',
      higherIsBetter: true,
      goal: { value: 0.85, text: '>= 0.85' },
      notes,
    },
    {
      name: `${name}: replies phrased by the model`,
      value: byModel / n,
      unit: 'share',
      higherIsBetter: true,
      notes,
    },
    {
      name: `${name}: p50 turn latency`,
      value: latencies[Math.floor(n / 2)] ?? 0,
      unit: 'ms',
      higherIsBetter: false,
      notes,
    },
  ];
}

export const assistantBenchmark: Benchmark = {
  id: 'assistant.accuracy',
  title:
    'dialogue engine: fact accuracy on the sample shop and on the unseen τ-bench shop, model share, latency',
  async run({ scratchDir, quick, log }) {
    const spec = process.env.KEFU_BENCH_MODEL;
    const trained = existsSync(join(QUICKSTART, 'models', 'sft', 'adapter_config.json'));
    const model = await loadChatModel(spec ?? (trained ? undefined : 'assets/base-model'), {
      root: spec || !trained ? process.cwd() : QUICKSTART,
    });
    const count = quick ? 40 : 200;
    const results: Measurement[] = [];
    const samplePath = join(scratchDir, 'sample.db');
    const sample = await sampleBook({ path: samplePath });
    results.push(...(await measureShop('sample shop', sample.book, samplePath, model, count, log)));
    sample.book.close();
    sample.db.close();
    if (existsSync(TAU)) {
      const tauPath = join(scratchDir, 'tau.db');
      const book = openOrderBook(tauPath);
      await importShop(book, TAU, { format: 'tau-bench', now: '2024-07-01T10:00:00+08:00' });
      results.push(...(await measureShop('τ-bench shop (unseen)', book, tauPath, model, count, log)));
      book.close();
    } else log(`τ-bench data not found at ${TAU}; skipped`);
    await model.close?.();
    return results;
  },
};
