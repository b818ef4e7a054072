/**
 * WAL checkpoints off the request path. SQLite normally checkpoints inside whichever commit pushes
 * the write-ahead log past 1000 pages, so every ~50th turn paid for copying the log into the
 * database file (and its fsync) on the event loop — the largest single part of the server's p99.
 * Here the server's connections stop auto-checkpointing and a worker thread with its own
 * connection runs `wal_checkpoint(PASSIVE)` every `intervalMs` (passive: never waits for or blocks
 * readers and writers); SQLite restarts the log from the start once it is fully copied, so it stays
 * bounded. If the worker fails, the connections go back to auto-checkpointing.
 * Does not: open the server's connections or change anything in an in-memory database.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface WalCheckpointer {
  /** Checkpoints done by the worker so far (reported every round). */
  readonly rounds: number;
  /** One last full checkpoint, then the worker ends; the connections auto-checkpoint again. */
  stop(): Promise<void>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const round = (mode) => {
  try { db.pragma('wal_checkpoint(' + mode + ')'); parentPort.postMessage('round'); }
  catch (error) { parentPort.postMessage('skip'); }
};
const timer = setInterval(() => round('PASSIVE'), workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); round('PASSIVE'); db.close(); process.exit(0); });
`;

/**
 * Checkpoint `path`'s WAL from a worker every `intervalMs` (default 500) and turn off automatic
 * checkpoints on `connections` (the ones the server writes through).
 */
export function startWalCheckpointer(
  path: string,
  connections: readonly Database.Database[],
  options: { intervalMs?: number } = {},
): WalCheckpointer {
  const restore = () => {
    for (const db of connections) if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  if (path === ':memory:' || connections.some((db) => db.memory)) {
    return { rounds: 0, stop: async () => undefined };
  }
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, driver, intervalMs: options.intervalMs ?? 500 },
  });
  worker.unref();
  for (const db of connections) db.pragma('wal_autocheckpoint = 0');
  const state = { rounds: 0, ended: false };
  const ended = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      state.ended = true;
      restore();
      resolve();
    });
  });
  worker.on('message', (m) => {
    if (m === 'round') state.rounds++;
  });
  worker.on('error', () => restore());
  return {
    get rounds() {
      return state.rounds;
    },
    async stop() {
      // The worker is unref'd so it never keeps a process alive on its own; while it finishes its
      // last checkpoint it must, or a process with nothing else to do exits before `ended` settles.
      if (!state.ended) {
        worker.ref();
        worker.postMessage('stop');
      }
      await ended;
    },
  };
}
