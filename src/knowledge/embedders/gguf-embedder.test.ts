/**
 * The GGUF embedder against a real model: kefu's committed base model (assets/base-model, a tiny
 * Qwen2) is exported to GGUF the way `kefu export --format gguf` does and embedded through
 * node-llama-cpp (CPU, one thread). Checks the dimensions (the model's hidden size), unit length,
 * determinism across calls, that different texts get different vectors, and the missing-file error.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../engine/export/export-model.js';
import { createGgufEmbedder, type GgufEmbedder } from './gguf-embedder.js';

const BASE_MODEL = new URL('../../../assets/base-model', import.meta.url).pathname;
const hiddenSize = (
  JSON.parse(readFileSync(join(BASE_MODEL, 'config.json'), 'utf8')) as { hidden_size: number }
).hidden_size;

let dir: string;
let embedder: GgufEmbedder;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-gguf-embed-'));
  await exportModel({ model: BASE_MODEL, outDir: dir, formats: ['gguf'] });
  embedder = await createGgufEmbedder({ modelPath: join(dir, 'model.gguf'), contextSize: 128, threads: 1 });
}, 60_000);

afterAll(async () => {
  await embedder?.close();
  await rm(dir, { recursive: true, force: true });
});

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('GGUF embedder (node-llama-cpp, kefu base model)', () => {
  it('gives unit vectors of the model’s hidden size, the same on every call', async () => {
    expect(embedder.id).toBe('gguf:model.gguf');
    expect(embedder.dimensions).toBe(hiddenSize);
    const texts = ['退货运费谁承担？', '蓝牙耳机怎么配对', 'SF1234567890 物流到哪了'];
    const first = await embedder.embed(texts);
    expect(first).toHaveLength(3);
    for (const v of first) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(hiddenSize);
      expect(norm(v)).toBeCloseTo(1, 4);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    const again = await embedder.embed([texts[1]!, texts[0]!]);
    expect([...again[0]!]).toEqual([...first[1]!]);
    expect([...again[1]!]).toEqual([...first[0]!]);
    expect(dot(first[0]!, first[1]!)).toBeLessThan(0.9999);
  });

  it('a missing model file is a NotFoundError with a hint', async () => {
    await expect(createGgufEmbedder({ modelPath: join(dir, 'nope.gguf') })).rejects.toMatchObject({
      name: 'NotFoundError',
      hint: expect.stringContaining('gguf'),
    });
  });
});
