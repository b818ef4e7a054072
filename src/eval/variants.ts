/**
 * The `--variants` list of an evaluation: `name=model[+no-retrieval]` pairs (a model as `--model`
 * takes it: HF or adapter folder, .gguf file, OpenAI-compatible URL; relative paths from the
 * workspace root), or `ablation`: base vs SFT vs SFT+DPO, SFT+DPO without retrieval, and the GGUF
 * export through node-llama-cpp — those whose files exist; the rest are reported as skipped.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';

/** kefu's committed base model (assets/base-model beside src/ and dist/). */
export const COMMITTED_BASE = fileURLToPath(new URL('../../assets/base-model', import.meta.url));

export interface VariantChoice {
  name: string;
  model: string;
  retrieval: boolean;
}

/** `name=model[+no-retrieval]` list, or the standard ablation over the workspace's models. */
export function parseVariantList(
  spec: string,
  root: string,
): { variants: VariantChoice[]; skipped: string[] } {
  if (spec.trim() === 'ablation') {
    const models = join(root, 'models');
    const gguf = existsSync(models) ? readdirSync(models).find((f) => f.endsWith('.gguf')) : undefined;
    const wanted = [
      {
        name: 'base',
        model: existsSync(join(models, 'base', 'config.json')) ? join(models, 'base') : COMMITTED_BASE,
        retrieval: true,
      },
      { name: 'sft', model: join(models, 'sft'), retrieval: true },
      { name: 'sft+dpo', model: join(models, 'dpo'), retrieval: true },
      { name: 'sft+dpo, no retrieval', model: join(models, 'dpo'), retrieval: false },
      {
        name: 'gguf (node-llama-cpp)',
        model: gguf ? join(models, gguf) : join(models, 'model.gguf'),
        retrieval: true,
      },
    ];
    const present = wanted.filter((v) => existsSync(v.model));
    const skipped = wanted
      .filter((v) => !existsSync(v.model))
      .map((v) => `ablation variant "${v.name}" skipped: ${v.model} does not exist`);
    return { variants: present, skipped };
  }
  return { variants: parseNamedVariants(spec, root), skipped: [] };
}

function parseNamedVariants(spec: string, root: string): VariantChoice[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0)
        throw new UsageError(`variant "${part}" is not name=model`, {
          hint: 'e.g. --variants sft=models/sft,dpo=models/dpo+no-retrieval, or --variants ablation',
        });
      let model = part.slice(eq + 1).trim();
      const retrieval = !model.endsWith('+no-retrieval');
      if (!retrieval) model = model.slice(0, -'+no-retrieval'.length);
      return {
        name: part.slice(0, eq).trim(),
        model: /^https?:\/\//.test(model) || model.startsWith('/') ? model : resolve(root, model),
        retrieval,
      };
    });
}
