/**
 * An Embedder over any GGUF model through node-llama-cpp: `createEmbeddingContext` with one thread
 * (node-llama-cpp assumes more cores than this kind of machine has, see design.md), texts embedded
 * one at a time, truncated to the context, vectors L2-normalised. node-llama-cpp is a development
 * dependency, so it is imported on first use and a missing package is a RuntimeFailure with a hint.
 * Does not download models: `modelPath` must be a local file.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Embedder } from '../../assistant/contracts.js';
import { NotFoundError, RuntimeFailure } from '../../core/errors.js';

export interface GgufEmbedderOptions {
  modelPath: string;
  /** Tokens per text; longer texts are cut. Defaults to the model's training context (at most 2048). */
  contextSize?: number;
  /** CPU threads. Defaults to 1. */
  threads?: number;
}

export interface GgufEmbedder extends Embedder {
  close(): Promise<void>;
}

export function normalise(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < out.length; i++) out[i]! *= scale;
  }
  return out;
}

export async function createGgufEmbedder(options: GgufEmbedderOptions): Promise<GgufEmbedder> {
  if (!existsSync(options.modelPath)) {
    throw new NotFoundError(`no GGUF model at ${options.modelPath}`, {
      hint: 'set knowledge.embedder.modelPath to a local .gguf file (`kefu export --format gguf` makes one)',
    });
  }
  let lib: typeof import('node-llama-cpp');
  try {
    lib = await import('node-llama-cpp');
  } catch (error) {
    throw new RuntimeFailure('node-llama-cpp is not installed', {
      code: 'E_KB_EMBEDDER',
      cause: error,
      hint: 'npm install node-llama-cpp, or use knowledge.embedder.kind: lsa',
    });
  }
  const llama = await lib.getLlama({
    gpu: false,
    build: 'never',
    logLevel: lib.LlamaLogLevel.error,
    progressLogs: false,
  });
  const model = await llama.loadModel({ modelPath: options.modelPath });
  const contextSize = options.contextSize ?? Math.min(model.trainContextSize, 2048);
  const context = await model.createEmbeddingContext({ contextSize, threads: options.threads ?? 1 });
  const dimensions = model.embeddingVectorSize;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    id: `gguf:${basename(options.modelPath)}`,
    dimensions,
    embed(texts, embedOptions = {}) {
      const run = queue.then(async () => {
        const out: Float32Array[] = [];
        for (const text of texts) {
          embedOptions.signal?.throwIfAborted();
          const tokens = model.tokenize(text).slice(0, contextSize);
          const { vector } = await context.getEmbeddingFor(tokens);
          out.push(normalise(vector));
        }
        return out;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
