/**
 * `exportModel`: turns an HF model folder (kefu's or a Llama / Qwen2 checkpoint) plus an optional
 * PEFT LoRA adapter into the files other tools load, all inside `outDir`:
 *
 *   merged/        'hf-merged': config.json, model.safetensors, tokenizer.json, tokenizer_config.json
 *                  with the adapter merged (W += alpha/r · B·A); the base re-saved when there is none
 *   adapter/       'peft': the adapter re-saved as PEFT (adapter_config.json +
 *                  adapter_model.safetensors, `.default.` infixes dropped) + the tokenizer files
 *   model.gguf     'gguf': the merged model when an adapter is given, else the base
 *   base.gguf      'gguf-lora': the base model, and
 *   adapter.gguf   the LoRA as a llama.cpp adapter GGUF (apply with scale 1 = alpha/r as trained)
 *
 * GGUF files carry gpt2-style tokenizer metadata (ggufTokenizerMetadata) and the ChatML chat
 * template; matrices are F32 or F16 (`ggufType`), norms and biases F32. Everything is written into
 * a staging folder beside `outDir` and moved into place only when every output succeeded (files
 * already in `outDir` that this export does not write are left alone). Bad inputs are InputErrors
 * naming the file and field. Does not quantize, download, or change the model and adapter folders.
 */
import { copyFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AtomicDir } from '../../core/atomic-file.js';
import { InputError, UsageError } from '../../core/errors.js';
import type { ModelConfig } from '../contracts.js';
import { exportGguf, exportLoraGguf } from '../formats/gguf-export.js';
import { expectedWeightShapes, loadHfCheckpoint, saveHfCheckpoint } from '../formats/hf-checkpoint.js';
import { loadPeftAdapter, type PeftAdapter, savePeftAdapter } from '../formats/peft.js';
import { getKernels } from '../kernels/index.js';
import {
  type BpeTokenizer,
  CHATML_TEMPLATE,
  ggufTokenizerMetadata,
  loadTokenizerJson,
  saveTokenizerConfig,
} from '../tokenizer/index.js';

