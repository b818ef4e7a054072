/**
 * The second half of an ingest's thinking, still without writing: which embedder the new chunks
 * are embedded with and whether every chunk must be (re-)embedded. With the default `lsa` kind the
 * model is (re-)fitted on the whole corpus-to-be when there is none yet, when the stored vectors
 * come from another model, or when the chunks added or replaced since the last fit exceed
 * `refitRatio` of the corpus; the fit uses at most FIT_SAMPLE chunks, evenly spaced. With a fixed
 * embedder (gguf, openai, injected) only a change of embedder forces a full re-embed.
 */
import type { Embedder } from '../assistant/contracts.js';
import type { ProgressTask } from '../core/progress.js';
import { indexedText } from './chunk.js';
import { LsaEmbedder, serializeLsa } from './embedders/lsa-embedder.js';
import { fitLsa } from './embedders/lsa-model.js';
import type { StoredChunk } from './types.js';

export const FIT_SAMPLE = 8000;

export interface EmbeddingPlanInput {
  /** Chunks that stay as they are. */
  kept: StoredChunk[];
  /** Chunks being written. */
  added: StoredChunk[];
  /** The embedder in use now (undefined: lsa never fitted). */
  current: Embedder | undefined;
  /** lsa: fit a model; otherwise the embedder is fixed. */
  trainable: boolean;
  /** Embedder ids the stored vectors were made by. */
  storedEmbedders: string[];
  changedSinceFit: number;
  refitRatio: number;
  dimensions: number;
}

export interface EmbeddingPlan {
  embedder: Embedder;
  /** Every chunk is (re-)embedded, not only the added ones. */
  embedAll: boolean;
  /** Set when a model was fitted: its bytes, for the catalogue. */
  model?: Uint8Array;
  changedSinceFit: number;
}

export function chunkInput(chunk: StoredChunk): string {
  return indexedText(chunk.title, chunk.headings, chunk.text);
}

export function planEmbedding(input: EmbeddingPlanInput): EmbeddingPlan {
  const total = input.kept.length + input.added.length;
  const stale = input.current !== undefined && input.storedEmbedders.some((id) => id !== input.current!.id);
  if (input.trainable) {
    const since = input.changedSinceFit + input.added.length;
    const needFit = !input.current || stale || since > input.refitRatio * total;
    if (!needFit) return { embedder: input.current!, embedAll: false, changedSinceFit: since };
    const corpus = [...input.kept, ...input.added];
    const step = Math.max(1, corpus.length / FIT_SAMPLE);
    const sample: string[] = [];
    for (let i = 0; i < corpus.length && sample.length < FIT_SAMPLE; i += step)
      sample.push(chunkInput(corpus[Math.floor(i)]!));
    const model = fitLsa(sample, { dimensions: input.dimensions });
    const bytes = serializeLsa(model);
    return { embedder: new LsaEmbedder(model, bytes), embedAll: true, model: bytes, changedSinceFit: 0 };
  }
  return { embedder: input.current!, embedAll: stale, changedSinceFit: 0 };
}

/** Embed chunks in batches of 64, ticking `progress` per chunk. */
export async function embedChunks(
  embedder: Embedder,
  chunks: readonly StoredChunk[],
  options: { progress?: ProgressTask; signal?: AbortSignal } = {},
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < chunks.length; i += 64) {
    const batch = chunks.slice(i, i + 64);
    out.push(...(await embedder.embed(batch.map(chunkInput), { signal: options.signal })));
    options.progress?.tick(batch.length);
  }
  return out;
}
