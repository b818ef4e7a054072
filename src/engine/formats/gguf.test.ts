import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { ModelConfig } from '../contracts.js';
import { GgmlType, GgufType, gguf, writeGguf } from './gguf.js';
import { exportGguf, exportLoraGguf, ggufTensorName, permuteRows } from './gguf-export.js';
import { ggufValue, readGguf, readGgufTensor } from './gguf-reader.js';
import { randomLora, randomWeights, tinyByteTokenizer } from './test-helpers/reference-llama.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Sizes are multiples of 32 bytes, so the file ends exactly where the last tensor's data ends.
const matrix = Float32Array.from({ length: 16 * 8 }, (_, i) => Math.sin(i));
const vector = Float32Array.from({ length: 16 }, (_, i) => i / 7);
const kv = new Map([
  ['general.architecture', gguf.str('llama')],
  ['general.alignment', gguf.u32(32)],
  ['some.i32', gguf.i32(-5)],
  ['some.f32', gguf.f32(0.25)],
  ['some.bool', gguf.bool(true)],
  ['some.u64', { type: GgufType.UINT64, value: 2n ** 40n } as const],
  ['some.f64', { type: GgufType.FLOAT64, value: Math.PI } as const],
  ['some.strings', gguf.array(GgufType.STRING, ['a', 'Ġb', '中文'])],
  ['some.ints', gguf.array(GgufType.INT32, [1, -2, 3])],
  ['some.floats', gguf.array(GgufType.FLOAT32, [0.5, -1.5])],
]);

describe('gguf', () => {
  it('round-trips metadata and F32 / F16 tensors with ggml dim order', async () => {
    const path = join(dir, 'rt.gguf');
    await writeGguf(path, kv, [
      { name: 'm', shape: [16, 8], data: matrix },
      { name: 'h', shape: [16], data: vector, type: 'F16' },
    ]);
    const file = await readGguf(path);
    expect(file.version).toBe(3);
    for (const [key, value] of kv) expect(file.kv.get(key)).toEqual(value);
    expect(ggufValue(file, 'some.strings')).toEqual(['a', 'Ġb', '中文']);
    const m = file.tensors.get('m')!;
    expect(m.ne).toEqual([8, 16]);
    expect(m.shape).toEqual([16, 8]);
    expect(m.ggmlType).toBe(GgmlType.F32);
    expect(m.offset % 32).toBe(0);
    expect(await readGgufTensor(file, 'm')).toEqual(matrix);
    expect(file.tensors.get('h')!.ggmlType).toBe(GgmlType.F16);
    const h = await readGgufTensor(file, 'h');
    for (let i = 0; i < 16; i++) expect(h[i]).toBeCloseTo(vector[i]!, 3);
    await expect(readGgufTensor(file, 'nope')).rejects.toBeInstanceOf(InputError);
  });

  it('gives an InputError naming the file for a file cut at any byte', async () => {
    const path = join(dir, 'full.gguf');
    await writeGguf(path, kv, [
      { name: 'm', shape: [16, 8], data: matrix },
      { name: 'v', shape: [16], data: vector },
    ]);
    const full = await readFile(path);
    const cut = join(dir, 'cut.gguf');
    const dataStart = (await readGguf(path)).dataOffset;
    // Every byte of the header; every 7th of the tensor data (enough to cross both tensors).
    for (let length = 0; length < full.length; length += length < dataStart ? 1 : 7) {
      await writeFile(cut, full.subarray(0, length));
      const error = await readGguf(cut).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `cut at ${length}`).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(cut);
    }
  });

  it('rejects bad magic, version, counts and alignment', async () => {
    const path = join(dir, 'rt.gguf');
    await writeGguf(path, kv, [{ name: 'm', shape: [16, 8], data: matrix }]);
    const good = await readFile(path);
    const bad = join(dir, 'bad.gguf');
    const patch = async (at: number, bytes: number[], pattern: RegExp) => {
      const copy = Buffer.from(good);
      copy.set(bytes, at);
      await writeFile(bad, copy);
      await expect(readGguf(bad)).rejects.toThrow(pattern);
    };
    await patch(0, [0x47, 0x47, 0x4d, 0x4c], /bad magic/);
    await patch(4, [9, 0, 0, 0], /version 9/);
    await patch(8, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0], /count/);
    await patch(24, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0], /string of|runs past/);
    await expect(writeGguf(bad, [['general.alignment', gguf.u32(12)]], [])).rejects.toThrow(/alignment/);
    await expect(writeGguf(bad, [], [{ name: 'x', shape: [3], data: new Float32Array(2) }])).rejects.toThrow(
      /does not fit/,
    );
  });
});

