/**
 * PEFT LoRA adapter folders (what `PeftModel.from_pretrained` and LLaMA-Factory read and write):
 * adapter_config.json + adapter_model.safetensors with keys
 * `base_model.model.<kefu name>`, e.g. `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`
 * ([r, in]) and `...lora_B.weight` ([out, r]). kefu names are the same without the prefix.
 * Saving is atomic (AtomicDir). Loading accepts the `.default.` adapter-name infix some tools keep.
 * Does not support DoRA, rsLoRA, per-module rank/alpha patterns or fan_in_fan_out layouts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtomicDir, writeFileAtomic } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';
import type { LoraConfig } from '../contracts.js';
import { readSafetensors, type WritableTensor, writeSafetensors } from './safetensors.js';

const PREFIX = 'base_model.model.';
const ALL_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

export interface PeftAdapter {
  /** kefu names ("model.layers.0.self_attn.q_proj.lora_A.weight") → values. */
  lora: Map<string, Float32Array>;
  loraConfig: LoraConfig;
  baseModelName: string;
}

function moduleOf(name: string): string | undefined {
  return /\.([a-z_]+)\.lora_[AB]\.weight$/.exec(name)?.[1];
}

/** Write adapter_config.json + adapter_model.safetensors into `dir`, together. */
export async function savePeftAdapter(dir: string, adapter: PeftAdapter): Promise<void> {
  const { lora, loraConfig } = adapter;
  const r = loraConfig.rank;
  const tensors: WritableTensor[] = [];
  const modules = new Set<string>();
  for (const [name, data] of [...lora].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const module = moduleOf(name);
    if (!module || data.length % r !== 0) {
      throw new InputError(`"${name}" is not a LoRA weight of rank ${r}`, { file: dir, field: name });
    }
    modules.add(module);
    const shape = name.endsWith('.lora_A.weight') ? [r, data.length / r] : [data.length / r, r];
    tensors.push({ name: `${PREFIX}${name}`, shape, data });
  }
  const targets = loraConfig.targets.includes('all')
    ? ALL_TARGETS.filter((t) => modules.has(t))
    : [...new Set([...loraConfig.targets, ...modules])].sort();
  const config = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: adapter.baseModelName,
    r,
    lora_alpha: loraConfig.alpha,
    lora_dropout: loraConfig.dropout,
    target_modules: targets,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    use_rslora: false,
    use_dora: false,
    revision: null,
  };
  const out = await AtomicDir.create(dir);
  try {
    await writeFileAtomic(out.file('adapter_config.json'), `${JSON.stringify(config, null, 2)}\n`);
    await writeSafetensors(out.file('adapter_model.safetensors'), tensors, { format: 'pt' });
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}

/** Read a PEFT LoRA adapter folder back into kefu names. */
export async function loadPeftAdapter(dir: string): Promise<PeftAdapter> {
  const configPath = join(dir, 'adapter_config.json');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw new InputError('cannot read adapter_config.json', { file: configPath }, { cause: error });
  }
  const fail = (field: string, why: string): never => {
    throw new InputError(why, { file: configPath, field });
  };
  if (typeof raw !== 'object' || raw === null) fail('', 'not a JSON object');
  if (raw.peft_type !== 'LORA') fail('peft_type', `expected "LORA", got ${JSON.stringify(raw.peft_type)}`);
  const r = raw.r;
  if (typeof r !== 'number' || !Number.isSafeInteger(r) || r <= 0) fail('r', 'expected a positive integer');
  const alpha = raw.lora_alpha;
  if (typeof alpha !== 'number' || !(alpha > 0)) fail('lora_alpha', 'expected a positive number');
  if (raw.use_dora === true) fail('use_dora', 'DoRA adapters are not supported');
  if (raw.use_rslora === true) fail('use_rslora', 'rsLoRA scaling is not supported');
  if (raw.fan_in_fan_out === true) fail('fan_in_fan_out', 'fan_in_fan_out layouts are not supported');
  for (const field of ['rank_pattern', 'alpha_pattern']) {
    const v = raw[field];
    if (v && typeof v === 'object' && Object.keys(v).length > 0)
      fail(field, 'per-module patterns are not supported');
  }
  const weightsPath = join(dir, 'adapter_model.safetensors');
  const { tensors } = await readSafetensors(weightsPath);
  const lora = new Map<string, Float32Array>();
  for (const [key, tensor] of tensors) {
    const name = key
      .replace(/^base_model\.model\./, '')
      .replace(/\.lora_([AB])\.[^.]+\.weight$/, '.lora_$1.weight');
    if (!moduleOf(name))
      throw new InputError(`unexpected tensor "${key}"`, { file: weightsPath, field: key });
    const isA = name.endsWith('.lora_A.weight');
    if (tensor.shape.length !== 2 || tensor.shape[isA ? 0 : 1] !== r) {
      throw new InputError(`"${key}" has shape [${tensor.shape}], not rank ${r}`, {
        file: weightsPath,
        field: key,
      });
    }
    lora.set(name, tensor.data);
  }
  const targets = raw.target_modules;
  return {
    lora,
    loraConfig: {
      rank: r as number,
      alpha: alpha as number,
      dropout: typeof raw.lora_dropout === 'number' ? raw.lora_dropout : 0,
      targets: Array.isArray(targets)
        ? targets.map(String)
        : typeof targets === 'string'
          ? [targets]
          : [...new Set([...lora.keys()].map((n) => moduleOf(n)!))].sort(),
    },
    baseModelName: typeof raw.base_model_name_or_path === 'string' ? raw.base_model_name_or_path : '',
  };
}
