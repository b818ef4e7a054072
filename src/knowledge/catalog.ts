/**
 * The knowledge area of the workspace database: documents (one row per ingested file, with its
 * content hash), chunks (text, heading path, metadata, and the float32 vector as a BLOB with the id
 * of the embedder that made it), an FTS5 table over the chunks' jieba-segmented terms, the fitted
 * embedding model and a little state. The FTS5 table stays: it is where the segmented terms are
 * stored (segmented by kefu, segment.ts, space-separated, so FTS5's unicode61 tokenizer only splits
 * at those spaces), the in-memory LexicalIndex is rebuilt from it at open (`lexicalRows`), and its
 * own `bm25()` (`ftsBm25`) is kept as the reference the benchmark compares against. Every write
 * goes through `write`, one transaction at a time, so a failed ingest leaves the area as it was.
 * Does not parse, chunk, embed or rank for the retriever.
 */
import type Database from 'better-sqlite3';
import { UsageError } from '../core/errors.js';
import type { Migration } from '../storage/migrations.js';
import { migrateArea, serialTransactions } from '../storage/sqlite-open.js';
import type { FieldTerms } from './lexical-index.js';
import { segment } from './segment.js';
import type { DenseItem, DocumentInfo, StoredChunk } from './types.js';

export const KNOWLEDGE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents, chunks, fts, models',
    sql: `
      CREATE TABLE knowledge_documents (
        source      TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        hash        TEXT NOT NULL,
        metadata    TEXT NOT NULL CHECK (json_valid(metadata)),
        chunk_count INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE knowledge_chunks (
        seq      INTEGER PRIMARY KEY,
        id       TEXT NOT NULL UNIQUE,
        source   TEXT NOT NULL REFERENCES knowledge_documents (source) ON DELETE CASCADE,
        ordinal  INTEGER NOT NULL,
        title    TEXT NOT NULL,
        headings TEXT NOT NULL CHECK (json_valid(headings)),
        text     TEXT NOT NULL,
        metadata TEXT NOT NULL CHECK (json_valid(metadata)),
        vector   BLOB,
        embedder TEXT
      ) STRICT;
      CREATE INDEX knowledge_chunks_source ON knowledge_chunks (source, ordinal);
      CREATE VIRTUAL TABLE knowledge_fts USING fts5 (title, headings, body, tokenize = 'unicode61 remove_diacritics 0');
      CREATE TABLE knowledge_models (
        name       TEXT PRIMARY KEY,
        data       BLOB NOT NULL,
        info       TEXT NOT NULL CHECK (json_valid(info)),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE knowledge_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `,
  },
];

interface ChunkRow {
  seq: number;
  id: string;
  source: string;
  ordinal: number;
  title: string;
  headings: string;
  text: string;
  metadata: string;
}

const toChunk = (row: ChunkRow): StoredChunk => ({
  id: row.id,
  source: row.source,
  title: row.title,
  ordinal: row.ordinal,
  headings: JSON.parse(row.headings) as string[],
  text: row.text,
  metadata: JSON.parse(row.metadata) as Record<string, string>,
});

export const vectorToBlob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const blobToVector = (b: Buffer) =>
  new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/**
 * BM25 weights of the title and heading-path columns against the body’s 1.0. The product name and
 * section name matter more than body words: 4 gave recall@5 0.95 on the sample shop against 0.88 at 1.
 */
export const TITLE_WEIGHT = 4;
export const HEADINGS_WEIGHT = 4;

const FILTER_KEY = /^[\w.-]+$/u;

export function filterSql(filter: Record<string, string> | undefined, alias: string) {
  const clauses: string[] = [];
  const params: string[] = [];
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (!FILTER_KEY.test(key))
      throw new UsageError(`bad filter key "${key}"`, { hint: 'keys are letters, digits, _ . -' });
    clauses.push(`json_extract(${alias}.metadata, '$."${key}"') = ?`);
    params.push(value);
  }
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

/** One document's new content: its info, chunks and one vector per chunk. */
export interface DocumentWrite {
  document: DocumentInfo;
  chunks: StoredChunk[];
  vectors: Float32Array[];
  /** The chunks' segmented fields, when the caller has them already (else segmented here). */
  terms?: FieldTerms[];
}

/** A chunk's index terms per field (title, heading path, body). */
export function chunkFieldTerms(chunk: Pick<StoredChunk, 'title' | 'headings' | 'text'>): FieldTerms {
  return {
    title: segment(chunk.title),
    headings: segment(chunk.headings.join(' ')),
    body: segment(chunk.text),
  };
}

