/**
 * Server benchmark: single-turn latency through the real HTTP stack (a listening server, streamed
 * /v1/chat/completions, a new session per question, the real dialogue engine, tools and SQLite) —
 * time to first token and to the full answer, p50/p95/p99, at 1 and 8 concurrent customers, with
 * the workspace's trained model (kefu-quickstart or $KEFU_WORKSPACE; else the committed base). Then
 * the server's own overhead with a model that answers instantly (goal p99 <= 5 ms), and the
 * throughput of that load against a bare node:http server sending a same-sized SSE answer, and the
 * server's CPU time per turn (kefu's minus the bare server's; steadier than wall-clock tails).
 */
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createAssistant } from '../assistant/assistant.js';
import { defaultAssistantConfig } from '../assistant/config.js';
import type { ChatModel } from '../assistant/contracts.js';
import { loadChatModel } from '../assistant/models/load-chat-model.js';
import { sampleBook } from '../assistant/sample-order-book.js';
import { openSessionStore } from '../assistant/sessions/sqlite-session-store.js';
import { createToolRegistry } from '../assistant/tools/index.js';
import type { BenchContext, Benchmark, Measurement } from '../bench/benchmark.js';
import { createServer } from './app.js';
import { mintToken } from './auth/tokens.js';
import { defaultServerConfig } from './config.js';
import { FeedbackStore } from './feedback/feedback-store.js';
import { InstantChatModel } from './instant-chat-model.js';
import { listen } from './listen.js';
import { ModelSwitch } from './model-switch.js';
import { startWalCheckpointer } from './storage/wal-checkpointer.js';
import { COMMITTED_BASE_MODEL } from './workspace-server.js';

const SECRET = 'bench-secret-0123456789';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

async function startKefu(scratch: string, model: ChatModel, concurrency: number) {
  const { db, book, shop } = await sampleBook({
    path: join(scratch, `bench-${model.id.replace(/\W/g, '_')}.db`),
  });
  const tools = createToolRegistry(book, { flavor: 'kefu' });
  const sessions = openSessionStore(db);
  // As the workspace server does: WAL checkpoints in a worker, not inside a turn's commit.
  const checkpointer = startWalCheckpointer(db.name, [db]);
  const switchable = new ModelSwitch(model);
  const assistant = createAssistant({
    book,
    tools,
    sessions,
    model: switchable,
    config: defaultAssistantConfig(),
  });
  const server = createServer({
    config: defaultServerConfig({
      rateLimit: { perMinute: 0 },
      queue: { concurrency, maxWaiting: 1000 },
      deadlines: { requestMs: 120_000, idleMs: 60_000 },
    }),
    secret: SECRET,
    adminKeys: [],
    assistant,
    sessions,
    model: switchable,
    feedback: new FeedbackStore(db),
    tools,
  });
  const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
  const questions = shop.orders.slice(0, 40).map((o, i) => ({
    token: mintToken(SECRET, { sub: o.customerId, kind: 'customer', ttlSeconds: 3600 }),
    text: [`订单${o.id}到哪了`, '你们的退货政策是什么', `订单${o.id}能退货吗`, '多久发货'][i % 4]!,
  }));
  return {
    url: listening.url,
    questions,
    async stop() {
      await server.shutdown();
      await listening.close();
      await checkpointer.stop();
      db.close();
    },
  };
}

/** One streamed completion: ms to the first content chunk and to [DONE]. */
async function ask(
  url: string,
  q: { token: string; text: string },
): Promise<{ ttft: number; total: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${q.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: q.text }] }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let ttft = 0;
  let seen = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (!ttft && seen.includes('"content":"') && /"content":"[^"]/.test(seen))
      ttft = performance.now() - started;
  }
  if (!seen.includes('[DONE]')) throw new Error(`stream did not finish: ${seen.slice(-200)}`);
  return { ttft: ttft || performance.now() - started, total: performance.now() - started };
}

