import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../core/errors.js';
import { type Listening, listen } from './listen.js';
import { TricklingChatModel } from './test-helpers/models.js';
import { type ServerFixture, serverFixture } from './test-helpers/server-fixture.js';

let f: ServerFixture;
let server: Listening;

afterEach(async () => {
  await server?.close(100);
  await f?.close();
});

const gauge = (metrics: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);

async function untilTrue(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a client that disconnects mid-stream', () => {
  for (const route of ['/v1/chat/completions', '/sessions'] as const) {
    it(`stops the generation and frees its slot (${route})`, async () => {
      const model = new TricklingChatModel(10);
      f = await serverFixture(model, { config: { queue: { concurrency: 1, maxWaiting: 0 } } });
      server = await listen(f.app, { host: '127.0.0.1', port: 0 });
      // An order question: the reply is written by the model (policy questions are answered from
      // the stated rules without it).
      const order = f.shop.orders.find((o) => o.customerId === f.alice.id)!;
      const question = `订单${order.id}到哪了`;
      let url = `${server.url}/v1/chat/completions`;
      let body: unknown = { stream: true, messages: [{ role: 'user', content: question }] };
      if (route === '/sessions') {
        const opened = await fetch(`${server.url}/sessions`, {
          method: 'POST',
          headers: f.auth(f.alice.token),
          body: '{}',
        });
        url = `${server.url}/sessions/${((await opened.json()) as { id: string }).id}/messages`;
        body = { text: question };
      }
      const client = new AbortController();
      const res = await fetch(url, {
        method: 'POST',
        headers: f.auth(f.alice.token),
        body: JSON.stringify(body),
        signal: client.signal,
      });
      expect(res.status).toBe(200);
      // Read in the background, as a browser would, until the client goes away.
      const reading = (async () => {
        const reader = res.body!.getReader();
        for (;;) if ((await reader.read()).done) return;
      })().catch(() => undefined);
      await untilTrue(() => model.tokens >= 3);
      expect(f.runtime.queue.running).toBe(1);
      client.abort();
      await reading;

      const reason = await Promise.race([
        model.aborted,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the abort never reached the model')), 3000),
        ),
      ]);
      expect(reason).toBeInstanceOf(AbortedError);
      const tokensAtAbort = model.tokens;
      await untilTrue(() => f.runtime.queue.running === 0 && f.runtime.inFlight.size === 0);
      await new Promise((r) => setTimeout(r, 50));
      expect(model.tokens).toBe(tokensAtAbort);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(gauge(metrics, 'kefu_generation_running')).toBe(0);
      expect(gauge(metrics, 'kefu_generation_queue_depth')).toBe(0);
      expect(gauge(metrics, 'kefu_in_flight_requests')).toBe(0);

      // The slot is free: with concurrency 1 and no waiting room, a next turn is admitted.
      const next = new AbortController();
      const again = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: f.auth(f.bob.token),
        body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: '你们的退货政策是什么' }] }),
        signal: next.signal,
      });
      expect(again.status).toBe(200);
      next.abort();
      await untilTrue(() => f.runtime.queue.running === 0);
    }, 10_000);
  }
});
