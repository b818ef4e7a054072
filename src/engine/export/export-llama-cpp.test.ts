/**
 * THE PROOF that `exportModel` output means in llama.cpp what it means in kefu: a tiny random
 * Llama and Qwen2 (kefu's Transformer, LoRA attached with random non-zero B, BPE tokenizer trained
 * on customer-service sentences) are saved as an HF folder + PEFT adapter, exported, and loaded
 * with node-llama-cpp (CPU, 1 thread, F32 KV cache). Checked against kefu's own engine:
 *   (a) merged model.gguf logits = Transformer.logits (LoRA unmerged) at several positions;
 *   (b) 32 greedy tokens from node-llama-cpp's sequence.evaluate = kefu's generate();
 *   (c) base.gguf + adapter.gguf (scale 1) logits = the same;
 *   and node-llama-cpp's tokenize() = kefu's encode() for Chinese texts and the ChatML prompt.
 * Logits compare as centred log-softmax (= centred logits), error relative to the largest value.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../model/generate.js';
import type { Transformer } from '../model/transformer.js';
import { renderChatMl } from '../tokenizer/index.js';
import { exportModel } from './export-model.js';
import {
  centred,
  centredLogSoftmax,
  relativeError,
  saveFixture,
  serviceTokenizer,
  tinyConfig,
  tinyLoraModel,
} from './test-helpers/fixture.js';

const tok = serviceTokenizer();
const PROMPT = renderChatMl(
  [
    { role: 'system', content: '你是小店的客服。' },
    { role: 'user', content: '您好，请问订单20240370什么时候发货？' },
  ],
  { addGenerationPrompt: true },
);
const promptIds = tok.encode(PROMPT, { allowSpecial: true });
const CHINESE = [
  '您好，请问蓝牙耳机有没有现货？',
  '退款一般三到五个工作日原路退回。',
  '亲，快递单号是SF1234567890，请查收～',
  'The kettle 保温杯 mixed 文本 123 ！',
];

let llama: Llama;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-export-'));
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false });
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function withContext<R>(
  modelPath: string,
  fn: (model: LlamaModel, context: Awaited<ReturnType<LlamaModel['createContext']>>) => Promise<R>,
  loraPath?: string,
): Promise<R> {
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext({
      contextSize: 128,
      threads: 1,
      experimentalKvCacheKeyType: 'F32',
      experimentalKvCacheValueType: 'F32',
      flashAttention: false,
      ...(loraPath ? { lora: { adapters: [{ filePath: loraPath, scale: 1 }] } } : {}),
    });
    try {
      return await fn(model, context);
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/** Centred log-probs after each of `positions` of `tokens`, from llama.cpp. */
async function llamaCppLogProbs(
  modelPath: string,
  tokens: number[],
  positions: number[],
  V: number,
  loraPath?: string,
): Promise<Float64Array[]> {
  return withContext(
    modelPath,
    async (_model, context) => {
      const wanted = new Set(positions);
      const options = { temperature: 1, topK: 0, topP: 1, minP: 0 };
      const input = tokens.map((t, i) =>
        wanted.has(i) ? ([t, { generateNext: { probabilities: true, options } }] as const) : t,
      );
      const out = await context
        .getSequence()
        .controlledEvaluate(
          input as Parameters<ReturnType<typeof context.getSequence>['controlledEvaluate']>[0],
        );
      return positions.map((p) => {
        const probabilities = out[p]?.next.probabilities;
        if (probabilities?.size !== V) throw new Error(`no full distribution at position ${p}`);
        const logp = new Float64Array(V);
        for (const [token, prob] of probabilities) logp[token] = Math.log(prob);
        return centred(logp);
      });
    },
    loraPath,
  );
}