async function load(
  url: string,
  questions: { token: string; text: string }[],
  concurrency: number,
  total: number,
) {
  const results: { ttft: number; total: number }[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const q = questions[next++ % questions.length]!;
        results.push(await ask(url, q));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const ttft = results.map((r) => r.ttft).sort((a, b) => a - b);
  const full = results.map((r) => r.total).sort((a, b) => a - b);
  return { ttft, full, perSecond: results.length / seconds };
}

/** A bare node:http server answering every POST with the same SSE bytes kefu sends. */
async function bareServer(body: string) {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Process CPU time (user + system) per turn while `run` runs `turns` turns. */
async function cpuMsPerTurn(run: () => Promise<unknown>, turns: number): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / turns;
}

function workspaceModelRoot(): string | undefined {
  const root = resolve(process.env.KEFU_WORKSPACE ?? 'kefu-quickstart');
  return existsSync(join(root, 'models')) ? root : undefined;
}

/**
 * The server's own cost with a model that answers instantly: p50/p99 of single turns at 1
 * customer, throughput at 8 against bare node:http sending the same SSE bytes, and CPU per turn.
 */
export async function overheadMeasurements(context: BenchContext): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const instant = await startKefu(context.scratchDir, new InstantChatModel(), 8);
  const m = context.quick ? 200 : 1000;
  try {
    await load(instant.url, instant.questions, 8, 100);
    const one = await load(instant.url, instant.questions, 1, m);
    out.push({
      name: 'server overhead p99 (instant model, 1 customer)',
      value: Math.round(quantile(one.full, 0.99) * 100) / 100,
      unit: 'ms',
      higherIsBetter: false,
      goal: { value: 5, text: '<= 5 ms' },
      notes: `p50 ${quantile(one.full, 0.5).toFixed(2)} ms over ${m} single turns (HTTP, auth, session, engine, tools, SQLite)`,
    });
    const eight = await load(instant.url, instant.questions, 8, m);
    const kefuCpu = await cpuMsPerTurn(() => load(instant.url, instant.questions, 1, m / 2), m / 2);
    const sample = await fetch(`${instant.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${instant.questions[0]!.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: '多久发货' }] }),
    }).then((r) => r.text());
    const bare = await bareServer(sample);
    try {
      const ref = await load(bare.url, instant.questions, 8, m);
      const bareCpu = await cpuMsPerTurn(() => load(bare.url, instant.questions, 1, m / 2), m / 2);
      out.push({
        name: 'server CPU per turn (instant model)',
        value: Math.round((kefuCpu - bareCpu) * 100) / 100,
        unit: 'ms',
        higherIsBetter: false,
        notes: `process CPU per turn, client included: kefu ${kefuCpu.toFixed(2)} ms − bare node:http ${bareCpu.toFixed(2)} ms; steadier than wall-clock p99 on a shared machine`,
      });
      out.push({
        name: 'throughput, 8 customers, instant model',
        value: Math.round(eight.perSecond),
        unit: 'turns/s',
        higherIsBetter: true,
        reference: { name: 'bare node:http, same SSE bytes', value: Math.round(ref.perSecond) },
        notes: `p99 @8 ${quantile(eight.full, 0.99).toFixed(2)} ms`,
      });
    } finally {
      await bare.stop();
    }
  } finally {
    await instant.stop();
  }
  return out;
}

export const serverBenchmark: Benchmark = {
  id: 'server.latency',
  title: 'Server: single-turn latency (TTFT / full) at 1 and 8 customers; overhead; throughput vs node:http',
  async run(context) {
    const out: Measurement[] = [];
    const n = context.quick ? 16 : 48;
    const root = workspaceModelRoot();
    const real = root
      ? await loadChatModel(undefined, { root, fallbackBase: COMMITTED_BASE_MODEL })
      : await loadChatModel(COMMITTED_BASE_MODEL, { root: '.' });
    context.log(`model ${real.id}${root ? ` from ${root}` : ' (committed base)'}`);
    const kefu = await startKefu(context.scratchDir, real, 2);
    try {
      await load(kefu.url, kefu.questions, 1, 4);
      for (const c of [1, 8]) {
        const r = await load(kefu.url, kefu.questions, c, n);
        const note = `${n} questions, ${c} concurrent, model ${real.id}`;
        for (const [what, xs] of [
          ['time to first token', r.ttft],
          ['full answer', r.full],
        ] as const) {
          for (const q of [0.5, 0.95, 0.99]) {
            out.push({
              name: `${what} p${Math.round(q * 100)} @${c}`,
              value: Math.round(quantile(xs, q) * 10) / 10,
              unit: 'ms',
              higherIsBetter: false,
              ...(what === 'full answer' && q === 0.95
                ? { goal: { value: 1000, text: '<= 1 s (seed 2 s)' } }
                : {}),
              notes: note,
            });
          }
        }
        context.log(
          `@${c}: full p50 ${quantile(r.full, 0.5).toFixed(1)} ms, p95 ${quantile(r.full, 0.95).toFixed(1)} ms`,
        );
      }
    } finally {
      await kefu.stop();
      await real.close?.();
    }

    out.push(...(await overheadMeasurements(context)));
    return out;
  },
};