const split = (text: string): string[] => (text ? text.split(' ') : []);

export class KnowledgeCatalog {
  private readonly inTransaction: <T>(work: () => Promise<T> | T) => Promise<T>;

  constructor(readonly db: Database.Database) {
    migrateArea(db, 'knowledge', KNOWLEDGE_MIGRATIONS);
    this.inTransaction = serialTransactions(db);
  }

  /** Run `work` inside one IMMEDIATE transaction, after any earlier write finished. */
  write<T>(work: () => Promise<T> | T): Promise<T> {
    return this.inTransaction(work);
  }

  document(source: string): DocumentInfo | undefined {
    const row = this.db
      .prepare<[string], Record<string, unknown>>('SELECT * FROM knowledge_documents WHERE source = ?')
      .get(source);
    return row ? this.toDocument(row) : undefined;
  }

  documents(): DocumentInfo[] {
    return this.db
      .prepare<[], Record<string, unknown>>('SELECT * FROM knowledge_documents ORDER BY source')
      .all()
      .map((row) => this.toDocument(row));
  }

  private toDocument(row: Record<string, unknown>): DocumentInfo {
    return {
      source: row.source as string,
      title: row.title as string,
      hash: row.hash as string,
      metadata: JSON.parse(row.metadata as string) as Record<string, string>,
      chunkCount: row.chunk_count as number,
      ingestedAt: row.ingested_at as string,
    };
  }

  /** Ids of a document's chunks (to remove them from a dense index). */
  chunkIdsOf(source: string): string[] {
    return this.db
      .prepare<[string], { id: string }>('SELECT id FROM knowledge_chunks WHERE source = ? ORDER BY ordinal')
      .all(source)
      .map((r) => r.id);
  }

