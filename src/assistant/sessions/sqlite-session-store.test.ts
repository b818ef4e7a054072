import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../core/errors.js';
import { migrateArea, openSqlite } from '../../storage/sqlite-open.js';
import { SESSION_MIGRATIONS } from './migrations.js';
import { conversationOutcome } from './session-records.js';
import { openSessionStore } from './sqlite-session-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite session store', () => {
  it('keeps sessions, state and messages across reopening the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-sessions-'));
    dirs.push(dir);
    const path = join(dir, 'kefu.db');
    const store = openSessionStore(path);
    const session = await store.create('C100001', { channel: 'web' });
    expect(session).toMatchObject({
      customerId: 'C100001',
      status: 'open',
      state: { orderHistory: [], failures: 0 },
    });
    const first = await store.append({
      sessionId: session.id,
      role: 'customer',
      text: '订单到哪了',
      meta: {},
    });
    await store.append({
      sessionId: session.id,
      role: 'assistant',
      text: '请提供订单号',
      meta: { origin: 'template' },
    });
    await store.update(session.id, {
      status: 'handed_off',
      state: { orderHistory: ['DD20240315000123'], orderId: 'DD20240315000123', failures: 0 },
    });
    store.close();

    const again = openSessionStore(path);
    const loaded = await again.get(session.id);
    expect(loaded).toMatchObject({ status: 'handed_off', state: { orderId: 'DD20240315000123' } });
    const messages = await again.messages(session.id);
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', '订单到哪了'],
      ['assistant', '请提供订单号'],
    ]);
    expect(messages[1]!.meta).toEqual({ origin: 'template' });
    expect((await again.messages(session.id, { afterId: first.id })).map((m) => m.text)).toEqual([
      '请提供订单号',
    ]);
    again.close();
  });

  it('lists newest first with filters, sets and clears the agent, and refuses unknown sessions', async () => {
    const db = openSqlite(':memory:');
    const store = openSessionStore(db);
    const a = await store.create('C1');
    const b = await store.create('C2');
    await store.update(a.id, { status: 'with_agent', agentId: 'agent-7' });
    expect((await store.list({ status: 'with_agent' })).map((s) => [s.id, s.agentId])).toEqual([
      [a.id, 'agent-7'],
    ]);
    expect((await store.list({ customerId: 'C2' })).map((s) => s.id)).toEqual([b.id]);
    expect((await store.list()).map((s) => s.id)).toEqual([a.id, b.id]);
    const released = await store.update(a.id, { status: 'open', agentId: null });
    expect(released.agentId).toBeUndefined();
    await expect(store.update('s_missing', { status: 'closed' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      store.append({ sessionId: 's_missing', role: 'customer', text: 'x', meta: {} }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.get('s_missing')).toBeUndefined();
    db.close();
  });

  it('records source, turns, handoff and its reason, agent replies and the outcome at close', async () => {
    const db = openSqlite(':memory:');
    const store = openSessionStore(db);
    const say = (id: string, role: 'customer' | 'assistant' | 'agent', text: string) =>
      store.append({ sessionId: id, role, text, meta: {} });

    const resolved = await store.create('C1', { channel: 'web' });
    await say(resolved.id, 'customer', '订单到哪了');
    await say(resolved.id, 'assistant', '已发货');
    await store.update(resolved.id, { status: 'closed' });

    const abandoned = await store.create('C1', { source: 'console' });
    await say(abandoned.id, 'customer', '在吗');
    await store.update(abandoned.id, { status: 'closed' });

    const human = await store.create('C2', { channel: 'eval' });
    await say(human.id, 'customer', '转人工');
    await store.update(human.id, {
      status: 'handed_off',
      state: { orderHistory: [], failures: 0, handedOff: { reason: 'customer_asked', summary: '要人工' } },
    });
    await store.update(human.id, { status: 'with_agent', agentId: 'agent-1' });
    await say(human.id, 'agent', '您好，我是客服小王');
    await store.update(human.id, { status: 'closed' });

    const empty = await store.create('C3');
    const byId = new Map((await store.records()).map((r) => [r.id, r]));
    expect(byId.get(resolved.id)).toMatchObject({
      source: 'api',
      channel: 'web',
      customerTurns: 1,
      agentReplies: 0,
      lastRole: 'assistant',
      outcome: 'resolved',
    });
    expect(byId.get(resolved.id)!.closedAt).toBeDefined();
    expect(byId.get(abandoned.id)).toMatchObject({
      source: 'console',
      lastRole: 'customer',
      outcome: 'abandoned',
    });
    expect(byId.get(human.id)).toMatchObject({
      source: 'eval-simulator',
      handoffReason: 'customer_asked',
      agentReplies: 1,
      outcome: 'handed_off',
    });
    expect(byId.get(empty.id)).toMatchObject({ customerTurns: 0 });
    expect(byId.get(empty.id)!.outcome).toBeUndefined();
    expect((await store.records({ sources: ['console'] })).map((r) => r.id)).toEqual([abandoned.id]);

    // Open sessions: still going while active, judged by the last speaker once idle.
    const open = await store.create('C4');
    await say(open.id, 'customer', '你好');
    await say(open.id, 'assistant', '您好');
    const record = (await store.records({ sources: ['api'] })).find((r) => r.id === open.id)!;
    const updated = Date.parse(record.updatedAt);
    expect(conversationOutcome(record, { now: updated + 1000, idleMs: 60_000 })).toBeUndefined();
    expect(conversationOutcome(record, { now: updated + 60_000, idleMs: 60_000 })).toBe('resolved');
    db.close();
  });

  it('writes a turn in one transaction: all of it or nothing', async () => {
    const db = openSqlite(':memory:');
    const store = openSessionStore(db);
    const session = await store.create('C1');
    const state = { orderHistory: ['DD1'], orderId: 'DD1', failures: 0 };
    const { session: after, messages } = await store.finishTurn(session.id, {
      messages: [
        { role: 'customer', text: '查订单DD1', meta: {} },
        { role: 'assistant', text: '已发货', meta: { origin: 'template' } },
      ],
      state,
    });
    expect(after).toMatchObject({ status: 'open', state });
    expect(messages.map((m) => [m.sessionId, m.role])).toEqual([
      [session.id, 'customer'],
      [session.id, 'assistant'],
    ]);
    expect((await store.messages(session.id)).map((m) => m.id)).toEqual(messages.map((m) => m.id));

    // A message the schema refuses (unknown role) rolls back the messages before it and the state.
    await expect(
      store.finishTurn(session.id, {
        messages: [
          { role: 'customer', text: '再问一次', meta: {} },
          { role: 'robot' as 'assistant', text: 'x', meta: {} },
        ],
        state: { orderHistory: [], failures: 3 },
        status: 'handed_off',
      }),
    ).rejects.toThrow();
    expect((await store.messages(session.id)).length).toBe(2);
    expect(await store.get(session.id)).toMatchObject({ status: 'open', state });
    expect((await store.records())[0]).toMatchObject({ customerTurns: 1, lastRole: 'assistant' });
    await expect(store.finishTurn('s_missing', { messages: [], status: 'closed' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    db.close();
  });

  it('fills the new columns from the messages and state of sessions stored before them', async () => {
    const db = openSqlite(':memory:');
    migrateArea(db, 'sessions', SESSION_MIGRATIONS.slice(0, 1));
    const insert = db.prepare(
      `INSERT INTO sessions (id, customer_id, status, channel, created_at, updated_at, state)
       VALUES (?, ?, ?, ?, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', ?)`,
    );
    const message = db.prepare(
      `INSERT INTO session_messages (id, session_id, role, text, created_at) VALUES (?, ?, ?, 'x', '2024-01-01')`,
    );
    insert.run('s_a', 'C1', 'closed', 'web', '{"orderHistory":[],"failures":0}');
    message.run('m1', 's_a', 'customer');
    message.run('m2', 's_a', 'assistant');
    insert.run('s_b', 'C1', 'handed_off', 'eval', '{"handedOff":{"reason":"repeated_failure","summary":""}}');
    message.run('m3', 's_b', 'customer');

    const store = openSessionStore(db);
    const byId = new Map((await store.records()).map((r) => [r.id, r]));
    expect(byId.get('s_a')).toMatchObject({ source: 'api', customerTurns: 1, outcome: 'resolved' });
    expect(byId.get('s_b')).toMatchObject({
      source: 'eval-simulator',
      handoffReason: 'repeated_failure',
      handedOffAt: '2024-01-01T00:00:00.000Z',
      lastRole: 'customer',
    });
    db.close();
  });
});
