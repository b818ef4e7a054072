import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RuntimeFailure } from '../core/errors.js';
import { migrate, migrations } from './migrations.js';
import type { DatasetRecord } from './repositories.js';
import { openSqliteStorage } from './sqlite-storage.js';

const dataset = (name: string, records = 10): DatasetRecord => ({
  name,
  kind: 'sft',
  format: 'alpaca',
  path: `datasets/${name}.json`,
  records,
  sha256: 'ab'.repeat(32),
  createdAt: '2026-11-25T00:00:00.000Z',
  meta: { from: 'test' },
});

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'kefu-db-')), 'kefu.db');

describe('SQLite storage', () => {
  it('opens in WAL mode at the newest schema version', () => {
    const path = tempDb();
    const storage = openSqliteStorage(path);
    expect(storage.schemaVersion()).toBe(migrations.at(-1)!.version);
    storage.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('stores, replaces, lists and removes datasets', async () => {
    const storage = openSqliteStorage(tempDb());
    await storage.datasets.put(dataset('b'));
    await storage.datasets.put(dataset('a'));
    await storage.datasets.put(dataset('a', 99));
    expect((await storage.datasets.list()).map((d) => [d.name, d.records])).toEqual([
      ['a', 99],
      ['b', 10],
    ]);
    expect((await storage.datasets.get('a'))?.meta).toEqual({ from: 'test' });
    expect(await storage.datasets.remove('a')).toBe(true);
    expect(await storage.datasets.remove('a')).toBe(false);
    expect(await storage.datasets.get('a')).toBeUndefined();
    storage.close();
  });

  it('tracks runs and refuses to finish one twice', async () => {
    const storage = openSqliteStorage(tempDb());
    const run = await storage.runs.start({ id: 'r1', kind: 'data.clean', config: { seed: 1 } });
    expect(run.status).toBe('running');
    const done = await storage.runs.finish('r1', 'succeeded', { kept: 5 });
    expect(done).toMatchObject({ status: 'succeeded', summary: { kept: 5 }, config: { seed: 1 } });
    expect(done.finishedAt).not.toBeNull();
    await expect(storage.runs.finish('r1', 'failed', {})).rejects.toBeInstanceOf(RuntimeFailure);
    await storage.runs.start({ id: 'r2', kind: 'train.sft', config: {} });
    expect((await storage.runs.list({ kind: 'data.clean' })).map((r) => r.id)).toEqual(['r1']);
    expect((await storage.runs.list()).length).toBe(2);
    storage.close();
  });

  it('commits a transaction together and rolls it back together', async () => {
    const storage = openSqliteStorage(tempDb());
    await storage.transaction(async (tx) => {
      await tx.runs.start({ id: 'ok', kind: 'data.clean', config: {} });
      await tx.datasets.put(dataset('kept'));
    });
    await expect(
      storage.transaction(async (tx) => {
        await tx.datasets.put(dataset('lost'));
        await tx.runs.start({ id: 'ok', kind: 'duplicate id', config: {} });
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect((await storage.datasets.list()).map((d) => d.name)).toEqual(['kept']);
    storage.close();
  });

  it('refuses a database from a newer kefu', () => {
    const path = tempDb();
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openSqliteStorage(path)).toThrow(/newer than this kefu/);
  });

  it('leaves the database at the previous version when a migration fails', () => {
    const raw = new Database(':memory:');
    const broken = [
      ...migrations,
      { version: 2, name: 'broken', sql: 'CREATE TABLE x (a); SELECT nope FROM nowhere;' },
    ];
    expect(() => migrate(raw, broken)).toThrow();
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'x'").get()).toEqual({ n: 0 });
  });
});
