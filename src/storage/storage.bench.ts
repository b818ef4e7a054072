/**
 * Benchmark: the storage repository against raw better-sqlite3 doing the same inserts and point
 * queries on the same kind of file, in the same run. The ratio is the cost of kefu's layer
 * (async interface, JSON columns, upsert).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Benchmark, timeMs } from '../bench/benchmark.js';
import type { DatasetRecord } from './repositories.js';
import { openSqliteStorage } from './sqlite-storage.js';

const record = (i: number): DatasetRecord => ({
  name: `dataset-${i}`,
  kind: 'sft',
  format: 'alpaca',
  path: `datasets/d${i}.json`,
  records: i,
  sha256: 'ab'.repeat(32),
  createdAt: '2026-11-25T00:00:00.000Z',
  meta: { run: `r${i}`, seed: 42 },
});

export const storageBenchmark: Benchmark = {
  id: 'storage.sqlite',
  title: 'SQLite repository vs raw better-sqlite3 (WAL, one transaction, same schema)',
  async run({ scratchDir, quick }) {
    const n = quick ? 5_000 : 50_000;
    const storage = openSqliteStorage(join(scratchDir, 'kefu.db'));
    const kefuInsert = await timeMs(() =>
      storage.transaction(async (tx) => {
        for (let i = 0; i < n; i++) await tx.datasets.put(record(i));
      }),
    );
    const kefuQuery = await timeMs(async () => {
      for (let i = 0; i < n; i++) await storage.datasets.get(`dataset-${(i * 7919) % n}`);
    });
    storage.close();

    // The reference: same schema (created by the same migration), plain prepared statements.
    openSqliteStorage(join(scratchDir, 'raw.db')).close();
    const raw = new Database(join(scratchDir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const insert = raw.prepare(
      'INSERT INTO datasets (name, kind, format, path, records, sha256, created_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const select = raw.prepare('SELECT * FROM datasets WHERE name = ?');
    const rawInsert = await timeMs(() =>
      raw.transaction(() => {
        for (let i = 0; i < n; i++) {
          const r = record(i);
          insert.run(
            r.name,
            r.kind,
            r.format,
            r.path,
            r.records,
            r.sha256,
            r.createdAt,
            JSON.stringify(r.meta),
          );
        }
      })(),
    );
    const rawQuery = await timeMs(() => {
      for (let i = 0; i < n; i++) select.get(`dataset-${(i * 7919) % n}`);
    });
    raw.close();
    const perSecond = (ms: number) => Math.round((n / ms) * 1000);
    return [
      {
        name: 'insert rows (one transaction)',
        value: perSecond(kefuInsert),
        unit: 'rows/s',
        higherIsBetter: true,
        reference: { name: 'raw better-sqlite3', value: perSecond(rawInsert) },
        notes: `${n} rows`,
      },
      {
        name: 'point query by key',
        value: perSecond(kefuQuery),
        unit: 'queries/s',
        higherIsBetter: true,
        reference: { name: 'raw better-sqlite3', value: perSecond(rawQuery) },
        notes: `${n} lookups`,
      },
    ];
  },
};
