import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../core/errors.js';
import { openSqlite } from '../../storage/sqlite-open.js';
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
});