  /** Replace a document and its chunks (call inside `write`). */
  putDocument(write: DocumentWrite, embedderId: string): void {
    this.removeDocument(write.document.source);
    const d = write.document;
    this.db
      .prepare(
        'INSERT INTO knowledge_documents (source, title, hash, metadata, chunk_count, ingested_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(d.source, d.title, d.hash, JSON.stringify(d.metadata), write.chunks.length, d.ingestedAt);
    const insertChunk = this.db.prepare(
      `INSERT INTO knowledge_chunks (id, source, ordinal, title, headings, text, metadata, vector, embedder)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTerms = this.db.prepare(
      'INSERT INTO knowledge_fts (rowid, title, headings, body) VALUES (?, ?, ?, ?)',
    );
    write.chunks.forEach((c, i) => {
      const { lastInsertRowid } = insertChunk.run(
        c.id,
        c.source,
        c.ordinal,
        c.title,
        JSON.stringify(c.headings),
        c.text,
        JSON.stringify(c.metadata),
        vectorToBlob(write.vectors[i]!),
        embedderId,
      );
      const terms = write.terms?.[i] ?? chunkFieldTerms(c);
      insertTerms.run(lastInsertRowid, terms.title.join(' '), terms.headings.join(' '), terms.body.join(' '));
    });
  }

  /** Remove a document, its chunks and their terms (call inside `write`). */
  removeDocument(source: string): void {
    this.db
      .prepare('DELETE FROM knowledge_fts WHERE rowid IN (SELECT seq FROM knowledge_chunks WHERE source = ?)')
      .run(source);
    this.db.prepare('DELETE FROM knowledge_chunks WHERE source = ?').run(source);
    this.db.prepare('DELETE FROM knowledge_documents WHERE source = ?').run(source);
  }

  /** Replace one chunk's vector (call inside `write`; used after a re-fit). */
  setVector(id: string, vector: Float32Array, embedderId: string): void {
    this.db
      .prepare('UPDATE knowledge_chunks SET vector = ?, embedder = ? WHERE id = ?')
      .run(vectorToBlob(vector), embedderId, id);
  }

  /** Every chunk, in source order (for a re-fit or re-embed). */
  allChunks(): StoredChunk[] {
    return this.db
      .prepare<[], ChunkRow>('SELECT * FROM knowledge_chunks ORDER BY source, ordinal')
      .all()
      .map(toChunk);
  }

  /** Every stored vector with its chunk's metadata and text, streamed. */
  *vectors(): Generator<DenseItem & { embedder: string | null }> {
    const rows = this.db
      .prepare<
        [],
        { id: string; vector: Buffer | null; metadata: string; text: string; embedder: string | null }
      >('SELECT id, vector, metadata, text, embedder FROM knowledge_chunks ORDER BY seq')
      .iterate();
    for (const row of rows) {
      if (!row.vector) continue;
      yield {
        id: row.id,
        vector: blobToVector(row.vector),
        metadata: JSON.parse(row.metadata) as Record<string, string>,
        text: row.text,
        embedder: row.embedder,
      };
    }
  }

  /** Every chunk's id, metadata and stored terms per field, in insertion order (for the LexicalIndex). */
  *lexicalRows(): Generator<{ id: string; metadata: Record<string, string>; terms: FieldTerms }> {
    const rows = this.db
      .prepare<[], { id: string; metadata: string; title: string; headings: string; body: string }>(
        `SELECT c.id AS id, c.metadata AS metadata, f.title AS title, f.headings AS headings, f.body AS body
         FROM knowledge_chunks c JOIN knowledge_fts f ON f.rowid = c.seq ORDER BY c.seq`,
      )
      .iterate();
    for (const row of rows) {
      yield {
        id: row.id,
        metadata: JSON.parse(row.metadata) as Record<string, string>,
        terms: { title: split(row.title), headings: split(row.headings), body: split(row.body) },
      };
    }
  }

  private getChunk: Database.Statement<[string], ChunkRow> | undefined;

  chunks(ids: readonly string[]): Map<string, StoredChunk> {
    const out = new Map<string, StoredChunk>();
    this.getChunk ??= this.db.prepare<[string], ChunkRow>('SELECT * FROM knowledge_chunks WHERE id = ?');
    const get = this.getChunk;
    for (const id of ids) {
      const row = get.get(id);
      if (row) out.set(id, toChunk(row));
    }
    return out;
  }

  /**
   * FTS5's own BM25 over the query's segmented terms (any term may match), best first. The
   * retriever ranks with the LexicalIndex; this stays as the benchmark's reference.
   */
  ftsBm25(
    query: string,
    options: { limit: number; filter?: Record<string, string> },
  ): { id: string; score: number }[] {
    const terms = [...new Set(segment(query))];
    if (terms.length === 0) return [];
    const match = terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
    const filter = filterSql(options.filter, 'c');
    return this.db
      .prepare<unknown[], { id: string; rank: number }>(
        `SELECT c.id AS id, bm25(knowledge_fts, ${TITLE_WEIGHT}, ${HEADINGS_WEIGHT}, 1.0) AS rank
         FROM knowledge_fts JOIN knowledge_chunks c ON c.seq = knowledge_fts.rowid
         WHERE knowledge_fts MATCH ?${filter.sql} ORDER BY rank LIMIT ?`,
      )
      .all(match, ...filter.params, options.limit)
      .map((row) => ({ id: row.id, score: -row.rank }));
  }

  model(name: string): { data: Buffer; info: Record<string, unknown> } | undefined {
    const row = this.db
      .prepare<[string], { data: Buffer; info: string }>(
        'SELECT data, info FROM knowledge_models WHERE name = ?',
      )
      .get(name);
    return row ? { data: row.data, info: JSON.parse(row.info) as Record<string, unknown> } : undefined;
  }

  /** Store a model (call inside `write`). */
  putModel(name: string, data: Uint8Array, info: Record<string, unknown>): void {
    this.db
      .prepare(
        `INSERT INTO knowledge_models (name, data, info, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET data = excluded.data, info = excluded.info, created_at = excluded.created_at`,
      )
      .run(name, data, JSON.stringify(info), new Date().toISOString());
  }

  state(key: string): string | undefined {
    return this.db
      .prepare<[string], { value: string }>('SELECT value FROM knowledge_state WHERE key = ?')
      .get(key)?.value;
  }

  setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO knowledge_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  counts(): {
    documents: number;
    chunks: number;
    byKind: Record<string, number>;
    embedders: Record<string, number>;
  } {
    const documents = this.db
      .prepare<[], { n: number }>('SELECT count(*) AS n FROM knowledge_documents')
      .get()!.n;
    const chunks = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM knowledge_chunks').get()!.n;
    const byKind: Record<string, number> = {};
    for (const row of this.db
      .prepare<[], { kind: string | null; n: number }>(
        `SELECT json_extract(metadata, '$.kind') AS kind, count(*) AS n FROM knowledge_documents GROUP BY kind`,
      )
      .all())
      byKind[row.kind ?? 'other'] = row.n;
    const embedders: Record<string, number> = {};
    for (const row of this.db
      .prepare<[], { embedder: string | null; n: number }>(
        'SELECT embedder, count(*) AS n FROM knowledge_chunks GROUP BY embedder',
      )
      .all())
      embedders[row.embedder ?? 'none'] = row.n;
    return { documents, chunks, byKind, embedders };
  }
}
