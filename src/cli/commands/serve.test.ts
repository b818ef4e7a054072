import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBook } from '../../assistant/sample-order-book.js';
import { openKnowledgeBase } from '../../knowledge/knowledge-base.js';
import { workspaceSecret } from '../../server/auth/secret.js';
import { mintToken } from '../../server/auth/tokens.js';
import type { Order } from '../../shop/types.js';
import { initWorkspace } from '../../workspace/workspace.js';
import { CommandContext, type GlobalOptions } from '../context.js';
import { registerServe } from './serve.js';

let root: string;
let order: Order;
const BASE = join(process.cwd(), 'assets/base-model');

beforeAll(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'kefu-serve-')), 'shop');
  await initWorkspace(root);
  const { book, db, shop } = await sampleBook({ path: join(root, 'kefu.db'), seed: 5 });
  book.close();
  db.close();
  order = shop.orders.find((o) => o.status === 'shipped')!;
  mkdirSync(join(root, 'knowledge', 'policies'), { recursive: true });
  writeFileSync(
    join(root, 'knowledge', 'policies', 'returns.md'),
    '# 退货政策\n\n## 七天无理由\n\n签收后七天内可无理由退货，退货运费由买家承担。',
  );
  const kb = await openKnowledgeBase({ dbPath: join(root, 'kefu.db'), env: {}, baseDir: root });
  await kb.ingest([join(root, 'knowledge')], { cwd: root });
  await kb.close();
});

afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

/** Starts `kefu --json serve --port 0 …` in-process; resolves with its URL and the running command. */
async function serve(args: string[], stop: AbortSignal) {
  const stdout = new PassThrough();
  let out = '';
  const started = new Promise<{ api: string; health: string }>((resolve) => {
    stdout.on('data', (c) => {
      out += c;
      try {
        resolve(JSON.parse(out) as { api: string; health: string });
      } catch {}
    });
  });
  const program = new Command('kefu').option('--json', '', false).option('--debug', '', false).exitOverride();
  let ctx: CommandContext | undefined;
  registerServe(
    program,
    () => {
      ctx ??= new CommandContext(
        { ...program.opts<GlobalOptions>(), workspace: root, set: [], quiet: false },
        { stdout, stderr: new PassThrough() as unknown as NodeJS.WriteStream, env: {}, cwd: root },
      );
      return ctx;
    },
    { stop },
  );
  const running = program.parseAsync(['--json', 'serve', '--port', '0', ...args], { from: 'user' });
  const urls = await Promise.race([started, running.then(() => Promise.reject(new Error(out)))]);
  return { base: urls.api.replace(/\/v1$/, ''), running: running.finally(() => ctx?.close()) };
}

describe('kefu serve', () => {
  it('serves the workspace: healthy, ready, answers a customer, then drains and exits on stop', async () => {
    const stop = new AbortController();
    const { base, running } = await serve(['--model', BASE], stop.signal);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    const readiness = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(ready.status, JSON.stringify(readiness)).toBe(200);
    expect(Object.keys(readiness.checks)).toEqual(
      expect.arrayContaining(['database', 'knowledge', 'model', 'accepting']),
    );

    const token = mintToken(await workspaceSecret(root, {}), {
      sub: order.customerId,
      kind: 'customer',
      ttlSeconds: 600,
    });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const answer = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ messages: [{ role: 'user', content: `订单${order.id}到哪了` }] }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      choices: { message: { content: string } }[];
      kefu: { tool_calls: { name: string }[] };
    };
    expect(body.choices[0]!.message.content.length).toBeGreaterThan(0);
    expect(body.kefu.tool_calls.length).toBeGreaterThan(0);

    // A stream in flight when the stop comes: readiness turns 503 at once, the stream finishes.
    const streaming = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: '你们的退货政策是什么' }] }),
    });
    const reader = streaming.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"role":"assistant"');
    stop.abort();
    const [notReady, refused] = await Promise.all([
      fetch(`${base}/readyz`),
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ messages: [{ role: 'user', content: '多久发货' }] }),
      }),
    ]);
    expect(notReady.status).toBe(503);
    expect(refused.status).toBe(503);
    let rest = first;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('"finish_reason":"stop"');
    expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await running;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 20_000);
});
