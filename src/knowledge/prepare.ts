/**
 * The first half of an ingest, which writes nothing: read each file, hash it (bytes plus the
 * metadata and chunk settings that shape its chunks), skip it when the catalogue holds the same
 * hash, else parse and chunk it into StoredChunks with stable ids. Parse failures are gathered;
 * if any file fails, one InputError names it (and lists the others in `details.files`), so the
 * caller changes nothing. Does not embed or store.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError, KefuError } from '../core/errors.js';
import type { ProgressTask } from '../core/progress.js';
import { type ChunkOptions, chunkDocument } from './chunk.js';
import type { SourceFile } from './collect.js';
import { documentMetadata } from './metadata.js';
import { parseDocument } from './parse.js';
import type { DocumentInfo, StoredChunk } from './types.js';

export interface PreparedDocument {
  document: DocumentInfo;
  chunks: StoredChunk[];
  /** true when the catalogue held an older version of this source. */
  replaces: boolean;
}

export interface Prepared {
  changed: PreparedDocument[];
  unchanged: string[];
}

export function chunkId(source: string, ordinal: number, text: string): string {
  return createHash('sha256').update(`${source}\0${ordinal}\0${text}`).digest('hex').slice(0, 24);
}

function sortedJson(record: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b))));
}

export async function prepareIngest(
  files: readonly SourceFile[],
  options: {
    meta: Record<string, string>;
    chunk: ChunkOptions;
    storedHash: (source: string) => string | undefined;
    progress?: ProgressTask;
    signal?: AbortSignal;
  },
): Promise<Prepared> {
  const changed: PreparedDocument[] = [];
  const unchanged: string[] = [];
  const failures: { file: string; message: string; error: unknown }[] = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    try {
      const bytes = await readFile(file.path).catch((error: unknown) => {
        throw new InputError(
          `cannot read: ${(error as Error).message}`,
          { file: file.source },
          { code: 'E_KB_READ' },
        );
      });
      const metadata = documentMetadata(file.source, options.meta);
      const hash = createHash('sha256')
        .update(bytes)
        .update(`\0${sortedJson(metadata)}\0${options.chunk.size}/${options.chunk.overlap}`)
        .digest('hex');
      const stored = options.storedHash(file.source);
      if (stored === hash) {
        unchanged.push(file.source);
        continue;
      }
      const parsed = await parseDocument(file.source, bytes);
      const chunks = chunkDocument(parsed, options.chunk).map((draft, ordinal) => ({
        id: chunkId(file.source, ordinal, draft.text),
        source: file.source,
        title: parsed.title,
        ordinal,
        headings: draft.headings,
        text: draft.text,
        metadata,
      }));
      changed.push({
        document: {
          source: file.source,
          title: parsed.title,
          hash,
          metadata,
          chunkCount: chunks.length,
          ingestedAt: new Date().toISOString(),
        },
        chunks,
        replaces: stored !== undefined,
      });
    } catch (error) {
      const message =
        error instanceof KefuError ? error.message : `${file.source}: ${(error as Error).message}`;
      failures.push({ file: file.source, message, error });
    } finally {
      options.progress?.tick(1, file.source);
    }
  }
  if (failures.length > 0) {
    const first = failures[0]!;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more file(s))` : '';
    throw new InputError(`${first.message}${more}`, undefined, {
      code: first.error instanceof KefuError ? first.error.code : 'E_KB_PARSE',
      cause: first.error,
      hint: 'fix or remove the file(s); nothing was ingested',
      details: { files: failures.map((f) => ({ file: f.file, message: f.message })) },
    });
  }
  return { changed, unchanged };
}