const config: ModelConfig = {
  architecture: 'llama',
  vocab_size: 264,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: false,
  attention_bias: false,
};

describe('gguf export', () => {
  it('permutes rows like convert_hf_to_gguf.py permute()', () => {
    // numpy: w.reshape(n_head, 2, hd/2, cols).swapaxes(1, 2).reshape(w.shape), n_head 2, hd 4, cols 1
    expect([...permuteRows(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 8, 2)]).toEqual([
      0, 2, 1, 3, 4, 6, 5, 7,
    ]);
  });

  it('maps HF names onto llama.cpp names', () => {
    expect(ggufTensorName('model.layers.3.self_attn.o_proj.weight')).toBe('blk.3.attn_output.weight');
    expect(ggufTensorName('model.layers.0.self_attn.q_proj.bias')).toBe('blk.0.attn_q.bias');
    expect(ggufTensorName('model.layers.1.mlp.down_proj.weight')).toBe('blk.1.ffn_down.weight');
    expect(ggufTensorName('lm_head.weight')).toBe('output.weight');
    expect(ggufTensorName('model.rotary_emb.inv_freq')).toBeUndefined();
  });

  it('writes the hyper-parameters, tokenizer and permuted q/k a reader gets back', async () => {
    const weights = randomWeights(config, 1);
    const path = join(dir, 'model.gguf');
    await exportGguf(path, {
      config,
      weights,
      tokenizer: tinyByteTokenizer(),
      chatTemplate: 'T',
      fileType: 'F16',
    });
    const file = await readGguf(path);
    expect(ggufValue(file, 'general.architecture')).toBe('llama');
    expect(ggufValue(file, 'llama.attention.head_count_kv')).toBe(2);
    expect(ggufValue(file, 'llama.rope.dimension_count')).toBe(8);
    expect(ggufValue(file, 'tokenizer.chat_template')).toBe('T');
    expect((ggufValue(file, 'tokenizer.ggml.tokens') as string[]).length).toBe(264);
    expect(file.tensors.size).toBe(2 * 9 + 3);
    expect(file.tensors.get('blk.0.attn_norm.weight')!.ggmlType).toBe(GgmlType.F32);
    expect(file.tensors.get('blk.0.attn_k.weight')!.ne).toEqual([32, 16]);
    const k = await readGgufTensor(file, 'blk.1.attn_k.weight');
    const expected = permuteRows(weights.get('model.layers.1.self_attn.k_proj.weight')!, 16, 2);
    for (let i = 0; i < k.length; i += 37) expect(k[i]).toBeCloseTo(expected[i]!, 2);
    await expect(
      exportGguf(path, { config: { ...config, vocab_size: 10 }, weights, tokenizer: tinyByteTokenizer() }),
    ).rejects.toThrow(/264 tokens/);
    weights.delete('model.norm.weight');
    await expect(exportGguf(path, { config, weights, tokenizer: tinyByteTokenizer() })).rejects.toThrow(
      /model\.norm/,
    );
  });

  it('writes a LoRA adapter with lora_a [r, in] and lora_b [out, r]', async () => {
    const lora = randomLora(config, 4, ['q_proj', 'down_proj'], 2);
    const path = join(dir, 'lora.gguf');
    await exportLoraGguf(path, { config, lora, alpha: 8, rank: 4 });
    const file = await readGguf(path);
    expect(ggufValue(file, 'general.type')).toBe('adapter');
    expect(ggufValue(file, 'adapter.type')).toBe('lora');
    expect(ggufValue(file, 'adapter.lora.alpha')).toBe(8);
    expect(file.tensors.get('blk.0.attn_q.weight.lora_a')!.ne).toEqual([32, 4]);
    expect(file.tensors.get('blk.0.attn_q.weight.lora_b')!.ne).toEqual([4, 32]);
    expect(file.tensors.get('blk.1.ffn_down.weight.lora_a')!.ne).toEqual([64, 4]);
    expect(await readGgufTensor(file, 'blk.1.ffn_down.weight.lora_b')).toEqual(
      lora.get('model.layers.1.mlp.down_proj.lora_B.weight'),
    );
    expect(await readGgufTensor(file, 'blk.1.attn_q.weight.lora_a')).toEqual(
      lora.get('model.layers.1.self_attn.q_proj.lora_A.weight'),
    );
    lora.delete('model.layers.0.self_attn.q_proj.lora_B.weight');
    await expect(exportLoraGguf(path, { config, lora, alpha: 8, rank: 4 })).rejects.toThrow(/lora_B/);
  });
});
