import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mintToken } from './auth/tokens.js';
import { InstantChatModel, StuckChatModel } from './test-helpers/models.js';
import {
  ADMIN_KEY,
  readSse,
  SECRET,
  type ServerFixture,
  serverFixture,
} from './test-helpers/server-fixture.js';

let f: ServerFixture;
const json = (body: unknown) => JSON.stringify(body);

async function openSession(token: string): Promise<string> {
  const res = await f.app.request('/sessions', { method: 'POST', headers: f.auth(token), body: '{}' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('the service over the real dialogue engine', () => {
  beforeEach(async () => {
    f = await serverFixture(new InstantChatModel());
  });
  afterEach(async () => {
    await f.close();
  });

  it('answers an OpenAI chat completion and continues the session by session_id', async () => {
    const order = f.shop.orders.find((o) => o.customerId === f.alice.id)!;
    const res = await f.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ model: 'x', messages: [{ role: 'user', content: `订单${order.id}到哪了` }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      object: string;
      choices: { message: { content: string } }[];
      kefu: { session_id: string; tool_calls: { name: string }[]; origin: string };
    };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]!.message.content.length).toBeGreaterThan(0);
    expect(body.kefu.tool_calls.length).toBeGreaterThan(0);
    expect(res.headers.get('x-kefu-session')).toBe(body.kefu.session_id);
    const again = await f.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { ...f.auth(f.alice.token), 'x-kefu-session': body.kefu.session_id },
      body: json({ messages: [{ role: 'user', content: '那它什么时候到' }] }),
    });
    expect(((await again.json()) as { kefu: { session_id: string } }).kefu.session_id).toBe(
      body.kefu.session_id,
    );
    const history = await f.app.request(`/sessions/${body.kefu.session_id}/messages`, {
      headers: f.auth(f.alice.token),
    });
    expect(((await history.json()) as { messages: unknown[] }).messages).toHaveLength(4);
  });

  it('streams a session message as SSE events ending with finish, and stores feedback', async () => {
    const id = await openSession(f.alice.token);
    const res = await f.app.request(`/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ text: '你们的退货政策是什么' }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    expect(events.some((e) => e.event === 'text-delta')).toBe(true);
    const finish = events.at(-1)!;
    expect(finish.event).toBe('finish');
    const reply = (finish.data as { reply: { messageId: string } }).reply;
    const fb = await f.app.request(`/sessions/${id}/feedback`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ messageId: reply.messageId, thumb: 'down', rating: 2 }),
    });
    expect(fb.status).toBe(201);
    await f.app.request(`/sessions/${id}/feedback`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ rating: 5 }),
    });
    const summary = await f.app.request('/admin/feedback/summary', { headers: f.auth(ADMIN_KEY) });
    expect(await summary.json()).toMatchObject({ answers: { down: 1 }, satisfaction: 1 });
  });

  it('keeps customers apart and customer tokens out of agent and admin routes', async () => {
    const id = await openSession(f.alice.token);
    for (const [method, path] of [
      ['GET', `/sessions/${id}`],
      ['GET', `/sessions/${id}/messages`],
      ['POST', `/sessions/${id}/messages`],
      ['POST', `/sessions/${id}/close`],
      ['GET', `/sessions/${id}/events`],
    ] as const) {
      const res = await f.app.request(path, {
        method,
        headers: f.auth(f.bob.token),
        ...(method === 'POST' ? { body: json({ text: '你好' }) } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const viaChat = await f.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: f.auth(f.bob.token),
      body: json({ session_id: id, messages: [{ role: 'user', content: '你好' }] }),
    });
    expect(viaChat.status).toBe(404);
    for (const path of ['/admin/tools', '/admin/models', '/agent/queue', '/admin/feedback']) {
      expect((await f.app.request(path, { headers: f.auth(f.alice.token) })).status, path).toBe(403);
    }
    expect((await f.app.request('/agent/queue', { headers: f.auth(f.agentToken) })).status).toBe(200);
    expect((await f.app.request('/admin/tools', { headers: f.auth(f.agentToken) })).status).toBe(403);
    expect((await f.app.request('/sessions', { method: 'POST' })).status).toBe(401);
    const forged = mintToken('not-the-secret-at-all', { sub: f.alice.id, kind: 'customer', ttlSeconds: 60 });
    expect((await f.app.request(`/sessions/${id}`, { headers: f.auth(forged) })).status).toBe(401);
    // An order of another customer is "not found" through the tools, never shown.
    const bobsOrder = f.shop.orders.find((o) => o.customerId === f.bob.id)!;
    const res = await f.app.request(`/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ text: `查一下订单${bobsOrder.id}`, stream: false }),
    });
    const reply = (await res.json()) as { reply: { toolCalls: { outcome: string }[] } };
    expect(reply.reply.toolCalls.every((c) => c.outcome !== 'ok')).toBe(true);
  });

  it('answers bad input with 400 naming the field, 413, 404 — never 500', async () => {
    const id = await openSession(f.alice.token);
    const bad = await f.app.request(`/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ text: 42 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('body.text');
    const notJson = await f.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: '{"messages": [',
    });
    expect(notJson.status).toBe(400);
    const noUser = await f.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ messages: [{ role: 'assistant', content: 'hi' }] }),
    });
    expect(((await noUser.json()) as { error: { field: string } }).error.field).toBe('body.messages.0.role');
    const huge = await f.app.request(`/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ text: 'x'.repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await f.app.request('/nope', { headers: f.auth(f.alice.token) })).status).toBe(404);
    const feedback = await f.app.request(`/sessions/${id}/feedback`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ rating: 9 }),
    });
    expect(feedback.status).toBe(400);
  });

  it('hands off to the agent desk: queue, claim, reply on the customer stream, hand back', async () => {
    const id = await openSession(f.alice.token);
    const turn = await f.app.request(`/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ text: '转人工', stream: false }),
    });
    expect(((await turn.json()) as { reply: { handoff: { reason: string } } }).reply.handoff.reason).toBe(
      'customer_asked',
    );
    const queue = (await (await f.app.request('/agent/queue', { headers: f.auth(f.agentToken) })).json()) as {
      waiting: { id: string }[];
    };
    expect(queue.waiting.map((s) => s.id)).toContain(id);
    const controller = new AbortController();
    const stream = f.app.request(`/sessions/${id}/events`, {
      headers: f.auth(f.alice.token),
      signal: controller.signal,
    });
    const claim = await f.app.request(`/agent/sessions/${id}/claim`, {
      method: 'POST',
      headers: f.auth(f.agentToken),
    });
    expect(((await claim.json()) as { status: string }).status).toBe('with_agent');
    const other = mintToken(SECRET, { sub: 'agent-9', kind: 'agent', ttlSeconds: 60 });
    const stolen = await f.app.request(`/agent/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(other),
      body: json({ text: '我来' }),
    });
    expect(stolen.status).toBe(409);
    await f.app.request(`/agent/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.agentToken),
      body: json({ text: '您好，我是人工客服小王' }),
    });
    const back = await f.app.request(`/agent/sessions/${id}/release`, {
      method: 'POST',
      headers: f.auth(f.agentToken),
    });
    expect(((await back.json()) as { status: string }).status).toBe('open');
    await f.app.request(`/sessions/${id}/close`, { method: 'POST', headers: f.auth(f.alice.token) });
    const events = await readSse(await stream);
    expect(events.map((e) => e.event)).toEqual(['status', 'status', 'message', 'status', 'status']);
    expect((events[2]!.data as { text: string; role: string }).role).toBe('agent');
    expect((events[2]!.data as { text: string }).text).toBe('您好，我是人工客服小王');
  });

  it('refuses a customer over the rate limit with 429 and Retry-After', async () => {
    await f.close();
    f = await serverFixture(new InstantChatModel(), { config: { rateLimit: { perMinute: 1, burst: 1 } } });
    const id = await openSession(f.alice.token);
    const send = () =>
      f.app.request(`/sessions/${id}/messages`, {
        method: 'POST',
        headers: f.auth(f.alice.token),
        body: json({ text: '你好', stream: false }),
      });
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const bobs = await openSession(f.bob.token);
    const ok = await f.app.request(`/sessions/${bobs}/messages`, {
      method: 'POST',
      headers: f.auth(f.bob.token),
      body: json({ text: '你好', stream: false }),
    });
    expect(ok.status).toBe(200);
  });

  it('turns a stuck model into an SSE error event and keeps the history', async () => {
    await f.close();
    const stuck = new StuckChatModel();
    f = await serverFixture(stuck, { config: { deadlines: { idleMs: 200, requestMs: 5000 } } });
    const id = await openSession(f.alice.token);
    // An order question is phrased by the model (a stated policy rule is answered from a template).
    const order = f.shop.orders.find((o) => o.customerId === f.alice.id)!;
    const res = await f.app.request(`/sessions/${id}/messages`, {
      method: 'POST',
      headers: f.auth(f.alice.token),
      body: json({ text: `订单${order.id}现在什么状态` }),
    });
    const events = await readSse(res);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'E_MODEL_STUCK' } });
    expect(stuck.calls).toBeGreaterThanOrEqual(1);
    const history = await f.app.request(`/sessions/${id}/messages`, { headers: f.auth(f.alice.token) });
    const messages = ((await history.json()) as { messages: { role: string; text: string }[] }).messages;
    expect(messages.map((m) => m.role)).toEqual(['customer']);
  });

  it('reports health, readiness, metrics, and documents every route', async () => {
    expect((await f.app.request('/healthz')).status).toBe(200);
    const ready = await f.app.request('/readyz');
    expect(ready.status).toBe(200);
    await f.app.request('/nope');
    const metrics = await (await f.app.request('/metrics')).text();
    expect(metrics).toContain('kefu_http_request_duration_seconds_bucket');
    expect(metrics).toContain('kefu_generation_queue_depth 0');
    expect(metrics).toContain('kefu_errors_total{code="E_NO_ROUTE"}');
    const spec = (await (await f.app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(spec.openapi).toBe('3.1.0');
    const routes = f.app.routes.filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'));
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
      expect(spec.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined();
    }
    expect(await (await f.app.request('/docs')).text()).toContain('/v1/chat/completions');
  });

  it('switches the active model without dropping an open session, and drains on shutdown', async () => {
    await f.close();
    f = await serverFixture(new InstantChatModel('first'), {
      deps: { admin: { root: '.', loadModel: async () => new InstantChatModel('second', '换了模型') } },
    });
    const id = await openSession(f.alice.token);
    const ask = () =>
      f.app.request('/v1/chat/completions', {
        method: 'POST',
        headers: f.auth(f.alice.token),
        body: json({ session_id: id, messages: [{ role: 'user', content: '你们的退货政策是什么' }] }),
      });
    expect(((await (await ask()).json()) as { model: string }).model).toBe('first');
    const switched = await f.app.request('/admin/models/active', {
      method: 'POST',
      headers: f.auth(ADMIN_KEY),
      body: json({ model: 'models/other' }),
    });
    expect(await switched.json()).toEqual({ active: 'second', previous: 'first' });
    const after = (await (await ask()).json()) as { model: string; kefu: { session_id: string } };
    expect(after.model).toBe('second');
    expect(after.kefu.session_id).toBe(id);
    const { drained } = await f.shutdown();
    expect(drained).toBe(true);
    expect((await f.app.request('/readyz')).status).toBe(503);
    expect((await ask()).status).toBe(503);
  });
});
