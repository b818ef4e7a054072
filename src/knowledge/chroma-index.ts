/**
 * The Chroma dense index (the seed's choice): the same DenseIndex contract over a Chroma server
 * through the chromadb npm client. kefu passes the embeddings itself (the collection has no
 * embedding function: Chroma's default one downloads a model and fails offline), uses cosine
 * space, stores each chunk's metadata for `where` filters and its text as the record's document.
 * chromadb is a development dependency, imported on first use. Scores are 1 − cosine distance.
 * Does not start the server.
 */
import { RuntimeFailure } from '../core/errors.js';
import type { DenseHit, DenseIndex, DenseItem } from './types.js';

type ChromaModule = typeof import('chromadb');
type Collection = Awaited<ReturnType<InstanceType<ChromaModule['ChromaClient']>['getOrCreateCollection']>>;

export interface ChromaIndexOptions {
  /** e.g. http://127.0.0.1:8000 */
  url: string;
  collection: string;
}

const BATCH = 500;

function chromaFailure(url: string, error: unknown): RuntimeFailure {
  return new RuntimeFailure(`Chroma at ${url} failed: ${(error as Error).message}`, {
    code: 'E_KB_CHROMA',
    cause: error,
    hint: 'start it with `npx chroma run --path <dir> --port <port>` and check knowledge.store.chromaUrl',
  });
}

function toWhere(filter: Record<string, string>): Record<string, unknown> | undefined {
  const clauses = Object.entries(filter).map(([key, value]) => ({ [key]: { $eq: value } }));
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}

export class ChromaIndex implements DenseIndex {
  readonly kind = 'chroma' as const;

  private constructor(
    private readonly client: InstanceType<ChromaModule['ChromaClient']>,
    private collection: Collection,
    private readonly options: ChromaIndexOptions,
  ) {}

  static async connect(options: ChromaIndexOptions): Promise<ChromaIndex> {
    let chroma: ChromaModule;
    try {
      chroma = await import('chromadb');
    } catch (error) {
      throw new RuntimeFailure('the chromadb package is not installed', {
        code: 'E_KB_CHROMA',
        cause: error,
        hint: 'npm install chromadb, or set knowledge.store.kind: sqlite',
      });
    }
    const url = new URL(options.url);
    const client = new chroma.ChromaClient({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      ssl: url.protocol === 'https:',
    });
    try {
      const collection = await ChromaIndex.open(client, options.collection);
      return new ChromaIndex(client, collection, options);
    } catch (error) {
      throw chromaFailure(options.url, error);
    }
  }

  private static open(client: InstanceType<ChromaModule['ChromaClient']>, name: string) {
    return client.getOrCreateCollection({
      name,
      embeddingFunction: null,
      configuration: { hnsw: { space: 'cosine' } },
      metadata: { createdBy: 'kefu' },
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw chromaFailure(this.options.url, error);
    }
  }

  async upsert(items: readonly DenseItem[]): Promise<void> {
    await this.guard(async () => {
      for (let i = 0; i < items.length; i += BATCH) {
        const batch = items.slice(i, i + BATCH);
        await this.collection.upsert({
          ids: batch.map((item) => item.id),
          embeddings: batch.map((item) => Array.from(item.vector)),
          metadatas: batch.map((item) => item.metadata),
          documents: batch.map((item) => item.text),
        });
      }
    });
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.guard(async () => {
      for (let i = 0; i < ids.length; i += BATCH)
        await this.collection.delete({ ids: ids.slice(i, i + BATCH) });
    });
  }

  async search(
    vector: Float32Array,
    options: { limit: number; filter?: Record<string, string> },
  ): Promise<DenseHit[]> {
    return this.guard(async () => {
      const where = toWhere(options.filter ?? {});
      const result = await this.collection.query({
        queryEmbeddings: [Array.from(vector)],
        nResults: options.limit,
        ...(where ? { where: where as never } : {}),
        include: ['distances'],
      });
      const ids = result.ids[0] ?? [];
      const distances = result.distances[0] ?? [];
      return ids.map((id, i) => ({ id, score: 1 - (distances[i] ?? 1) }));
    });
  }

  async count(): Promise<number> {
    return this.guard(() => this.collection.count());
  }

  async reset(): Promise<void> {
    await this.guard(async () => {
      await this.client.deleteCollection({ name: this.options.collection });
      this.collection = await ChromaIndex.open(this.client, this.options.collection);
    });
  }

  async close(): Promise<void> {}
}
