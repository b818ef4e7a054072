/**
 * An Embedder over any OpenAI-compatible `POST {baseUrl}/embeddings` endpoint (OpenAI, vLLM,
 * llama.cpp server, Ollama, kefu's own server), with fetch: batches of `batchSize` texts, float
 * encoding, results put back in input order by `index`, vectors L2-normalised. The dimension is
 * learnt by embedding one probe text when the embedder is created. HTTP and protocol failures are
 * RuntimeFailures naming the URL. Does not retry.
 */

import type { Embedder } from '../../assistant/contracts.js';
import { RuntimeFailure } from '../../core/errors.js';
import { normalise } from './gguf-embedder.js';

export interface OpenAiEmbedderOptions {
  /** e.g. http://127.0.0.1:8080/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Texts per request. Defaults to 64. */
  batchSize?: number;
  /** Per-request timeout in milliseconds. Defaults to 30000. */
  timeoutMs?: number;
}

interface EmbeddingResponse {
  data?: { index?: number; embedding?: unknown }[];
}

async function request(options: OpenAiEmbedderOptions, input: readonly string[], signal?: AbortSignal) {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: options.model, input, encoding_format: 'float' }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    throw new RuntimeFailure(`cannot reach ${url}: ${(error as Error).message}`, {
      code: 'E_KB_EMBEDDER',
      cause: error,
      hint: 'check knowledge.embedder.url and that the server is running',
    });
  }
  if (!response.ok) {
    const body = (await response.text()).slice(0, 200);
    throw new RuntimeFailure(`${url} answered ${response.status}: ${body}`, {
      code: 'E_KB_EMBEDDER',
      hint: 'check the model name and API key',
    });
  }
  const json = (await response.json()) as EmbeddingResponse;
  const data = json.data;
  if (!Array.isArray(data) || data.length !== input.length) {
    throw new RuntimeFailure(
      `${url} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${input.length} inputs`,
      {
        code: 'E_KB_EMBEDDER',
        hint: 'is this an OpenAI-compatible /v1/embeddings endpoint?',
      },
    );
  }
  const out: Float32Array[] = new Array(input.length);
  data.forEach((item, position) => {
    const index = typeof item.index === 'number' ? item.index : position;
    if (!Array.isArray(item.embedding) || !item.embedding.every((x) => typeof x === 'number')) {
      throw new RuntimeFailure(`${url} returned a non-numeric embedding`, { code: 'E_KB_EMBEDDER' });
    }
    out[index] = normalise(item.embedding as number[]);
  });
  return out;
}

/** Connects, learns the dimension from one probe embedding, and returns the Embedder. */
export async function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const [probe] = await request(options, ['维度探测 probe']);
  const dimensions = probe!.length;
  const batchSize = options.batchSize ?? 64;
  return {
    id: `openai:${options.model}@${options.baseUrl}`,
    dimensions,
    async embed(texts, embedOptions = {}) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = await request(options, texts.slice(i, i + batchSize), embedOptions.signal);
        for (const v of batch) {
          if (v.length !== dimensions) {
            throw new RuntimeFailure(`embedding has ${v.length} dimensions, expected ${dimensions}`, {
              code: 'E_KB_EMBEDDER',
            });
          }
          out.push(v);
        }
      }
      return out;
    },
  };
}
