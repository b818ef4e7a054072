/**
 * The knowledge base's configuration (`knowledge:` in kefu.yaml): chunking, the embedder, the
 * dense store and fusion. Every field has a default and a description; the lead composes this
 * schema into kefu-config.ts. No I/O.
 */
import { z } from 'zod';

export const knowledgeConfigSchema = z
  .object({
    chunkSize: z
      .number()
      .int()
      .min(50)
      .max(4000)
      .default(300)
      .describe(
        'Target chunk length in characters (a Chinese character counts one); chunks never cross a heading.',
      ),
    chunkOverlap: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(50)
      .describe(
        'Characters repeated from the end of a chunk at the start of the next one in the same section.',
      ),
    embedder: z
      .object({
        kind: z
          .enum(['lsa', 'gguf', 'openai'])
          .default('lsa')
          .describe(
            'lsa: kefu fits its own offline model (character n-grams, TF-IDF, truncated SVD) on the ingested corpus; ' +
              'gguf: a GGUF embedding model through node-llama-cpp; openai: an OpenAI-compatible /v1/embeddings endpoint.',
          ),
        dimensions: z
          .number()
          .int()
          .min(8)
          .max(1024)
          .default(256)
          .describe('Dimensions of the lsa model (gguf and openai take the model’s own).'),
        refitRatio: z
          .number()
          .min(0)
          .max(10)
          .default(0.25)
          .describe(
            'lsa only: re-fit the model (and re-embed every chunk) once the chunks added or replaced since the last fit exceed this share of the corpus.',
          ),
        modelPath: z.string().default('').describe('gguf only: path of the .gguf embedding model file.'),
        url: z.string().default('').describe('openai only: base URL, e.g. http://127.0.0.1:8080/v1.'),
        model: z.string().default('').describe('openai only: the model name sent with each request.'),
        apiKeyEnv: z
          .string()
          .default('OPENAI_API_KEY')
          .describe('openai only: environment variable holding the API key (empty or unset: no key sent).'),
      })
      .strict()
      .prefault({})
      .describe('How chunks and queries become vectors.'),
    store: z
      .object({
        kind: z
          .enum(['sqlite', 'chroma'])
          .default('sqlite')
          .describe(
            'sqlite: vectors in the workspace database, searched in memory; chroma: dense search on a Chroma server ' +
              '(the catalogue and BM25 stay in SQLite).',
          ),
        chromaUrl: z.string().default('http://127.0.0.1:8000').describe('chroma only: the server URL.'),
        collection: z.string().default('kefu-knowledge').describe('chroma only: the collection name.'),
      })
      .strict()
      .prefault({})
      .describe('Where dense search happens.'),
    rrfK: z
      .number()
      .int()
      .min(1)
      .default(60)
      .describe(
        'Reciprocal rank fusion constant k: a passage scores Σ 1 / (k + rank) over BM25 and dense lists.',
      ),
    candidates: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(50)
      .describe('How many candidates each of BM25 and dense search contributes to hybrid fusion.'),
    denseWeight: z
      .number()
      .min(0)
      .max(10)
      .default(0.3)
      .describe(
        'Weight of the dense list in hybrid fusion (BM25 counts 1): 1 / (k + rank) × this weight. ' +
          '0.3 was best on a development split (another sample shop): dense mostly breaks ties and fills in.',
      ),
    queryExpansion: z
      .boolean()
      .default(true)
      .describe(
        'Add customer-service synonyms to queries ("坏了" → 质量问题, "退钱" → 退款; see src/knowledge/query-expansion.ts).',
      ),
  })
  .strict();

export type KnowledgeConfig = z.infer<typeof knowledgeConfigSchema>;
