import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSessionStore } from '../../assistant/sessions/sqlite-session-store.js';
import { mintToken, verifyToken } from '../auth/tokens.js';
import { openApiDocument } from '../openapi.js';
import { InstantChatModel } from '../test-helpers/models.js';
import { ADMIN_KEY, SECRET, type ServerFixture, serverFixture } from '../test-helpers/server-fixture.js';
import { type ConversationStats, conversationStats } from './conversation-stats.js';

let f: ServerFixture;
const json = (body: unknown) => JSON.stringify(body);

beforeEach(async () => {
  f = await serverFixture(new InstantChatModel());
});
afterEach(async () => {
  await f.close();
});

async function post(path: string, token: string, body: unknown) {
  const res = await f.app.request(path, { method: 'POST', headers: f.auth(token), body: json(body) });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

async function stats(query = ''): Promise<ConversationStats> {
  const res = await f.app.request(`/admin/stats${query}`, { headers: f.auth(ADMIN_KEY) });
  expect(res.status).toBe(200);
  return (await res.json()) as ConversationStats;
}

describe('replacement rate and satisfaction from real conversations', () => {
  it('counts sessions through the server by outcome and feedback, leaving the eval simulator out', async () => {
    expect(await stats()).toMatchObject({ conversations: 0, replacementRate: null, satisfaction: null });

    // Alice (sessions API): an order question answered by the bot, closed; thumbs up and 5 stars.
    const order = f.shop.orders.find((o) => o.customerId === f.alice.id)!;
    const { id: resolved } = await post('/sessions', f.alice.token, { channel: 'web' });
    const turn = await post(`/sessions/${resolved}/messages`, f.alice.token, {
      text: `订单${order.id}到哪了`,
      stream: false,
    });
    const answer = (turn.reply as { messageId: string }).messageId;
    await post(`/sessions/${resolved}/close`, f.alice.token, {});
    await post(`/sessions/${resolved}/feedback`, f.alice.token, { messageId: answer, thumb: 'up' });
    await post(`/sessions/${resolved}/feedback`, f.alice.token, { rating: 5 });

    // Bob (OpenAI API): asks for a human; an agent claims it and replies; 2 stars.
    const completion = await post('/v1/chat/completions', f.bob.token, {
      messages: [{ role: 'user', content: '转人工' }],
    });
    const handed = (completion.kefu as { session_id: string }).session_id;
    await post(`/agent/sessions/${handed}/claim`, f.agentToken, {});
    await post(`/agent/sessions/${handed}/messages`, f.agentToken, { text: '您好，我是客服小王' });
    await post(`/sessions/${handed}/feedback`, f.bob.token, { rating: 2 });

    // A session opened and left without a word is not a conversation.
    await post('/sessions', f.bob.token, {});

    // The eval simulator's traffic (its token says so): a resolved conversation and a thumbs up.
    const simulator = mintToken(SECRET, {
      sub: f.alice.id,
      kind: 'customer',
      ttlSeconds: 600,
      source: 'eval-simulator',
    });
    const { id: simulated } = await post('/sessions', simulator, {});
    const simulatedTurn = await post(`/sessions/${simulated}/messages`, simulator, {
      text: `订单${order.id}到哪了`,
      stream: false,
    });
    await post(`/sessions/${simulated}/close`, simulator, {});
    await post(`/sessions/${simulated}/feedback`, simulator, {
      messageId: (simulatedTurn.reply as { messageId: string }).messageId,
      thumb: 'up',
    });

    const figures = await stats();
    expect(figures).toMatchObject({
      conversations: 2,
      bySource: { api: 2 },
      inProgress: 0,
      outcomes: { resolved: 1, abandoned: 0, handed_off: 1 },
      handoffReasons: { customer_asked: 1 },
      agentReplied: 1,
      replacementRate: 0.5,
      feedback: { total: 3, positive: 2, answers: 1, conversations: 2 },
      excluded: { synthetic: 1, empty: 1 },
    });
    expect(figures.satisfaction).toBeCloseTo(2 / 3);
    const records = await f.shop.sessions.list({ limit: 10 });
    expect(records.length).toBe(4);

    // The same figures from the stores directly (what `kefu eval` prints), and an empty window.
    const direct = await conversationStats(openSessionStore(f.shop.db), f.runtime.deps.feedback);
    expect(direct.replacementRate).toBe(0.5);
    const later = await stats(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(later).toMatchObject({ conversations: 0, feedback: { total: 0 } });
  });

  it('is for admins only, validates its query and is in the OpenAPI document', async () => {
    expect((await f.app.request('/admin/stats', { headers: f.auth(f.alice.token) })).status).toBe(403);
    const bad = await f.app.request('/admin/stats?idleMinutes=0', { headers: f.auth(ADMIN_KEY) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('query.idleMinutes');
    const doc = openApiDocument() as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    expect(doc.paths['/admin/stats']!.get.parameters.map((p) => p.name)).toEqual(['since', 'idleMinutes']);
  });

  it('labels the console and refuses a token with an unknown source', async () => {
    const { id } = await post('/sessions', f.alice.token, { channel: 'console' });
    await post(`/sessions/${id}/messages`, f.alice.token, { text: '你好', stream: false });
    expect((await stats()).bySource).toEqual({ console: 1 });
    // Signed with the right secret but naming a source kefu does not know.
    const exp = Math.floor(Date.now() / 1000) + 60;
    const payload = `kefu1.${Buffer.from(json({ sub: 'C1', kind: 'customer', exp, iat: exp - 60, src: 'robot' })).toString('base64url')}`;
    const token = `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    expect(() => verifyToken(SECRET, token)).toThrow(/unknown traffic source/);
    expect(
      (await f.app.request('/sessions', { method: 'POST', headers: f.auth(token), body: '{}' })).status,
    ).toBe(401);
  });
});
