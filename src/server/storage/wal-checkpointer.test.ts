import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../storage/sqlite-open.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WAL checkpoints in a worker', () => {
  it('keeps the log bounded while the connection never checkpoints itself, and restores it at stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-wal-'));
    dirs.push(dir);
    const path = join(dir, 'kefu.db');
    const db = openSqlite(path);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const checkpointer = startWalCheckpointer(path, [db], { intervalMs: 10 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const body = 'x'.repeat(3000);
    const walBytes = () => statSync(`${path}-wal`).size;
    let largest = 0;
    // ~2,400 pages written in small commits; after each batch, wait until the worker has begun and
    // finished a round after it (not a fixed pause, which a loaded machine can outrun).
    for (let round = 0; round < 40; round++) {
      const seen = checkpointer.rounds;
      for (let i = 0; i < 60; i++) insert.run(body);
      largest = Math.max(largest, walBytes());
      for (const until = Date.now() + 5000; checkpointer.rounds < seen + 2 && Date.now() < until; )
        await sleep(5);
    }
    expect(checkpointer.rounds).toBeGreaterThan(5);
    // Without checkpoints the log would hold every page (~10 MB); restarted, it stays near one round.
    expect(largest).toBeLessThan(3_000_000);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2400 });
    db.close();
    const again = openSqlite(path);
    expect(again.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2400 });
    again.close();
  });

  it('settles stop() in a process with nothing else to do (the worker holds it until it has ended)', () => {
    // Its own process: under vitest something else always keeps the event loop alive.
    const script = join('src', 'server', 'storage', 'test-helpers', 'stop-then-exit.ts');
    const run = spawnSync(join('node_modules', '.bin', 'vite-node'), [script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('stopped\n');
  });

  it('does nothing for an in-memory database', async () => {
    const db = openSqlite(':memory:');
    const checkpointer = startWalCheckpointer(':memory:', [db]);
    await checkpointer.stop();
    expect(checkpointer.rounds).toBe(0);
    db.close();
  });
});
