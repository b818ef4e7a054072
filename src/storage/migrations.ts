/**
 * Versioned schema migrations for the SQLite store. The database's `PRAGMA user_version` records
 * the last applied migration; each migration runs in its own transaction, so a failure leaves the
 * database at the previous version. A database newer than this code is refused, never downgraded.
 * Append migrations; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';
import { RuntimeFailure } from '../core/errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'datasets and runs',
    sql: `
      CREATE TABLE datasets (
        name       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('sft', 'preference', 'mixed')),
        format     TEXT NOT NULL,
        path       TEXT NOT NULL,
        records    INTEGER NOT NULL CHECK (records >= 0),
        sha256     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        meta       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta))
      ) STRICT;
      CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'aborted')),
        config      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
        summary     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary)),
        started_at  TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX runs_by_kind ON runs (kind, started_at DESC);
    `,
  },
];

/** Bring `db` up to the newest migration (recorded in `PRAGMA user_version`). Returns the versions applied. */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number[] {
  return applyMigrations(db, list, {
    read: () => db.pragma('user_version', { simple: true }) as number,
    write: (v) => db.pragma(`user_version = ${v}`),
    newer: (current, newest) => `database schema version ${current} is newer than this kefu (${newest})`,
  });
}

/**
 * The migrations newer than the recorded version, each in its own transaction, the version read
 * under the write lock (BEGIN IMMEDIATE) so two processes opening a fresh database at once do not
 * both apply the same migration: the second waits (busy timeout), then sees it applied. A migration
 * that fails rolls back alone, leaving the previous version.
 */
export function applyMigrations(
  db: Database.Database,
  list: readonly Migration[],
  version: { read(): number; write(v: number): void; newer(current: number, newest: number): string },
): number[] {
  const newest = list.at(-1)?.version ?? 0;
  const applied: number[] = [];
  const step = db.transaction((): boolean => {
    const current = version.read();
    if (current > newest) {
      throw new RuntimeFailure(version.newer(current, newest), {
        code: 'E_DB_VERSION',
        hint: 'upgrade kefu, or point --workspace at another workspace',
      });
    }
    const next = list.find((m) => m.version > current);
    if (!next) return false;
    db.exec(next.sql);
    version.write(next.version);
    applied.push(next.version);
    return true;
  });
  while (step.immediate()) {}
  return applied;
}
