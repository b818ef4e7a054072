/**
 * Proof that exported GGUF files mean what kefu means: a tiny random model is exported, loaded
 * with node-llama-cpp (llama.cpp, CPU, 1 thread), and its next-token distribution after a token
 * sequence is compared with the float64 reference forward pass. Compared as centred log-probs
 * (log-softmax minus its mean, which equals centred logits), error relative to the largest value.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../contracts.js';
import { exportGguf, exportLoraGguf } from './gguf-export.js';
import {
  mergeLora,
  randomLora,
  randomWeights,
  referenceForward,
  rng,
  tinyByteTokenizer,
} from './test-helpers/reference-llama.js';

const tokenizer = tinyByteTokenizer();

function tinyConfig(architecture: 'llama' | 'qwen2', vocab: number): ModelConfig {
  return {
    architecture,
    vocab_size: vocab,
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 128,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: architecture === 'qwen2',
    attention_bias: architecture === 'qwen2',
  };
}

let llama: Llama;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-gguf-'));
  try {
    llama = await getLlama({
      gpu: false,
      build: 'never',
      logLevel: LlamaLogLevel.error,
      progressLogs: false,
    });
  } catch (error) {
    throw new Error(`node-llama-cpp could not start its prebuilt CPU binary: ${String(error)}`);
  }
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Centred log-probs of the next token after `tokens`, from llama.cpp. */
async function llamaCppLogProbs(
  modelPath: string,
  tokens: number[],
  vocab: number,
  loraPath?: string,
): Promise<Float64Array> {
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext({
      contextSize: 64,
      threads: 1,
      // The default F16 KV cache alone costs ~1e-3 relative error; F32 isolates the format.
      experimentalKvCacheKeyType: 'F32',
      experimentalKvCacheValueType: 'F32',
      flashAttention: false,
      ...(loraPath ? { lora: { adapters: [{ filePath: loraPath, scale: 1 }] } } : {}),
    });
    const sequence = context.getSequence();
    const input = tokens.map((t, i) =>
      i === tokens.length - 1
        ? ([
            t,
            { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } },
          ] as const)
        : t,
    );
    const [, ...rest] = await sequence.controlledEvaluate(
      input as Parameters<typeof sequence.controlledEvaluate>[0],
    );
    const probabilities = rest.at(-1)?.next.probabilities;
    await context.dispose();
    if (!probabilities) throw new Error('node-llama-cpp returned no probabilities');
    expect(probabilities.size).toBe(vocab);
    const logp = new Float64Array(vocab);
    for (const [token, p] of probabilities) logp[token] = Math.log(p);
    return centred(logp);
  } finally {
    await model.dispose();
  }
}

function centred(v: Float64Array): Float64Array {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.map((x) => x - mean);
}

function relativeError(actual: Float64Array, expected: Float64Array): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    maxRef = Math.max(maxRef, Math.abs(expected[i]!));
  }
  return maxDiff / maxRef;
}

function randomTokens(n: number, vocab: number, seed: number): number[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => Math.floor(random() * vocab));
}

describe.each([
  ['llama', tokenizer.tokens.length],
  ['qwen2', tokenizer.tokens.length + 8],
] as const)('GGUF %s export in node-llama-cpp', (architecture, vocab) => {
  const config = tinyConfig(architecture, vocab);
  const weights = randomWeights(config, 7);
  const tokens = randomTokens(12, tokenizer.tokens.length, 3);

  it('gives the reference logits', async () => {
    const path = join(dir, `${architecture}.gguf`);
    await exportGguf(path, { config, weights, tokenizer, chatTemplate: '{{ messages }}' });
    const reference = referenceForward(config, weights, tokens).at(-1)!;
    const refLogp = centred(reference);
    const got = await llamaCppLogProbs(path, tokens, vocab);
    const error = relativeError(got, refLogp);
    console.log(`${architecture} base: max relative logit error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
  });

  it('carries the byte-level tokenizer and F16 weights', async () => {
    const path = join(dir, `${architecture}-f16.gguf`);
    await exportGguf(path, { config, weights, tokenizer, fileType: 'F16' });
    const model = await llama.loadModel({ modelPath: path });
    try {
      const theId = tokenizer.tokens.indexOf('Ġthe');
      expect(model.tokenize(' the in')).toEqual([
        theId,
        tokenizer.tokens.indexOf('Ġ'),
        tokenizer.tokens.indexOf('in'),
      ]);
      expect(model.detokenize(model.tokenize('héllo, 世界\n'))).toBe('héllo, 世界\n');
      expect(model.tokens.eos).toBe(tokenizer.eos_token_id);
    } finally {
      await model.dispose();
    }
    const reference = centred(referenceForward(config, weights, tokens).at(-1)!);
    const error = relativeError(await llamaCppLogProbs(path, tokens, vocab), reference);
    console.log(`${architecture} F16: max relative logit error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-2);
  });

  it('applies a LoRA GGUF like the merged reference', async () => {
    const rank = 4;
    const alpha = 8;
    const modules = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
    const lora = randomLora(config, rank, modules, 11);
    const basePath = join(dir, `${architecture}-base.gguf`);
    const loraPath = join(dir, `${architecture}-lora.gguf`);
    await exportGguf(basePath, { config, weights, tokenizer });
    await exportLoraGguf(loraPath, { config, lora, alpha, rank });
    const merged = mergeLora(weights, lora, alpha, rank);
    const refLogp = centred(referenceForward(config, merged, tokens).at(-1)!);
    const baseLogp = centred(referenceForward(config, weights, tokens).at(-1)!);
    expect(relativeError(baseLogp, refLogp)).toBeGreaterThan(0.05);
    const got = await llamaCppLogProbs(basePath, tokens, vocab, loraPath);
    const error = relativeError(got, refLogp);
    console.log(`${architecture} + LoRA: max relative logit error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-5);
  });
});
