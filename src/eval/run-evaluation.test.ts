/**
 * `runEvaluation` through the real server: a small sample shop in a workspace database, the
 * workspace service on a free port (committed base model), customer tokens minted with the
 * workspace secret, a few items of every set over /v1/chat/completions and the sessions API;
 * the report files and history are written, and the order book is as it was afterwards.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../server/auth/tokens.js';
import { type Listening, listen } from '../server/listen.js';
import { silentLogger } from '../server/observability/logger.js';
import { openWorkspaceServer, type WorkspaceServer } from '../server/workspace-server.js';
import { readShopData, storeShopData } from '../shop/import/shop-data.js';
import { policyDocuments } from '../shop/sample/policies.js';
import { generateShop } from '../shop/sample/shop.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';
import { runEvaluation } from './run-evaluation.js';

const root = mkdtempSync(join(tmpdir(), 'kefu-eval-ws-'));
const dbPath = join(root, 'kefu.db');
const env = { KEFU_SECRET: 'eval-test-secret-0123456789' };
let server: WorkspaceServer;
let listening: Listening;

beforeAll(async () => {
  const shop = generateShop(9, { productsPerType: 1, customers: 30, orders: 150 });
  const book = openOrderBook(dbPath);
  await book.transaction((tx) =>
    storeShopData(tx, {
      info: { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy },
      policyDocuments: policyDocuments(),
      ...shop,
    }),
  );
  book.close();
  server = await openWorkspaceServer({
    root,
    dbPath,
    env,
    logger: silentLogger,
    model: join(process.cwd(), 'assets/base-model'),
    server: { rateLimit: { perMinute: 0 } },
  });
  listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
}, 60_000);

afterAll(async () => {
  await listening?.close();
  await server?.shutdown();
});

const ordersNow = async () => {
  const book = openOrderBook(dbPath);
  try {
    const data = await readShopData(book);
    return JSON.stringify([data.orders.map((o) => [o.id, o.status]), data.returns.map((r) => r.id)]);
  } finally {
    book.close();
  }
};

describe('runEvaluation through the HTTP server', () => {
  it('evaluates every set over /v1/chat/completions, writes the report and restores the data', async () => {
    const before = await ordersNow();
    const result = await runEvaluation({
      root,
      dbPath,
      env,
      url: listening.url,
      sizes: { accuracy: 5, coherence: 2, replacement: 5, safety: 2 },
      concurrency: 2,
    });
    expect(result.report.variants).toHaveLength(1);
    const s = result.summary;
    expect(s.accuracy?.count).toBe(5);
    expect(s.latency?.ttft.count).toBe(7);
    expect(s.latency?.total.p95).toBeGreaterThan(0);
    expect(s.replacement?.stateChecked).toBe(true);
    expect(s.satisfaction?.source).toBe('simulated');
    expect(result.report.fromLogs).toMatchObject({ conversations: 0, replacementRate: null });
    expect(result.text).toContain('From real conversation logs: no real conversations yet');
    expect(
      result.records[0]?.records.accuracy.every((r) => r.failures.every((f) => f.rule !== 'error')),
    ).toBe(true);
    expect(result.text).toMatch(/seed target/);
    expect(existsSync(result.written?.html as string)).toBe(true);
    expect(readFileSync(join(root, 'reports/eval-history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(await ordersNow()).toBe(before);
  }, 120_000);

  it('runs the sessions API route too, and diffs against the previous run', async () => {
    const result = await runEvaluation({
      root,
      dbPath,
      env,
      url: listening.url,
      route: 'sessions',
      sets: ['accuracy'],
      sizes: { accuracy: 3 },
    });
    expect(result.summary.accuracy?.count).toBe(3);
    expect(result.records[0]?.records.accuracy.every((r) => r.reply.length > 0)).toBe(true);
    // A different variant name (sessions route) has no previous entry yet.
    expect(result.report.regression).toBeUndefined();
    const again = await runEvaluation({
      root,
      dbPath,
      env,
      url: listening.url,
      route: 'sessions',
      sets: ['accuracy'],
      sizes: { accuracy: 3 },
    });
    expect(again.report.regression?.rows.map((r) => r.metric)).toContain('accuracy');
    // Every session so far was the simulator's: none counts as a real conversation.
    expect(again.report.fromLogs?.conversations).toBe(0);
    expect(again.report.fromLogs?.excluded.synthetic).toBeGreaterThan(0);
  }, 120_000);

  it('adds replacement rate and satisfaction from real conversations to the report', async () => {
    const book = openOrderBook(dbPath);
    const order = (await book.allOrders())[0]!;
    book.close();
    const token = mintToken(env.KEFU_SECRET, { sub: order.customerId, kind: 'customer', ttlSeconds: 600 });
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${listening.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as { id: string; reply: { messageId: string } };
    };
    const { id } = await call('/sessions', { channel: 'web' });
    const turn = await call(`/sessions/${id}/messages`, { text: `订单${order.id}到哪了`, stream: false });
    await call(`/sessions/${id}/close`, {});
    await call(`/sessions/${id}/feedback`, { messageId: turn.reply.messageId, thumb: 'up' });
    await call(`/sessions/${id}/feedback`, { rating: 3 });

    const result = await runEvaluation({
      root,
      dbPath,
      env,
      url: listening.url,
      sets: ['accuracy'],
      sizes: { accuracy: 1 },
    });
    expect(result.report.fromLogs).toMatchObject({
      conversations: 1,
      outcomes: { resolved: 1, handed_off: 0, abandoned: 0 },
      replacementRate: 1,
      feedback: { total: 2, positive: 1 },
      satisfaction: 0.5,
    });
    expect(result.text).toMatch(/From real conversation logs:\n {2}replacement rate 100\.0%/);
    expect(readFileSync(result.written?.html as string, 'utf8')).toContain('From real conversation logs');
    const json = JSON.parse(readFileSync(result.written?.json as string, 'utf8'));
    expect(json.fromLogs.satisfaction).toBe(0.5);
  }, 120_000);
});
