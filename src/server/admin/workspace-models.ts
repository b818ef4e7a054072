/**
 * The models a workspace holds, for GET /admin/models and `kefu serve`'s default: every folder in
 * `models/` that is an HF model (config.json + model.safetensors), a PEFT adapter
 * (adapter_config.json) or holds GGUF files, and `defaultModelSpec` — base + SFT + DPO adapters when
 * trained (as the quickstart trains them), else the committed base model. Does not: load anything.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspaceModel {
  name: string;
  path: string;
  kind: 'model' | 'adapter' | 'gguf';
  /** For adapters: the base model they were trained on, as recorded. */
  base?: string;
  files: string[];
}

export function listWorkspaceModels(root: string): WorkspaceModel[] {
  const dir = join(root, 'models');
  if (!existsSync(dir)) return [];
  const found: WorkspaceModel[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    const files = readdirSync(path).filter((f) => !statSync(join(path, f)).isDirectory());
    if (files.includes('adapter_config.json')) {
      let base: string | undefined;
      try {
        base = (JSON.parse(readFileSync(join(path, 'adapter_config.json'), 'utf8')) as Record<string, string>)
          .base_model_name_or_path;
      } catch {}
      found.push({ name, path, kind: 'adapter', ...(base ? { base } : {}), files });
    } else if (files.includes('config.json') && files.includes('model.safetensors')) {
      found.push({ name, path, kind: 'model', files });
    } else if (files.some((f) => f.endsWith('.gguf'))) {
      found.push({ name, path, kind: 'gguf', files });
    }
  }
  return found;
}

/**
 * The model `kefu serve` starts with: the workspace's base model (models/base, else the committed
 * `fallbackBase`) with models/sft then models/dpo merged when they exist.
 */
export function defaultModelSpec(root: string, fallbackBase: string): { base: string; adapters: string[] } {
  const models = listWorkspaceModels(root);
  const base = models.find((m) => m.kind === 'model' && m.name === 'base')?.path ?? fallbackBase;
  const adapters = ['sft', 'dpo'].flatMap((name) => {
    const adapter = models.find((m) => m.kind === 'adapter' && m.name === name);
    return adapter ? [adapter.path] : [];
  });
  return { base, adapters };
}
