/**
 * `kefu export --model <dir> [--adapter <dir>] --out <dir> [--format …] [--gguf-type F32|F16]`:
 * flag parsing and printing around `exportModel` (src/engine/export). Paths are relative to the
 * current folder; no workspace is needed. Holds no export logic.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { EXPORT_FORMATS, type ExportFormat, exportModel } from '../../engine/export/export-model.js';
import type { CommandContext } from '../context.js';

const ALIASES: Record<string, ExportFormat> = { hf: 'hf-merged', lora: 'gguf-lora' };

/** "hf,gguf" → ['hf-merged', 'gguf']; throws UsageError on an unknown name. */
export function parseFormats(value: string): ExportFormat[] {
  const out = new Set<ExportFormat>();
  for (const raw of value.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    const format = ALIASES[name] ?? (EXPORT_FORMATS as readonly string[]).find((f) => f === name);
    if (!format) {
      throw new UsageError(`unknown export format "${raw.trim()}"`, {
        hint: 'use hf, peft, gguf, gguf-lora (comma-separated)',
      });
    }
    out.add(format as ExportFormat);
  }
  if (out.size === 0) throw new UsageError('--format needs at least one format');
  return [...out];
}

function ggufType(value: string): 'F32' | 'F16' {
  const upper = value.toUpperCase();
  if (upper !== 'F32' && upper !== 'F16')
    throw new UsageError(`--gguf-type expects F32 or F16, got "${value}"`);
  return upper;
}

export function registerExport(program: Command, context: () => CommandContext): void {
  program
    .command('export')
    .description('export a model (+ LoRA adapter) as a merged HF folder, a PEFT adapter and GGUF files')
    .requiredOption('-m, --model <dir>', 'HF model folder (config.json, model.safetensors, tokenizer.json)')
    .option('-a, --adapter <dir>', 'PEFT LoRA adapter folder trained on the model (kefu train output_dir)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option(
      '-f, --format <list>',
      'comma-separated: hf, peft, gguf, gguf-lora (default: hf,peft,gguf with --adapter, else gguf)',
      parseFormats,
    )
    .option('--gguf-type <type>', 'GGUF matrix type: F32 (exact) or F16 (half the size)', ggufType, 'F32')
    .addHelpText(
      'after',
      `
Writes into --out:
  merged/       hf: config.json, model.safetensors, tokenizer.json, tokenizer_config.json, with the
                adapter merged in (transformers, vLLM, LLaMA-Factory load it)
  adapter/      peft: the adapter as PEFT files (PeftModel.from_pretrained loads it)
  model.gguf    gguf: the merged model (the base without --adapter), ChatML template included,
                for llama.cpp, Ollama, LM Studio, node-llama-cpp
  base.gguf + adapter.gguf
                gguf-lora: the base and the LoRA separately (llama.cpp --lora adapter.gguf, scale 1)
Files appear only when every requested output has been written.

Examples:
  $ kefu export --model models/base --adapter runs/sft_lora --out export/
  $ kefu export --model models/base --adapter runs/sft_lora --out export/ --format gguf,gguf-lora
  $ kefu export --model runs/pt_full --out export/ --format gguf --gguf-type F16
  $ llama-cli -m export/model.gguf -cnv`,
    )
    .action(
      async (options: {
        model: string;
        adapter?: string;
        out: string;
        format?: ExportFormat[];
        ggufType: 'F32' | 'F16';
      }) => {
        const ctx = context();
        const cwd = ctx.io.cwd;
        const formats: ExportFormat[] =
          options.format ?? (options.adapter ? ['hf-merged', 'peft', 'gguf'] : ['gguf']);
        const started = performance.now();
        const result = await exportModel({
          model: resolve(cwd, options.model),
          ...(options.adapter ? { adapter: resolve(cwd, options.adapter) } : {}),
          outDir: resolve(cwd, options.out),
          formats,
          ggufType: options.ggufType,
        });
        ctx.result({ ok: true, ...result });
        const c = result.config;
        ctx.print(
          `${c.architecture} · ${c.num_hidden_layers} layers · hidden ${c.hidden_size} · vocab ${c.vocab_size}` +
            (result.merged ? ' · adapter merged' : ''),
        );
        for (const file of result.files) ctx.print(`  ${file}`);
        for (const warning of result.warnings) ctx.print(`warning: ${warning}`);
        ctx.print(
          `exported ${formats.join(', ')} to ${result.outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      },
    );
}