export const EXPORT_FORMATS = ['hf-merged', 'peft', 'gguf', 'gguf-lora'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportModelOptions {
  /** HF model folder: config.json + model.safetensors (or shards) + tokenizer.json. */
  model: string;
  /** PEFT LoRA adapter folder trained on `model`. */
  adapter?: string;
  outDir: string;
  formats: readonly ExportFormat[];
  /** Storage type of GGUF matrices. Defaults to F32 (exact); F16 halves the file. */
  ggufType?: 'F32' | 'F16';
  /** GGUF `tokenizer.chat_template`. Defaults to CHATML_TEMPLATE. */
  chatTemplate?: string;
  /** GGUF `general.name`. Defaults to "kefu". */
  name?: string;
}

export interface ExportModelResult {
  outDir: string;
  /** Paths written, relative to outDir, sorted. */
  files: string[];
  /** True when merged/ and model.gguf hold base + adapter. */
  merged: boolean;
  config: ModelConfig;
  tokenizerVocab: number;
  /** Things that work but deserve a look (e.g. llama.cpp lacks this tokenizer's pre-tokenizer). */
  warnings: string[];
}

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Checks that every adapter tensor fits a linear of `config`; names the adapter file and tensor. */
export function checkAdapter(config: ModelConfig, adapter: PeftAdapter, file: string): void {
  const shapes = expectedWeightShapes(config);
  const r = adapter.loraConfig.rank;
  if (adapter.lora.size === 0) throw new InputError('the adapter holds no LoRA weights', { file });
  for (const [name, data] of adapter.lora) {
    const m = /^(.+)\.lora_([AB])\.weight$/.exec(name)!;
    const base = `${m[1]}.weight`;
    const shape = shapes.get(base);
    if (shape?.length !== 2) {
      throw new InputError(
        `targets "${base}", which this ${config.architecture} model does not have`,
        { file, field: name },
        { hint: 'was the adapter trained on another base model?' },
      );
    }
    const [nOut, nIn] = shape as [number, number];
    const isA = m[2] === 'A';
    const want = isA ? [r, nIn] : [nOut, r];
    if (data.length !== want[0]! * want[1]!) {
      throw new InputError(`expected shape [${want}] for the base model`, { file, field: name });
    }
    const partner = `${m[1]}.lora_${isA ? 'B' : 'A'}.weight`;
    if (!adapter.lora.has(partner)) throw new InputError(`"${partner}" is missing`, { file, field: name });
  }
}

/**
 * The weights with every adapter pair merged, W + (alpha/r)·B·A, as the engine's mergeLora does;
 * untouched tensors are shared with `weights`, merged ones are new arrays.
 */
export function mergeAdapterWeights(
  weights: ReadonlyMap<string, Float32Array>,
  adapter: PeftAdapter,
): Map<string, Float32Array> {
  const kernels = getKernels();
  const { rank, alpha } = adapter.loraConfig;
  const scale = alpha / rank;
  const merged = new Map(weights);
  for (const [name, a] of adapter.lora) {
    if (!name.endsWith('.lora_A.weight')) continue;
    const prefix = name.slice(0, -'.lora_A.weight'.length);
    const b = adapter.lora.get(`${prefix}.lora_B.weight`)!;
    const w = merged.get(`${prefix}.weight`)!.slice();
    const nIn = a.length / rank;
    const nOut = b.length / rank;
    const bs = new Float32Array(b.length);
    for (let i = 0; i < b.length; i++) bs[i] = b[i]! * scale;
    kernels.matmul(w, bs, a, nOut, rank, nIn, { accumulate: true }); // (out, r)·(r, in)
    merged.set(`${prefix}.weight`, w);
  }
  return merged;
}

async function findTokenizer(model: string, adapter: string | undefined): Promise<string | undefined> {
  for (const dir of [model, adapter]) {
    if (dir && (await isFile(join(dir, 'tokenizer.json')))) return join(dir, 'tokenizer.json');
  }
  return undefined;
}

/** tokenizer.json copied as is; tokenizer_config.json copied when beside it, else written. */
async function writeTokenizerFiles(tok: BpeTokenizer, tokenizerJson: string, dir: string): Promise<void> {
  await copyFile(tokenizerJson, join(dir, 'tokenizer.json'));
  const config = join(tokenizerJson, '..', 'tokenizer_config.json');
  if (await isFile(config)) await copyFile(config, join(dir, 'tokenizer_config.json'));
  else await saveTokenizerConfig(tok, join(dir, 'tokenizer_config.json'));
}

export async function exportModel(options: ExportModelOptions): Promise<ExportModelResult> {
  const formats = new Set(options.formats);
  if (formats.size === 0) throw new UsageError('choose at least one export format');
  for (const f of formats) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(f))
      throw new UsageError(`unknown export format "${f}"`, { hint: `use ${EXPORT_FORMATS.join(', ')}` });
  }
  const ggufType = options.ggufType ?? 'F32';
  if (ggufType !== 'F32' && ggufType !== 'F16')
    throw new UsageError(`unknown GGUF type "${ggufType}"`, { hint: 'use F32 or F16' });
  for (const f of ['peft', 'gguf-lora'] as const) {
    if (formats.has(f) && !options.adapter)
      throw new UsageError(`format ${f} needs an adapter`, { hint: 'pass --adapter <dir>' });
  }
  const warnings: string[] = [];
  const checkpoint = await loadHfCheckpoint(options.model);
  const { config } = checkpoint;
  let adapter: PeftAdapter | undefined;
  if (options.adapter) {
    adapter = await loadPeftAdapter(options.adapter);
    checkAdapter(config, adapter, join(options.adapter, 'adapter_model.safetensors'));
  }
  const tokenizerJson = await findTokenizer(options.model, options.adapter);
  const needsTokenizer = [...formats].some((f) => f !== 'peft');
  let tok: BpeTokenizer | undefined;
  if (tokenizerJson) {
    tok = await loadTokenizerJson(tokenizerJson);
    if (tok.vocabSize > config.vocab_size) {
      throw new InputError(
        `the tokenizer has ${tok.vocabSize} ids, the model's embedding only ${config.vocab_size} rows`,
        { file: tokenizerJson, field: 'model.vocab' },
        { hint: `check vocab_size in ${join(options.model, 'config.json')}` },
      );
    }
  } else if (needsTokenizer) {
    throw new InputError(
      'no tokenizer.json beside the model (or the adapter)',
      { file: join(options.model, 'tokenizer.json') },
      { hint: 'GGUF and HF exports carry the tokenizer; copy the one the model was trained with' },
    );
  }

  const weights = adapter ? mergeAdapterWeights(checkpoint.weights, adapter) : checkpoint.weights;
  const out = await AtomicDir.create(options.outDir);
  try {
    if (formats.has('hf-merged')) {
      const dir = out.file('merged');
      await saveHfCheckpoint(dir, config, weights);
      await writeTokenizerFiles(tok!, tokenizerJson!, dir);
    }
    if (adapter && formats.has('peft')) {
      const dir = out.file('adapter');
      await savePeftAdapter(dir, adapter);
      if (tok && tokenizerJson) await writeTokenizerFiles(tok, tokenizerJson, dir);
    }
    if (formats.has('gguf') || formats.has('gguf-lora')) {
      const chatTemplate = options.chatTemplate ?? CHATML_TEMPLATE;
      const meta = ggufTokenizerMetadata(tok!, { vocabSize: config.vocab_size, chatTemplate });
      if (!meta.preExact) {
        warnings.push(
          `llama.cpp has no pre-tokenizer matching ${tokenizerJson}; the GGUF files use "${meta.pre}", ` +
            'so llama.cpp may split some texts differently from kefu',
        );
      }
      const common = { config, tokenizer: meta, chatTemplate, fileType: ggufType, name: options.name };
      if (formats.has('gguf')) await exportGguf(out.file('model.gguf'), { ...common, weights });
      if (adapter && formats.has('gguf-lora')) {
        await exportGguf(out.file('base.gguf'), { ...common, weights: checkpoint.weights });
        await exportLoraGguf(out.file('adapter.gguf'), {
          config,
          lora: adapter.lora,
          alpha: adapter.loraConfig.alpha,
          rank: adapter.loraConfig.rank,
          ...(options.name ? { name: `${options.name}-lora` } : {}),
        });
      }
    }
    const files: string[] = [];
    for (const entry of await readdir(out.staging, { recursive: true })) {
      if ((await stat(join(out.staging, entry))).isFile()) files.push(entry.split('\\').join('/'));
    }
    await out.commit();
    return {
      outDir: options.outDir,
      files: files.sort(),
      merged: adapter !== undefined,
      config,
      tokenizerVocab: tok?.vocabSize ?? 0,
      warnings,
    };
  } catch (error) {
    await out.abort();
    throw error;
  }
}
