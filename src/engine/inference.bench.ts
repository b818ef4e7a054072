/**
 * Benchmark of kefu's inference engine against llama.cpp (node-llama-cpp 3.21.1, CPU) on the same
 * model: a random Qwen2 (V=4000, C=256, L=4, H=8, KV=4, FF=704; --quick: V=2000, C=128, L=2, H=4,
 * KV=2, FF=352) with a BPE tokenizer trained on the sample shop's texts, saved as an HF folder and
 * exported with `exportModel` to an F32 GGUF. Both run a ChatML prompt (128 tokens; --quick 64)
 * then greedily decode 128 new tokens (--quick 32):
 *   kefu: `prefill` + `step` with a KVCache, argmax, default kernels (OpenBLAS, KEFU_BLAS_THREADS
 *         or 2 threads; float32 KV cache);
 *   llama.cpp: `sequence.evaluate(prompt, { temperature: 0 })` (its default F16 KV cache), with
 *         threads 1 and 2; the better is the reference and the notes say which.
 * Reports decode tokens/s and prefill tokens/s (median of 3 runs after a warm-up), and notes how
 * many greedy tokens agree. Does not measure sampling settings, batching or quantized models.
 */
import { join } from 'node:path';
import { getLlama, LlamaLogLevel, type Token } from 'node-llama-cpp';
import type { Benchmark, Measurement } from '../bench/benchmark.js';
import type { ModelConfig } from './contracts.js';
import { exportModel } from './export/export-model.js';
import { saveHfCheckpoint } from './formats/hf-checkpoint.js';
import { getKernels } from './kernels/index.js';
import { KVCache } from './model/inference.js';
import { argmax } from './model/sampling.js';
import { Transformer } from './model/transformer.js';
import { renderChatMl, saveTokenizerConfig, saveTokenizerJson, trainBpe } from './tokenizer/index.js';
import { sampleShopTexts } from './tokenizer/testing.js';