describe.each(['qwen2', 'llama'] as const)('exported %s in node-llama-cpp', (architecture) => {
  const config = { ...tinyConfig(architecture, tok.vocabSize + (architecture === 'qwen2' ? 6 : 0)) };
  config.eos_token_id = tok.eosId!;
  let model: Transformer;
  let out: string;
  let expected: Float64Array[];
  const T = promptIds.length;
  const positions = [2, Math.floor(T / 2), T - 1];

  beforeAll(async () => {
    model = tinyLoraModel(config, architecture === 'qwen2' ? 2 : 23);
    const { modelDir, adapterDir } = await saveFixture(join(dir, architecture), model, tok);
    out = join(dir, architecture, 'export');
    const result = await exportModel({
      model: modelDir,
      adapter: adapterDir,
      outDir: out,
      formats: ['gguf', 'gguf-lora'],
    });
    expect(result.files).toEqual(['adapter.gguf', 'base.gguf', 'model.gguf']);
    expect(result.warnings).toEqual([]);
    const all = centredLogSoftmax(model.logits(Int32Array.from(promptIds), T), config.vocab_size);
    expected = positions.map((p) => all[p]!);
  });

  it('tokenizes Chinese text and the ChatML prompt as kefu does', async () => {
    const m = await llama.loadModel({ modelPath: join(out, 'model.gguf') });
    try {
      for (const text of CHINESE) {
        expect(m.tokenize(text)).toEqual(tok.encode(text));
        expect(m.detokenize(m.tokenize(text))).toBe(text);
      }
      expect(m.tokenize(PROMPT, true)).toEqual(promptIds);
      expect(m.tokens.eos).toBe(tok.eosId);
    } finally {
      await m.dispose();
    }
  });

  it('(a) merged GGUF logits match Transformer.logits at several positions', async () => {
    const got = await llamaCppLogProbs(join(out, 'model.gguf'), promptIds, positions, config.vocab_size);
    const errors = positions.map((_, i) => relativeError(got[i]!, expected[i]!));
    console.log(
      `${architecture} merged GGUF vs kefu (T=${T}, positions ${positions}): relative logit error ` +
        errors.map((e) => e.toExponential(2)).join(', '),
    );
    for (const e of errors) expect(e).toBeLessThan(1e-3);
  });

  it('(b) greedy continuations agree for 32 tokens', async () => {
    const ours: number[] = [];
    for await (const id of generate(model, promptIds, { maxTokens: 32, stopTokenIds: [] })) ours.push(id);
    const theirs = await withContext(join(out, 'model.gguf'), async (_m, context) => {
      const ids: number[] = [];
      for await (const id of context.getSequence().evaluate(promptIds as Token[], { temperature: 0 })) {
        ids.push(id);
        if (ids.length === 32) break;
      }
      return ids;
    });
    const agree = ours.findIndex((id, i) => id !== theirs[i]);
    console.log(
      `${architecture} greedy: ${agree === -1 ? 32 : agree}/32 tokens agree; ` +
        `${new Set(ours).size} distinct: ${JSON.stringify(tok.decode(ours).slice(0, 40))}`,
    );
    expect(theirs).toEqual(ours);
    expect(new Set(ours).size).toBeGreaterThanOrEqual(8); // not a degenerate repeat
  });

  it('(c) base GGUF + LoRA GGUF gives the merged logits', async () => {
    const got = await llamaCppLogProbs(
      join(out, 'base.gguf'),
      promptIds,
      positions,
      config.vocab_size,
      join(out, 'adapter.gguf'),
    );
    const merged = await llamaCppLogProbs(join(out, 'model.gguf'), promptIds, positions, config.vocab_size);
    const noLora = await llamaCppLogProbs(join(out, 'base.gguf'), promptIds, positions, config.vocab_size);
    const errors = positions.map((_, i) => relativeError(got[i]!, expected[i]!));
    const vsMerged = positions.map((_, i) => relativeError(got[i]!, merged[i]!));
    const loraEffect = Math.max(...positions.map((_, i) => relativeError(noLora[i]!, expected[i]!)));
    console.log(
      `${architecture} base+adapter GGUF: vs kefu ${errors.map((e) => e.toExponential(2)).join(', ')}; ` +
        `vs merged GGUF ${vsMerged.map((e) => e.toExponential(2)).join(', ')}; LoRA moves logits by ${loraEffect.toFixed(2)}`,
    );
    expect(loraEffect).toBeGreaterThan(0.05);
    for (const e of [...errors, ...vsMerged]) expect(e).toBeLessThan(1e-3);
  });
});
