/**
 * The knowledge base as other areas use it: `openKnowledgeBase({ dbPath })` opens the knowledge
 * area of a workspace database, the configured embedder (kefu's LSA model from the catalogue, a
 * GGUF file, or an OpenAI-compatible endpoint) and the dense index (the in-memory matrix over the
 * stored vectors, or a Chroma collection, re-synced from the catalogue when its count differs).
 * `ingest` = collect → prepare (parse, chunk, skip unchanged) → plan embedding (maybe re-fit) →
 * embed → one transaction (documents, chunks, FTS terms, vectors, model; Chroma writes inside it, so
 * a Chroma failure rolls SQLite back) → update the in-memory lexical index (built from the stored
 * terms at open) and matrix. Does not parse CLI flags.
 */
import { isAbsolute, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { Embedder, Retriever } from '../assistant/contracts.js';
import { type Progress, silentProgress } from '../core/progress.js';
import { openSqlite } from '../storage/sqlite-open.js';
import { chunkFieldTerms, KnowledgeCatalog } from './catalog.js';
import { ChromaIndex } from './chroma-index.js';
import { collectSources } from './collect.js';
import { type KnowledgeConfig, knowledgeConfigSchema } from './config.js';
import { createGgufEmbedder, type GgufEmbedder } from './embedders/gguf-embedder.js';
import { deserializeLsa, LsaEmbedder } from './embedders/lsa-embedder.js';
import { createOpenAiEmbedder } from './embedders/openai-embedder.js';
import { embedChunks, planEmbedding } from './embedding-plan.js';
import { LexicalIndex } from './lexical-index.js';
import { MatrixIndex } from './matrix-index.js';
import { prepareIngest } from './prepare.js';
import { KnowledgeRetriever } from './retriever.js';
import type { DenseIndex, DenseItem, StoredChunk } from './types.js';

export interface OpenKnowledgeBaseOptions {
  /** The workspace database (or ':memory:'). */
  dbPath: string;
  /** The `knowledge:` section of kefu.yaml (defaults filled in). */
  config?: z.input<typeof knowledgeConfigSchema>;
  /** Use this embedder instead of the configured one; its id is recorded with the vectors. */
  embedder?: Embedder;
  /** Environment for the API key variable. Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Base of a relative GGUF model path. Defaults to the working folder. */
  baseDir?: string;
}

export interface IngestOptions {
  /** key=value metadata added to every chunk of these files (wins over inferred kind/productId). */
  meta?: Record<string, string>;
  /** Name sources relative to this folder (see collect.ts for the default). */
  root?: string;
  /** Resolve relative paths from here. Defaults to process.cwd(). */
  cwd?: string;
  progress?: Progress;
  signal?: AbortSignal;
}

export interface IngestReport {
  files: number;
  added: string[];
  updated: string[];
  unchanged: string[];
  chunksWritten: number;
  chunksRemoved: number;
  /** Chunks whose vectors were recomputed because the model was (re-)fitted or changed. */
  reembedded: number;
  refitted: boolean;
  embedder: string;
  ms: number;
}

export interface KnowledgeStats {
  documents: number;
  chunks: number;
  byKind: Record<string, number>;
  embedder: { id: string; dimensions: number } | null;
  store: 'sqlite' | 'chroma';
  denseVectors: number;
}

export interface KnowledgeBase {
  ingest(paths: readonly string[], options?: IngestOptions): Promise<IngestReport>;
  readonly retriever: Retriever & KnowledgeRetriever;
  /** The embedder in use; undefined for the lsa kind until the first ingest fits it. */
  readonly embedder: Embedder | undefined;
  readonly config: KnowledgeConfig;
  stats(): Promise<KnowledgeStats>;
  close(): Promise<void>;
}

const LSA_MODEL = 'lsa';
const SINCE_FIT = 'lsa.changedSinceFit';

class SqliteKnowledgeBase implements KnowledgeBase {
  readonly retriever: KnowledgeRetriever;
  private dense: DenseIndex | undefined;
  private readonly lexical = new LexicalIndex();

  constructor(
    private readonly db: Database.Database,
    readonly catalog: KnowledgeCatalog,
    readonly config: KnowledgeConfig,
    private current: Embedder | undefined,
    private readonly chroma: ChromaIndex | undefined,
    private readonly owned: { close(): Promise<void> } | undefined,
    /** kefu fits the model itself (lsa kind, no injected embedder). */
    private readonly trainable: boolean,
  ) {
    this.retriever = new KnowledgeRetriever({
      catalog,
      lexical: this.lexical,
      expand: config.queryExpansion,
      denseWeight: config.denseWeight,
      embedder: () => this.current,
      dense: () => this.dense,
      rrfK: config.rrfK,
      candidates: config.candidates,
    });
  }

  get embedder(): Embedder | undefined {
    return this.current;
  }

  private storedItems(embedderId: string): DenseItem[] {
    const items: DenseItem[] = [];
    for (const item of this.catalog.vectors()) if (item.embedder === embedderId) items.push(item);
    return items;
  }

  /** Build the lexical index from the stored terms. */
  loadLexical(): void {
    for (const row of this.catalog.lexicalRows()) this.lexical.add(row.id, row.terms, row.metadata);
  }

  /** Load the matrix, or bring Chroma in line with the catalogue. */
  async loadDense(): Promise<void> {
    if (!this.current) return;
    const items = this.storedItems(this.current.id);
    if (this.chroma) {
      if ((await this.chroma.count()) !== items.length) {
        await this.chroma.reset();
        await this.chroma.upsert(items);
      }
      this.dense = this.chroma;
      return;
    }
    const matrix = new MatrixIndex(this.current.dimensions);
    for (const item of items) matrix.add(item);
    this.dense = matrix;
  }

  async ingest(paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    const started = performance.now();
    const progress = options.progress ?? silentProgress;
    const files = collectSources(paths, { cwd: options.cwd, root: options.root });
    const reading = progress.start('kb: read and chunk', files.length, 'files');
    const prepared = await prepareIngest(files, {
      meta: options.meta ?? {},
      chunk: { size: this.config.chunkSize, overlap: this.config.chunkOverlap },
      storedHash: (source) => this.catalog.document(source)?.hash,
      progress: reading,
      signal: options.signal,
    });
    reading.done();
    const changedSources = new Set(prepared.changed.map((d) => d.document.source));
    const removedIds = prepared.changed
      .filter((d) => d.replaces)
      .flatMap((d) => this.catalog.chunkIdsOf(d.document.source));
    const added = prepared.changed.flatMap((d) => d.chunks);
    const report = (refitted: boolean, reembedded: number, embedder: string): IngestReport => ({
      files: files.length,
      added: prepared.changed.filter((d) => !d.replaces).map((d) => d.document.source),
      updated: prepared.changed.filter((d) => d.replaces).map((d) => d.document.source),
      unchanged: prepared.unchanged,
      chunksWritten: added.length,
      chunksRemoved: removedIds.length,
      reembedded,
      refitted,
      embedder,
      ms: Math.round(performance.now() - started),
    });
    if (prepared.changed.length === 0) return report(false, 0, this.current?.id ?? 'none');

    const counts = this.catalog.counts();
    const kept: StoredChunk[] = this.catalog.allChunks().filter((c) => !changedSources.has(c.source));
    const plan = planEmbedding({
      kept,
      added,
      current: this.current,
      trainable: this.trainable,
      storedEmbedders: Object.keys(counts.embedders).filter((id) => id !== 'none' && counts.chunks > 0),
      changedSinceFit: Number(this.catalog.state(SINCE_FIT) ?? 0),
      refitRatio: this.config.embedder.refitRatio,
      dimensions: this.config.embedder.dimensions,
    });
    const embedding = progress.start(
      'kb: embed',
      plan.embedAll ? kept.length + added.length : added.length,
      'chunks',
    );
    const addedVectors = await embedChunks(plan.embedder, added, {
      progress: embedding,
      signal: options.signal,
    });
    const keptVectors = plan.embedAll
      ? await embedChunks(plan.embedder, kept, { progress: embedding, signal: options.signal })
      : [];
    embedding.done();
    const addedItems: DenseItem[] = added.map((c, i) => ({
      id: c.id,
      vector: addedVectors[i]!,
      metadata: c.metadata,
      text: c.text,
    }));
    const keptItems: DenseItem[] = kept.map((c, i) => ({
      id: c.id,
      vector: keptVectors[i]!,
      metadata: c.metadata,
      text: c.text,
    }));

    const addedTerms = added.map(chunkFieldTerms);
    await this.catalog.write(async () => {
      let at = 0;
      for (const document of prepared.changed) {
        const vectors = addedVectors.slice(at, at + document.chunks.length);
        const terms = addedTerms.slice(at, at + document.chunks.length);
        at += document.chunks.length;
        this.catalog.putDocument(
          { document: document.document, chunks: document.chunks, vectors, terms },
          plan.embedder.id,
        );
      }
      if (plan.embedAll)
        for (const item of keptItems) this.catalog.setVector(item.id, item.vector, plan.embedder.id);
      if (plan.model) {
        this.catalog.putModel(LSA_MODEL, plan.model, {
          embedder: plan.embedder.id,
          fittedOn: kept.length + added.length,
        });
      }
      this.catalog.setState(SINCE_FIT, String(plan.changedSinceFit));
      if (this.chroma) {
        if (plan.embedAll) {
          await this.chroma.reset();
          await this.chroma.upsert([...keptItems, ...addedItems]);
        } else {
          await this.chroma.remove(removedIds);
          await this.chroma.upsert(addedItems);
        }
      }
    });

    this.lexical.remove(removedIds);
    added.forEach((chunk, i) => {
      this.lexical.add(chunk.id, addedTerms[i]!, chunk.metadata);
    });
    this.current = plan.embedder;
    if (this.chroma) this.dense = this.chroma;
    else if (plan.embedAll || !(this.dense instanceof MatrixIndex)) {
      const matrix = new MatrixIndex(plan.embedder.dimensions);
      for (const item of keptItems) matrix.add(item);
      for (const item of addedItems) matrix.add(item);
      this.dense = matrix;
    } else {
      await this.dense.remove(removedIds);
      await this.dense.upsert(addedItems);
    }
    return report(Boolean(plan.model), plan.embedAll ? kept.length : 0, plan.embedder.id);
  }

  async stats(): Promise<KnowledgeStats> {
    const counts = this.catalog.counts();
    return {
      documents: counts.documents,
      chunks: counts.chunks,
      byKind: counts.byKind,
      embedder: this.current ? { id: this.current.id, dimensions: this.current.dimensions } : null,
      store: this.chroma ? 'chroma' : 'sqlite',
      denseVectors: this.dense ? await this.dense.count() : 0,
    };
  }

  async close(): Promise<void> {
    await this.dense?.close();
    await this.owned?.close();
    this.db.close();
  }
}

async function configuredEmbedder(
  config: KnowledgeConfig,
  catalog: KnowledgeCatalog,
  options: OpenKnowledgeBaseOptions,
): Promise<{ embedder: Embedder | undefined; owned?: GgufEmbedder }> {
  const e = config.embedder;
  if (e.kind === 'gguf') {
    const base = options.baseDir ?? process.cwd();
    const embedder = await createGgufEmbedder({
      modelPath: isAbsolute(e.modelPath) ? e.modelPath : resolve(base, e.modelPath),
    });
    return { embedder, owned: embedder };
  }
  if (e.kind === 'openai') {
    const env = options.env ?? process.env;
    const apiKey = e.apiKeyEnv ? env[e.apiKeyEnv] : undefined;
    return {
      embedder: await createOpenAiEmbedder({ baseUrl: e.url, model: e.model, ...(apiKey ? { apiKey } : {}) }),
    };
  }
  const stored = catalog.model(LSA_MODEL);
  return { embedder: stored ? new LsaEmbedder(deserializeLsa(stored.data), stored.data) : undefined };
}

export async function openKnowledgeBase(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  const config = knowledgeConfigSchema.parse(options.config ?? {});
  const db = openSqlite(options.dbPath);
  try {
    const catalog = new KnowledgeCatalog(db);
    const chosen = options.embedder
      ? { embedder: options.embedder, owned: undefined }
      : await configuredEmbedder(config, catalog, options);
    const chroma =
      config.store.kind === 'chroma'
        ? await ChromaIndex.connect({ url: config.store.chromaUrl, collection: config.store.collection })
        : undefined;
    const trainable = !options.embedder && config.embedder.kind === 'lsa';
    const base = new SqliteKnowledgeBase(
      db,
      catalog,
      config,
      chosen.embedder,
      chroma,
      chosen.owned,
      trainable,
    );
    base.loadLexical();
    await base.loadDense();
    return base;
  } catch (error) {
    db.close();
    throw error;
  }
}