interface Timing {
  prefillMs: number;
  decodeMs: number;
  tokens: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Warm-up, then `runs` runs; the median prefill and decode times. */
async function repeat(runs: number, once: () => Promise<Timing>): Promise<Timing> {
  await once();
  const all: Timing[] = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  return {
    prefillMs: median(all.map((t) => t.prefillMs)),
    decodeMs: median(all.map((t) => t.decodeMs)),
    tokens: all[0]!.tokens,
  };
}

function leadingAgreement(a: number[], b: number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export const inferenceBenchmark: Benchmark = {
  id: 'engine.inference',
  title: 'Greedy decode and prefill tokens/s: kefu engine vs llama.cpp on the same exported GGUF',
  async run({ scratchDir, quick, log }) {
    const size = quick
      ? { V: 2000, C: 128, L: 2, H: 4, KV: 2, FF: 352, prompt: 64, decode: 32 }
      : { V: 4000, C: 256, L: 4, H: 8, KV: 4, FF: 704, prompt: 128, decode: 128 };
    const texts = sampleShopTexts(quick ? 0.02 : 0.05);
    const tok = trainBpe(texts, {
      vocabSize: size.V,
      specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
    });
    const config: ModelConfig = {
      architecture: 'qwen2',
      vocab_size: size.V,
      hidden_size: size.C,
      intermediate_size: size.FF,
      num_hidden_layers: size.L,
      num_attention_heads: size.H,
      num_key_value_heads: size.KV,
      max_position_embeddings: 1024,
      rms_norm_eps: 1e-6,
      rope_theta: 1_000_000,
      tie_word_embeddings: true,
      attention_bias: true,
      eos_token_id: tok.eosId!,
    };
    const kernels = getKernels();
    const model = Transformer.random(config, 1, { kernels });
    const params = model.parameters().reduce((n, p) => n + p.data.length, 0);
    const modelDir = join(scratchDir, 'model');
    await saveTokenizerJson(tok, join(scratchDir, 'tokenizer.json'));
    await saveTokenizerConfig(tok, join(scratchDir, 'tokenizer_config.json'));
    await saveHfCheckpoint(modelDir, config, new Map(model.parameters().map((p) => [p.name, p.data])), {
      tokenizerFiles: [join(scratchDir, 'tokenizer.json'), join(scratchDir, 'tokenizer_config.json')],
    });
    await exportModel({ model: modelDir, outDir: join(scratchDir, 'export'), formats: ['gguf'] });
    const ggufPath = join(scratchDir, 'export', 'model.gguf');

    const long = texts.slice(0, 40).join('\n');
    const chat = (n: number) =>
      tok.encode(renderChatMl([{ role: 'user', content: long.slice(0, n) }], { addGenerationPrompt: true }), {
        allowSpecial: true,
      });
    let chars = size.prompt;
    while (chat(chars).length < size.prompt && chars < long.length) chars += 16;
    const prompt = chat(chars).slice(-size.prompt);
    const N = size.decode;
    log(`${params.toLocaleString('en')} parameters, prompt ${prompt.length} tokens, ${N} new tokens`);

    // llama.cpp first: OpenBLAS worker threads keep spinning for a while after kefu's calls.
    const llama = await getLlama({
      gpu: false,
      build: 'never',
      logLevel: LlamaLogLevel.error,
      progressLogs: false,
    });
    const theirs = new Map<number, Timing>();
    try {
      const gguf = await llama.loadModel({ modelPath: ggufPath });
      try {
        for (const threads of [1, 2]) {
          const context = await gguf.createContext({ contextSize: 512, batchSize: 512, threads });
          try {
            const sequence = context.getSequence();
            theirs.set(
              threads,
              await repeat(3, async () => {
                await sequence.clearHistory();
                const tokens: number[] = [];
                let prefillMs = 0;
                const t0 = performance.now();
                for await (const id of sequence.evaluate(prompt as Token[], { temperature: 0 })) {
                  if (tokens.length === 0) prefillMs = performance.now() - t0;
                  tokens.push(id);
                  if (tokens.length === N + 1) break;
                }
                return {
                  prefillMs,
                  decodeMs: performance.now() - t0 - prefillMs,
                  tokens: tokens.slice(0, N),
                };
              }),
            );
          } finally {
            await context.dispose();
          }
        }
      } finally {
        await gguf.dispose();
      }
    } finally {
      await llama.dispose();
    }

    const ours = await repeat(3, async () => {
      const cache = new KVCache(config, prompt.length + N + 1);
      const tokens: number[] = [];
      let t0 = performance.now();
      let next = argmax(model.prefill(Int32Array.from(prompt), cache));
      const prefillMs = performance.now() - t0;
      t0 = performance.now();
      for (let i = 0; i < N; i++) {
        tokens.push(next);
        next = argmax(model.step(next, cache.length, cache));
      }
      return { prefillMs, decodeMs: performance.now() - t0, tokens };
    });

    const rate = (t: Timing) => ({
      decode: N / (t.decodeMs / 1000),
      prefill: prompt.length / (t.prefillMs / 1000),
    });
    const kefu = rate(ours);
    const one = rate(theirs.get(1)!);
    const two = rate(theirs.get(2)!);
    const best = (key: 'decode' | 'prefill') =>
      two[key] >= one[key] ? { t: 2, v: two[key] } : { t: 1, v: one[key] };
    const agree = leadingAgreement(ours.tokens, theirs.get(1)!.tokens);
    const shape = `qwen2 V=${size.V} C=${size.C} L=${size.L} H=${size.H} KV=${size.KV} FF=${size.FF}, ${(params / 1e6).toFixed(1)}M params, F32 GGUF`;
    const measure = (key: 'decode' | 'prefill', name: string, extra: string): Measurement => {
      const b = best(key);
      return {
        name,
        value: kefu[key],
        unit: 'tokens/s',
        higherIsBetter: true,
        reference: {
          name: `llama.cpp (node-llama-cpp 3.21.1), ${b.t} thread${b.t > 1 ? 's' : ''}`,
          value: b.v,
        },
        notes:
          `${shape}; ${extra}; kefu ${kernels.name}; llama.cpp 1 thread ${one[key].toFixed(0)}, ` +
          `2 threads ${two[key].toFixed(0)} tokens/s (default F16 KV cache)`,
      };
    };
    return [
      measure('decode', `greedy decode, ${N} new tokens`, `greedy ids agree for the first ${agree}/${N}`),
      measure('prefill', `prefill, ${prompt.length}-token prompt`, 'time to the first new token'),
    ];
  },
};
