import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { LoraConfig, ModelConfig } from '../contracts.js';
import { expectedWeightShapes, loadHfCheckpoint, parseHfConfig, saveHfCheckpoint } from './hf-checkpoint.js';
import { loadPeftAdapter, savePeftAdapter } from './peft.js';
import { readSafetensorsHeader, writeSafetensors } from './safetensors.js';
import { randomLora, randomWeights } from './test-helpers/reference-llama.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-hf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const llama: ModelConfig = {
  architecture: 'llama',
  vocab_size: 40,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-6,
  rope_theta: 500000,
  tie_word_embeddings: false,
  attention_bias: false,
  bos_token_id: 1,
  eos_token_id: 2,
};
const qwen2: ModelConfig = {
  ...llama,
  architecture: 'qwen2',
  tie_word_embeddings: true,
  attention_bias: true,
};

describe('HF checkpoint folders', () => {
  it.each([
    ['llama', llama],
    ['qwen2', qwen2],
  ] as const)('round-trip a %s model with its tokenizer files', async (name, config) => {
    const weights = randomWeights(config, 5);
    const tokenizerJson = join(dir, 'tokenizer.json');
    await writeFile(tokenizerJson, '{"model": {}}');
    const out = join(dir, name);
    await saveHfCheckpoint(out, config, weights, { tokenizerFiles: [tokenizerJson] });
    expect((await readdir(out)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    const json = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    expect(json.architectures).toEqual([name === 'llama' ? 'LlamaForCausalLM' : 'Qwen2ForCausalLM']);
    expect(json.model_type).toBe(name);
    expect(json.torch_dtype).toBe('float32');
    const loaded = await loadHfCheckpoint(out);
    expect(loaded.config).toEqual(config);
    expect(loaded.tokenizerJsonPath).toBe(join(out, 'tokenizer.json'));
    expect([...loaded.weights.keys()].sort()).toEqual([...weights.keys()].sort());
    for (const [key, value] of weights) expect(loaded.weights.get(key)).toEqual(value);
    expect(loaded.weights.has('lm_head.weight')).toBe(!config.tie_word_embeddings);
  });

  it('reads shards, ignores extra buffers and names missing or misshapen weights', async () => {
    const weights = randomWeights(llama, 6);
    const out = join(dir, 'sharded');
    await mkdir(out, { recursive: true });
    await writeFile(
      join(out, 'config.json'),
      JSON.stringify({ ...JSON.parse(JSON.stringify(llama)), architectures: ['LlamaForCausalLM'] }),
    );
    const shapes = [...expectedWeightShapes(llama)];
    const tensors = shapes.map(([name, shape]) => ({ name, shape, data: weights.get(name)! }));
    const half = Math.floor(tensors.length / 2);
    await writeSafetensors(join(out, 'a.safetensors'), [
      ...tensors.slice(0, half),
      { name: 'model.layers.0.self_attn.rotary_emb.inv_freq', shape: [2], data: new Float32Array(2) },
    ]);
    await writeSafetensors(join(out, 'b.safetensors'), tensors.slice(half));
    const weightMap = Object.fromEntries(
      tensors.map((t, i) => [t.name, i < half ? 'a.safetensors' : 'b.safetensors']),
    );
    await writeFile(join(out, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
    const loaded = await loadHfCheckpoint(out);
    expect(loaded.weights.get('lm_head.weight')).toEqual(weights.get('lm_head.weight'));
    expect(loaded.tokenizerJsonPath).toBeUndefined();

    const last = tensors.at(-1)!;
    await writeSafetensors(join(out, 'b.safetensors'), [
      ...tensors.slice(half, -1),
      { ...last, shape: [last.data.length] },
    ]);
    await expect(loadHfCheckpoint(out)).rejects.toThrow(new RegExp(`"${last.name}" has shape`));
    await writeSafetensors(join(out, 'b.safetensors'), tensors.slice(half, -1));
    delete weightMap[last.name];
    await writeFile(join(out, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
    await expect(loadHfCheckpoint(out)).rejects.toThrow(new RegExp(`missing weight "${last.name}"`));
  });

  it('explains bad config.json fields', () => {
    const base = {
      architectures: ['LlamaForCausalLM'],
      vocab_size: 10,
      hidden_size: 8,
      intermediate_size: 8,
      num_hidden_layers: 1,
      num_attention_heads: 2,
    };
    expect(parseHfConfig(base, 'c.json').num_key_value_heads).toBe(2);
    expect(parseHfConfig({ ...base, eos_token_id: [7, 8] }, 'c.json').eos_token_id).toBe(7);
    const fails = (patch: Record<string, unknown>, field: string) => {
      try {
        parseHfConfig({ ...base, ...patch }, 'c.json');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).location).toEqual({ file: 'c.json', field });
        return;
      }
      throw new Error(`accepted ${JSON.stringify(patch)}`);
    };
    fails({ architectures: ['GPT2LMHeadModel'] }, 'architectures');
    fails({ hidden_size: '8' }, 'hidden_size');
    fails({ num_key_value_heads: 3 }, 'num_key_value_heads');
    fails({ rope_scaling: { rope_type: 'llama3' } }, 'rope_scaling');
    fails({ head_dim: 64 }, 'head_dim');
  });
});

describe('PEFT adapters', () => {
  it('round-trip with PEFT key names and shapes', async () => {
    const rank = 4;
    const lora = randomLora(llama, rank, ['q_proj', 'v_proj', 'down_proj'], 9);
    const loraConfig: LoraConfig = {
      rank,
      alpha: 16,
      dropout: 0.05,
      targets: ['q_proj', 'v_proj', 'down_proj'],
    };
    const out = join(dir, 'adapter');
    await savePeftAdapter(out, { lora, loraConfig, baseModelName: 'kefu/tiny' });
    const config = JSON.parse(await readFile(join(out, 'adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 16,
      lora_dropout: 0.05,
      bias: 'none',
      fan_in_fan_out: false,
      base_model_name_or_path: 'kefu/tiny',
      target_modules: ['down_proj', 'q_proj', 'v_proj'],
    });
    const header = await readSafetensorsHeader(join(out, 'adapter_model.safetensors'));
    expect(
      header.tensors.get('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight')!.shape,
    ).toEqual([4, 16]);
    expect(
      header.tensors.get('base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight')!.shape,
    ).toEqual([8, 4]);
    expect(header.tensors.get('base_model.model.model.layers.1.mlp.down_proj.lora_A.weight')!.shape).toEqual([
      4, 24,
    ]);
    const loaded = await loadPeftAdapter(out);
    expect(loaded.baseModelName).toBe('kefu/tiny');
    expect(loaded.loraConfig).toEqual({ ...loraConfig, targets: ['down_proj', 'q_proj', 'v_proj'] });
    expect(loaded.lora).toEqual(lora);
  });

  it('rejects adapters kefu cannot apply as-is', async () => {
    const out = join(dir, 'adapter');
    const path = join(out, 'adapter_config.json');
    const good = JSON.parse(await readFile(path, 'utf8'));
    for (const [patch, field] of [
      [{ peft_type: 'IA3' }, 'peft_type'],
      [{ use_dora: true }, 'use_dora'],
      [{ r: 0 }, 'r'],
      [{ rank_pattern: { q_proj: 8 } }, 'rank_pattern'],
    ] as const) {
      await writeFile(path, JSON.stringify({ ...good, ...patch }));
      await expect(loadPeftAdapter(out)).rejects.toThrow(new RegExp(`adapter_config.json: ${field}`));
    }
    await writeFile(path, JSON.stringify({ ...good, r: 8 }));
    await expect(loadPeftAdapter(out)).rejects.toThrow(/not rank 8/);
  });
});
