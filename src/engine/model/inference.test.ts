/**
 * KV-cache decoding against full-sequence logits(), prefill + step, cache rollback, and
 * generate(): greedy equals argmax decoding, stop tokens, maxTokens, onToken, AbortSignal.
 */
import { describe, expect, it } from 'vitest';
import { generate } from './generate.js';
import { KVCache } from './inference.js';
import { argmax } from './sampling.js';
import { maxDiff } from './test-helpers/check.js';
import { tinyModel } from './test-helpers/tiny.js';

const tokens = Int32Array.from([3, 14, 15, 9, 26, 5, 35]);
const V = 37;

describe.each(['llama', 'qwen2'] as const)('KV cache (%s)', (arch) => {
  it('step() at each position matches logits() of the full sequence', () => {
    const model = tinyModel(arch);
    const T = tokens.length;
    const full = model.logits(tokens, T);
    const cache = new KVCache(model.config, T);
    let worst = 0;
    for (let t = 0; t < T; t++) {
      const row = model.step(tokens[t]!, t, cache);
      worst = Math.max(worst, maxDiff(`${arch} step ${t}`, row, full.subarray(t * V, t * V + V)));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(cache.length).toBe(T);
  });

  it('prefill + step and rollback agree with logits()', () => {
    const model = tinyModel(arch);
    const T = tokens.length;
    const full = model.logits(tokens, T);
    const cache = new KVCache(model.config, T);
    const last = model.prefill(tokens.subarray(0, 4), cache);
    expect(maxDiff(`${arch} prefill`, last, full.subarray(3 * V, 4 * V))).toBeLessThan(1e-5);
    model.step(7, 4, cache); // a token we then roll back
    const row = model.step(tokens[4]!, 4, cache);
    expect(maxDiff(`${arch} after rollback`, row, full.subarray(4 * V, 5 * V))).toBeLessThan(1e-5);
    expect(() => model.step(1, 9, cache)).toThrow(/position/);
  });
});

describe('generate', () => {
  const model = tinyModel('qwen2');
  const prompt = [3, 14, 15];

  it('greedy decoding equals repeated argmax of logits()', async () => {
    const out: number[] = [];
    const seen: number[] = [];
    const gen = generate(model, prompt, { maxTokens: 6, onToken: (id) => seen.push(id) });
    for await (const id of gen) out.push(id);
    const seq = [...prompt];
    for (let i = 0; i < 6; i++) {
      const logits = model.logits(Int32Array.from(seq), seq.length);
      seq.push(argmax(logits.subarray((seq.length - 1) * V)));
    }
    expect(out).toEqual(seq.slice(prompt.length));
    expect(seen).toEqual(out);
  });

  it('stops at a stop token and reports why', async () => {
    const first: number[] = [];
    const sampling = { temperature: 2, repetitionPenalty: 5, seed: 3 };
    for await (const id of generate(model, prompt, { maxTokens: 8, sampling })) first.push(id);
    const cut = first.findIndex((id, i) => i > 0 && !first.slice(0, i).includes(id));
    expect(cut).toBeGreaterThan(0);
    const gen = generate(model, prompt, { maxTokens: 10, sampling, stopTokenIds: [first[cut]!] });
    const out: number[] = [];
    let r = await gen.next();
    while (!r.done) {
      out.push(r.value);
      r = await gen.next();
    }
    expect(out).toEqual(first.slice(0, cut));
    expect(r.value).toBe('stop');
  });

  it('is reproducible with a seed and honours AbortSignal', async () => {
    const run = async (seed: number) => {
      const out: number[] = [];
      const sampling = { temperature: 1, topK: 10, topP: 0.9, repetitionPenalty: 1.3, seed };
      for await (const id of generate(model, prompt, { maxTokens: 8, sampling })) out.push(id);
      return out;
    };
    expect(await run(5)).toEqual(await run(5));
    const controller = new AbortController();
    const out: number[] = [];
    const gen = generate(model, prompt, { maxTokens: 50, signal: controller.signal });
    await expect(
      (async () => {
        for await (const id of gen) {
          out.push(id);
          if (out.length === 2) controller.abort();
        }
      })(),
    ).rejects.toThrow(/aborted/);
    expect(out).toHaveLength(2);
  });
});
