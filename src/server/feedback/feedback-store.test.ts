import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateArea } from '../../storage/sqlite-open.js';
import { FeedbackStore, SERVER_MIGRATIONS } from './feedback-store.js';

const rate = (store: FeedbackStore, sessionId: string, answer: string, thumb: 'up' | 'down') =>
  store.record({
    sessionId,
    customerId: 'C1',
    messageId: `m-${sessionId}`,
    thumb,
    prompt: '订单 到哪了',
    answer,
  });

describe('the feedback store', () => {
  it('upgrades a version-1 database in place, keeping its feedback', async () => {
    const db = new Database(':memory:');
    migrateArea(db, 'server', SERVER_MIGRATIONS.slice(0, 1));
    const old = new FeedbackStore(db);
    expect((await old.list()).length).toBe(0);
    db.prepare(
      `INSERT INTO server_feedback (id, session_id, customer_id, thumb, created_at) VALUES ('f1', 's1', 'C1', 'up', '2026-01-01')`,
    ).run();
    const store = new FeedbackStore(db);
    expect((await store.list()).map((f) => f.id)).toEqual(['f1']);
    expect(
      db.prepare<[], { version: number }>("SELECT version FROM kefu_schema WHERE area = 'server'").get()
        ?.version,
    ).toBe(2);
    expect(await store.labels()).toEqual([]);
  });

  it('exports feedback pairs and labels together, a pair in both once', async () => {
    const store = new FeedbackStore(new Database(':memory:'));
    await rate(store, 's1', '明天送达', 'up');
    await rate(store, 's2', '不知道', 'down');
    const derived = { prompt: '订单 到哪了', chosen: '明天送达', rejected: '不知道' };
    expect(await store.preferencePairs()).toEqual([derived]);
    await store.addLabel({
      prompt: '订单  到哪了',
      chosen: '明天送达',
      rejected: '不知道',
      labeller: 'admin:x',
    });
    const label = await store.addLabel({
      prompt: '能退货吗',
      chosen: '可以',
      rejected: '不行',
      labeller: 'admin:x',
    });
    expect(label.id).toMatch(/^l_/);
    expect(await store.preferencePairs()).toEqual([
      derived,
      { prompt: '能退货吗', chosen: '可以', rejected: '不行' },
    ]);
    expect(await store.preferencePairs('feedback')).toEqual([derived]);
    expect((await store.preferencePairs('labels')).map((p) => p.prompt)).toEqual([
      '订单  到哪了',
      '能退货吗',
    ]);
    await store.deleteLabel(label.id);
    expect(await store.preferencePairs('labels')).toHaveLength(1);
    await expect(store.deleteLabel(label.id)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('refuses a label whose chosen and rejected answers are the same', async () => {
    const store = new FeedbackStore(new Database(':memory:'));
    await expect(
      store.addLabel({ prompt: 'q', chosen: '一样', rejected: ' 一样 ', labeller: 'admin:x' }),
    ).rejects.toMatchObject({ details: { field: 'rejected' } });
    await expect(
      store.addLabel({ prompt: ' ', chosen: 'a', rejected: 'b', labeller: 'x' }),
    ).rejects.toMatchObject({
      details: { field: 'prompt' },
    });
    expect(await store.labels()).toEqual([]);
  });
});
