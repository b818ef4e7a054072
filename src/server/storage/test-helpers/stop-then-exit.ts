/**
 * Run as its own process by wal-checkpointer.test.ts: starts a checkpointer on a fresh database,
 * stops it with nothing else keeping the process alive, and prints "stopped" once `stop()` has
 * settled. A process that exits before (the worker's last moments not holding it) prints nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../../storage/sqlite-open.js';
import { startWalCheckpointer } from '../wal-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'kefu-wal-exit-'));
const path = join(dir, 'kefu.db');
const db = openSqlite(path);
db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
const checkpointer = startWalCheckpointer(path, [db], { intervalMs: 10 });
await new Promise((resolve) => setTimeout(resolve, 50));
await checkpointer.stop();
db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write('stopped\n');
