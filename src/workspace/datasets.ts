/**
 * Record dataset files in the workspace database (name, kind, format, record count, sha256), so
 * later stages can refuse data that changed under a checkpoint and `kefu status` can list them.
 * Hashes files by streaming; does not read records.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { relative } from 'node:path';
import type { DatasetRecord, Repositories } from '../storage/repositories.js';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface DatasetFile {
  name: string;
  kind: DatasetRecord['kind'];
  format: string;
  /** Absolute path. */
  path: string;
  records: number;
  meta?: Record<string, unknown>;
}

/** Hash and register `files` through `repos` (pass a transaction's repositories to make it atomic). */
export async function registerDatasets(
  repos: Repositories,
  root: string,
  files: readonly DatasetFile[],
): Promise<void> {
  const hashed = await Promise.all(files.map(async (f) => ({ ...f, sha256: await sha256File(f.path) })));
  const createdAt = new Date().toISOString();
  for (const f of hashed) {
    await repos.datasets.put({
      name: f.name,
      kind: f.kind,
      format: f.format,
      path: relative(root, f.path),
      records: f.records,
      sha256: f.sha256,
      createdAt,
      meta: f.meta ?? {},
    });
  }
}
