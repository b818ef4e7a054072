/**
 * Opening a SQLite database the way every kefu store wants it (WAL, busy timeout, foreign keys),
 * and per-area schema migrations: each area (shop, knowledge, sessions, server …) owns its list
 * of migrations and records its version in the `kefu_schema` table, so areas evolve apart inside
 * one workspace database. The core tables keep `PRAGMA user_version` (see ./migrations.ts).
 * Does not: define any area's tables.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RuntimeFailure } from '../core/errors.js';
import { applyMigrations, type Migration } from './migrations.js';

export interface OpenSqliteOptions {
  /** How long a writer waits for a lock, in milliseconds. Defaults to 5000. */
  busyTimeoutMs?: number;
  /** Open read-only; the file must exist. Defaults to false. */
  readonly?: boolean;
}

/** A better-sqlite3 connection with kefu's pragmas. `path` may be ':memory:'. */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): Database.Database {
  try {
    if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    throw new RuntimeFailure(`cannot open database ${path}: ${(error as Error).message}`, {
      code: 'E_DB_OPEN',
      cause: error,
      hint: 'check the path and permissions, or run `kefu init`',
    });
  }
}

/**
 * Bring `area`'s tables up to its newest migration; each migration runs in its own transaction.
 * Returns the versions applied. A database whose `area` is newer than this code is refused.
 */
export function migrateArea(db: Database.Database, area: string, list: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS kefu_schema (
    area TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at TEXT NOT NULL) STRICT`);
  const version = db.prepare<[string], { version: number }>('SELECT version FROM kefu_schema WHERE area = ?');
  const setVersion = db.prepare(
    `INSERT INTO kefu_schema (area, version, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (area) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
  );
  return applyMigrations(db, list, {
    read: () => version.get(area)?.version ?? 0,
    write: (v) => setVersion.run(area, v, new Date().toISOString()),
    newer: (current, newest) =>
      `the ${area} tables are at schema version ${current}, newer than this kefu (${newest})`,
  });
}

/**
 * One write at a time on `db`: each `work` runs in its own BEGIN IMMEDIATE … COMMIT after the
 * previous one settled, and a throw rolls it back (so a failed write changes nothing). Async work
 * is allowed because the queue, not SQLite, keeps other writes out while it awaits.
 */
export function serialTransactions(db: Database.Database): <T>(work: () => Promise<T> | T) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
}
