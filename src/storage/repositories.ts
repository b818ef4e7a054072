/**
 * The storage contract: repositories for what kefu records about its own work (registered
 * datasets, runs of long jobs), plus a transaction boundary. Methods are async so a PostgreSQL
 * implementation can satisfy the same interface; the embedded SQLite one lives in sqlite-storage.ts.
 * Business data (orders, sessions, feedback) joins this contract in later areas.
 */

export type DatasetKind = 'sft' | 'preference' | 'mixed';

export interface DatasetRecord {
  /** Unique name within the workspace, e.g. "sft.clean". */
  name: string;
  kind: DatasetKind;
  /** File format on disk (alpaca, sharegpt, preference …). */
  format: string;
  /** Path relative to the workspace, or absolute. */
  path: string;
  records: number;
  /** sha256 of the file bytes, so a checkpoint can refuse data that changed. */
  sha256: string;
  createdAt: string;
  /** Where it came from: the command and run that produced it. */
  meta: Record<string, unknown>;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface RunRecord {
  id: string;
  /** What ran: "data.clean", "train.sft", "eval" … */
  kind: string;
  status: RunStatus;
  /** The resolved configuration the run used. */
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
}

export interface DatasetRepository {
  /** Insert or replace by name. */
  put(dataset: DatasetRecord): Promise<void>;
  get(name: string): Promise<DatasetRecord | undefined>;
  list(): Promise<DatasetRecord[]>;
  remove(name: string): Promise<boolean>;
}

export interface RunRepository {
  start(run: Pick<RunRecord, 'id' | 'kind' | 'config'>): Promise<RunRecord>;
  finish(
    id: string,
    status: Exclude<RunStatus, 'running'>,
    summary: Record<string, unknown>,
  ): Promise<RunRecord>;
  get(id: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  list(options?: { kind?: string; limit?: number }): Promise<RunRecord[]>;
}

export interface Repositories {
  datasets: DatasetRepository;
  runs: RunRepository;
}

export interface Storage extends Repositories {
  /**
   * Run `work` atomically: everything it writes through `tx` commits together or not at all.
   * Transactions are serialised; do not call storage methods outside `tx` from inside `work`.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T> | T): Promise<T>;
  /** Schema version the database is at. */
  schemaVersion(): number;
  close(): void;
}
