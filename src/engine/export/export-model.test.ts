/**
 * `exportModel` without llama.cpp: the folders and files it writes, that merged/ reloads into a
 * Transformer giving the LoRA model's logits, that adapter/ and the GGUF metadata round-trip, and
 * that bad inputs are InputErrors naming the file and field with nothing left behind.
 * (export-llama-cpp.test.ts proves the GGUF files in llama.cpp.)
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../core/errors.js';
import { readGguf } from '../formats/gguf-reader.js';
import { loadHfCheckpoint } from '../formats/hf-checkpoint.js';
import { loadPeftAdapter } from '../formats/peft.js';
import { getKernels } from '../kernels/index.js';
import { Transformer } from '../model/transformer.js';
import { CHATML_TEMPLATE, loadTokenizerJson } from '../tokenizer/index.js';
import { exportModel } from './export-model.js';
import {
  centredLogSoftmax,
  relativeError,
  saveFixture,
  serviceTokenizer,
  splitWeights,
  tinyConfig,
  tinyLoraModel,
} from './test-helpers/fixture.js';

const tok = serviceTokenizer();
const config = tinyConfig('qwen2', tok.vocabSize);
config.eos_token_id = tok.eosId!;
const model = tinyLoraModel(config, 5);
let dir: string;
let modelDir: string;
let adapterDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-export-model-'));
  ({ modelDir, adapterDir } = await saveFixture(dir, model, tok));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportModel', () => {
  it('writes merged/, adapter/ and the GGUF files; merged/ is the LoRA model', async () => {
    const outDir = join(dir, 'all');
    const result = await exportModel({
      model: modelDir,
      adapter: adapterDir,
      outDir,
      formats: ['hf-merged', 'peft', 'gguf', 'gguf-lora'],
    });
    expect(result.merged).toBe(true);
    expect(result.files).toEqual([
      'adapter.gguf',
      'adapter/adapter_config.json',
      'adapter/adapter_model.safetensors',
      'adapter/tokenizer.json',
      'adapter/tokenizer_config.json',
      'base.gguf',
      'merged/config.json',
      'merged/model.safetensors',
      'merged/tokenizer.json',
      'merged/tokenizer_config.json',
      'model.gguf',
    ]);
    expect((await readdir(dir)).filter((f) => f.includes('staging'))).toEqual([]);

    const tokens = Int32Array.from(tok.encode('您好，请问保温杯有没有现货？'));
    const T = tokens.length;
    const want = centredLogSoftmax(model.logits(tokens, T), config.vocab_size);
    const merged = await loadHfCheckpoint(join(outDir, 'merged'));
    expect(merged.config).toEqual(config);
    const reloaded = new Transformer(merged.config, merged.weights, { kernels: getKernels() });
    const got = centredLogSoftmax(reloaded.logits(tokens, T), config.vocab_size);
    const base = centredLogSoftmax(
      new Transformer(config, splitWeights(model).base, { kernels: getKernels() }).logits(tokens, T),
      config.vocab_size,
    );
    for (let t = 0; t < T; t++) {
      expect(relativeError(got[t]!, want[t]!)).toBeLessThan(1e-5);
    }
    expect(relativeError(base[T - 1]!, want[T - 1]!)).toBeGreaterThan(0.05);
    const mergedTok = await loadTokenizerJson(join(outDir, 'merged'));
    expect(mergedTok.encode('退款什么时候到账？')).toEqual(tok.encode('退款什么时候到账？'));
    expect(mergedTok.eosId).toBe(tok.eosId);

    const adapter = await loadPeftAdapter(join(outDir, 'adapter'));
    const { lora } = splitWeights(model);
    expect([...adapter.lora.keys()].sort()).toEqual([...lora.keys()].sort());
    for (const [name, data] of lora) expect(adapter.lora.get(name)).toEqual(data);

    const gguf = await readGguf(join(outDir, 'model.gguf'));
    expect(gguf.kv.get('tokenizer.chat_template')?.value).toBe(CHATML_TEMPLATE);
    expect(gguf.kv.get('tokenizer.ggml.pre')?.value).toBe('qwen2');
    expect(gguf.kv.get('general.file_type')?.value).toBe(0);
    expect(gguf.tensors.get('blk.0.attn_q.weight')?.ggmlType).toBe(0);
    expect((await readGguf(join(outDir, 'adapter.gguf'))).kv.get('adapter.lora.alpha')?.value).toBe(8);
  });

  it('without an adapter exports the base; F16 matrices on request; reruns replace files', async () => {
    const outDir = join(dir, 'base-only');
    for (let run = 0; run < 2; run++) {
      const result = await exportModel({ model: modelDir, outDir, formats: ['gguf'], ggufType: 'F16' });
      expect(result).toMatchObject({ merged: false, files: ['model.gguf'], warnings: [] });
    }
    const gguf = await readGguf(join(outDir, 'model.gguf'));
    expect(gguf.kv.get('general.file_type')?.value).toBe(1);
    expect(gguf.tensors.get('blk.0.attn_q.weight')?.ggmlType).toBe(1);
    expect(gguf.tensors.get('blk.0.attn_q.bias')?.ggmlType).toBe(0);
  });

  it('rejects bad inputs with the file and field, writing nothing', async () => {
    const outDir = join(dir, 'never');
    const fail = (options: Partial<Parameters<typeof exportModel>[0]>) =>
      exportModel({ model: modelDir, outDir, formats: ['gguf'], ...options });
    await expect(fail({ formats: ['gguf-lora'] })).rejects.toThrow(UsageError);
    await expect(fail({ formats: [] })).rejects.toThrow(UsageError);
    await expect(fail({ model: join(dir, 'nope') })).rejects.toThrow(/nope\/config\.json/);

    // An adapter trained on another model size.
    const other = tinyLoraModel({ ...config, intermediate_size: 96 }, 9);
    const otherDirs = await saveFixture(join(dir, 'other'), other, tok);
    const wrong = fail({ adapter: otherDirs.adapterDir });
    await expect(wrong).rejects.toThrow(InputError);
    await expect(wrong).rejects.toThrow(/adapter_model\.safetensors: model\.layers\.0\.mlp\.\w+_proj\.lora_/);

    // No tokenizer anywhere.
    const bare = join(dir, 'bare');
    await cp(modelDir, bare, { recursive: true });
    await rm(join(bare, 'tokenizer.json'));
    await expect(fail({ model: bare })).rejects.toThrow(/bare\/tokenizer\.json/);

    // A tokenizer larger than the embedding.
    const small = tinyLoraModel(tinyConfig('llama', 300), 4);
    const smallDirs = await saveFixture(join(dir, 'small'), small, tok);
    await expect(fail({ model: smallDirs.modelDir })).rejects.toThrow(/tokenizer\.json: model\.vocab/);

    await expect(readdir(outDir)).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.includes('staging'))).toEqual([]);
  });
});
