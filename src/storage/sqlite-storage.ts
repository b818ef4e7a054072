/**
 * The embedded store: SQLite through better-sqlite3 in WAL mode, with foreign keys on and
 * migrations applied at open. Implements the `Storage` contract; JSON columns are parsed here so
 * callers only see plain objects. One connection per process; transactions are serialised.
 */
import { RuntimeFailure } from '../core/errors.js';
import { migrate } from './migrations.js';
import type { DatasetRecord, Repositories, RunRecord, RunStatus, Storage } from './repositories.js';
import { openSqlite, serialTransactions } from './sqlite-open.js';

export interface SqliteStorageOptions {
  /** Milliseconds a writer waits on a lock. Defaults to 5000. */
  busyTimeoutMs?: number;
  /** Open without creating or migrating. Defaults to false. */
  readonly?: boolean;
}

interface DatasetRow {
  name: string;
  kind: DatasetRecord['kind'];
  format: string;
  path: string;
  records: number;
  sha256: string;
  created_at: string;
  meta: string;
}

interface RunRow {
  id: string;
  kind: string;
  status: RunStatus;
  config: string;
  summary: string;
  started_at: string;
  finished_at: string | null;
}

const toDataset = (row: DatasetRow): DatasetRecord => ({
  name: row.name,
  kind: row.kind,
  format: row.format,
  path: row.path,
  records: row.records,
  sha256: row.sha256,
  createdAt: row.created_at,
  meta: JSON.parse(row.meta),
});

const toRun = (row: RunRow): RunRecord => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  config: JSON.parse(row.config),
  summary: JSON.parse(row.summary),
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

export function openSqliteStorage(path: string, options: SqliteStorageOptions = {}): Storage {
  const db = openSqlite(path, options);
  try {
    if (!options.readonly) migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof RuntimeFailure) throw error;
    throw new RuntimeFailure(`cannot migrate database ${path}: ${(error as Error).message}`, {
      code: 'E_DB_OPEN',
      cause: error,
      hint: 'check the path and permissions, or run `kefu init`',
    });
  }

  const statements = {
    putDataset: db.prepare(
      `INSERT INTO datasets (name, kind, format, path, records, sha256, created_at, meta)
       VALUES (@name, @kind, @format, @path, @records, @sha256, @createdAt, @meta)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, format = excluded.format, path = excluded.path,
         records = excluded.records, sha256 = excluded.sha256, created_at = excluded.created_at, meta = excluded.meta`,
    ),
    getDataset: db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE name = ?'),
    listDatasets: db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY name'),
    removeDataset: db.prepare('DELETE FROM datasets WHERE name = ?'),
    startRun: db.prepare(
      `INSERT INTO runs (id, kind, status, config, started_at) VALUES (@id, @kind, 'running', @config, @startedAt)`,
    ),
    finishRun: db.prepare(
      `UPDATE runs SET status = @status, summary = @summary, finished_at = @finishedAt WHERE id = @id AND status = 'running'`,
    ),
    getRun: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    listRuns: db.prepare<[{ kind: string | null; limit: number }], RunRow>(
      'SELECT * FROM runs WHERE (@kind IS NULL OR kind = @kind) ORDER BY started_at DESC, rowid DESC LIMIT @limit',
    ),
  };

  const repositories: Repositories = {
    datasets: {
      async put(dataset) {
        statements.putDataset.run({ ...dataset, meta: JSON.stringify(dataset.meta) });
      },
      async get(name) {
        const row = statements.getDataset.get(name);
        return row && toDataset(row);
      },
      async list() {
        return statements.listDatasets.all().map(toDataset);
      },
      async remove(name) {
        return statements.removeDataset.run(name).changes > 0;
      },
    },
    runs: {
      async start(run) {
        statements.startRun.run({
          ...run,
          config: JSON.stringify(run.config),
          startedAt: new Date().toISOString(),
        });
        return toRun(statements.getRun.get(run.id)!);
      },
      async finish(id, status, summary) {
        const result = statements.finishRun.run({
          id,
          status,
          summary: JSON.stringify(summary),
          finishedAt: new Date().toISOString(),
        });
        if (result.changes === 0) {
          throw new RuntimeFailure(`run ${id} is not running`, { code: 'E_RUN_STATE' });
        }
        return toRun(statements.getRun.get(id)!);
      },
      async get(id) {
        const row = statements.getRun.get(id);
        return row && toRun(row);
      },
      async list(options = {}) {
        return statements.listRuns
          .all({ kind: options.kind ?? null, limit: options.limit ?? 100 })
          .map(toRun);
      },
    },
  };

  const inTransaction = serialTransactions(db);
  return {
    ...repositories,
    transaction: <T>(work: (tx: Repositories) => Promise<T> | T): Promise<T> =>
      inTransaction(() => work(repositories)),
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    close: () => db.close(),
  };
}
