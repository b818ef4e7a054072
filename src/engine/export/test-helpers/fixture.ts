/**
 * Test fixture for the export proofs: ~200 Chinese / English customer-service sentences, a BPE
 * tokenizer trained on them with kefu's specials, and a tiny random Llama or Qwen2 Transformer
 * (kefu's real engine) with a LoRA whose B is random and non-zero, saved as an HF model folder
 * (+ tokenizer files) and a PEFT adapter folder. Weights are spread wider than the 0.02 init and
 * norms / biases perturbed, so every tensor's mapping shows in the logits. Not shipped.
 */
import { join } from 'node:path';
import type { ModelConfig } from '../../contracts.js';
import { saveHfCheckpoint } from '../../formats/hf-checkpoint.js';
import { savePeftAdapter } from '../../formats/peft.js';
import { getKernels } from '../../kernels/index.js';
import { Rng } from '../../model/rng.js';
import { Transformer } from '../../model/transformer.js';
import {
  type BpeTokenizer,
  saveTokenizerConfig,
  saveTokenizerJson,
  trainBpe,
} from '../../tokenizer/index.js';

export const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];

const ZH = [
  '您好，请问订单{n}什么时候发货？',
  '亲，您的订单{n}已经发货了，快递单号稍后发给您。',
  '我买的{p}收到了，但是颜色不对，可以换吗？',
  '{p}支持七天无理由退货，请在订单页面申请退货。',
  '请问{p}有没有现货？我想今天下单。',
  '您好，{p}目前有货，今天下午四点前下单当天发出。',
  '订单{n}的物流怎么一直没有更新？',
  '非常抱歉，快递公司那边可能有延误，我帮您催一下。',
  '{p}怎么使用？说明书上写得不太清楚。',
  '退款什么时候到账？我的订单号是{n}。',
  '退款一般三到五个工作日原路退回，请您耐心等待。',
  '可以开发票吗？订单{n}需要公司抬头。',
  '{p}的保修期是多久？',
  '我想修改收货地址，订单{n}还没发货。',
];
const EN = [
  'Hello, when will order {n} ship?',
  'Your order {n} has shipped; the tracking number will follow.',
  'The {p} I received is damaged, can I get a refund?',
  'Is the {p} in stock? I would like to order today.',
  'Refunds usually arrive within 3 to 5 business days.',
];
const PRODUCTS = [
  '保温杯',
  '蓝牙耳机',
  '电饭煲',
  '运动鞋',
  '充电宝',
  '羽绒服',
  '空气炸锅',
  '行李箱',
  'kettle',
  'headphones',
  'power bank',
];

/** ~200 deterministic customer-service sentences. */
export function serviceSentences(): string[] {
  const out: string[] = [];
  let i = 0;
  for (const p of PRODUCTS) {
    for (const t of [...ZH, ...EN]) {
      out.push(t.replace('{p}', p).replace('{n}', String(20240000 + ++i * 37)));
    }
  }
  return out;
}

let cachedTokenizer: BpeTokenizer | undefined;

export function serviceTokenizer(): BpeTokenizer {
  cachedTokenizer ??= trainBpe(serviceSentences(), {
    vocabSize: 520,
    specialTokens: SPECIALS,
    eosToken: '<|im_end|>',
    padToken: '<|endoftext|>',
  });
  return cachedTokenizer;
}

export function tinyConfig(architecture: 'llama' | 'qwen2', vocab: number): ModelConfig {
  const qwen = architecture === 'qwen2';
  return {
    architecture,
    vocab_size: vocab,
    hidden_size: 64,
    intermediate_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-6,
    rope_theta: qwen ? 1_000_000 : 10_000,
    tie_word_embeddings: qwen,
    attention_bias: qwen,
  };
}

export const LORA = { rank: 4, alpha: 8, dropout: 0, targets: ['all'] };

/** Random model (wider weights, perturbed norms / biases) with a LoRA of random non-zero B. */
export function tinyLoraModel(config: ModelConfig, seed: number): Transformer {
  const model = Transformer.random(config, seed, { kernels: getKernels() });
  const rng = new Rng(seed + 1);
  for (const p of model.parameters()) {
    if (p.name.endsWith('norm.weight')) {
      for (let i = 0; i < p.data.length; i++) p.data[i] = 1 + 0.1 * rng.normal();
    } else if (p.name.endsWith('.bias')) rng.fillNormal(p.data, 0.1);
    else if (p.name === 'model.embed_tokens.weight' || p.name === 'lm_head.weight')
      rng.fillNormal(p.data, 0.5);
    else {
      // Layer outputs (o_proj, down_proj) outweigh the embedding, so greedy text does not just
      // repeat the last token (a tied random model's favourite).
      const gain = /o_proj|down_proj/.test(p.name) ? 3 : 1;
      rng.fillNormal(p.data, gain / Math.sqrt(p.shape[1]!));
    }
  }
  model.addLora(LORA, seed + 2);
  for (const p of model.parameters()) if (p.name.endsWith('.lora_B.weight')) rng.fillNormal(p.data, 0.1);
  model.training = false;
  return model;
}

/** Base weights (no LoRA) and LoRA weights of a model, by kefu name. */
export function splitWeights(model: Transformer): {
  base: Map<string, Float32Array>;
  lora: Map<string, Float32Array>;
} {
  const base = new Map<string, Float32Array>();
  const lora = new Map<string, Float32Array>();
  for (const p of model.parameters()) (p.name.includes('.lora_') ? lora : base).set(p.name, p.data);
  return { base, lora };
}

/** Saves `model`'s base as `<dir>/base` (with tokenizer files) and its LoRA as `<dir>/adapter`. */
export async function saveFixture(
  dir: string,
  model: Transformer,
  tok: BpeTokenizer,
): Promise<{ modelDir: string; adapterDir: string }> {
  const { base, lora } = splitWeights(model);
  const modelDir = join(dir, 'base');
  const adapterDir = join(dir, 'adapter');
  const staging = join(dir, 'tok');
  await saveTokenizerJson(tok, join(staging, 'tokenizer.json'));
  await saveTokenizerConfig(tok, join(staging, 'tokenizer_config.json'));
  await saveHfCheckpoint(modelDir, model.config, base, {
    tokenizerFiles: [join(staging, 'tokenizer.json'), join(staging, 'tokenizer_config.json')],
  });
  await savePeftAdapter(adapterDir, { lora, loraConfig: LORA, baseModelName: modelDir });
  return { modelDir, adapterDir };
}

/** Centred log-softmax of each of the T rows of (T, V) logits, in float64. */
export function centredLogSoftmax(logits: Float32Array, V: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let t = 0; t < logits.length / V; t++) {
    const row = Float64Array.from(logits.subarray(t * V, (t + 1) * V));
    const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    rows.push(centred(row.map((x) => x - lse)));
  }
  return rows;
}

export function centred(v: Float64Array): Float64Array {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.map((x) => x - mean);
}

/** max |a − b| / max |b|. */
export function relativeError(actual: Float64Array, expected: Float64Array): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
    maxRef = Math.max(maxRef, Math.abs(expected[i]!));
  }
  return maxDiff / maxRef;
}
