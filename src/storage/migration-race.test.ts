/**
 * Two processes opening a fresh database at once: while another connection holds the write lock
 * and applies a migration, `migrateArea` waits for it and then finds the migration applied,
 * instead of reading the old version first and applying the migration a second time.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Migration } from './migrations.js';
import { migrateArea, openSqlite } from './sqlite-open.js';

const MIGRATIONS: Migration[] = [
  { version: 1, name: 'create', sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY)' },
  { version: 2, name: 'add a column', sql: 'ALTER TABLE things ADD COLUMN source TEXT' },
];

/** The other process: takes the write lock, says so, holds it a while, applies version 2, commits. */
const OTHER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
const flag = new Int32Array(workerData.flag);
db.exec('BEGIN IMMEDIATE');
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
db.exec(workerData.sql);
db.prepare("UPDATE kefu_schema SET version = 2 WHERE area = 'things'").run();
db.exec('COMMIT');
db.close();
`;

describe('migrations under concurrency', () => {
  it('waits for a migration another connection is applying and does not apply it twice', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kefu-race-')), 'kefu.db');
    const first = openSqlite(file);
    migrateArea(first, 'things', MIGRATIONS.slice(0, 1)); // an older kefu made version 1
    first.close();
    const flag = new SharedArrayBuffer(4);
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const other = new Worker(OTHER, {
      eval: true,
      workerData: { file, flag, sqlite, sql: MIGRATIONS[1]!.sql },
    });
    const exited = new Promise((resolve, reject) => {
      other.on('exit', resolve);
      other.on('error', reject);
    });
    Atomics.wait(new Int32Array(flag), 0, 0, 5000);
    const db = openSqlite(file);
    try {
      expect(migrateArea(db, 'things', MIGRATIONS)).toEqual([]);
      const columns = db.prepare<[], { name: string }>('PRAGMA table_info(things)').all();
      expect(columns.map((c) => c.name)).toEqual(['id', 'source']);
    } finally {
      db.close();
      await exited;
    }
  });
});
