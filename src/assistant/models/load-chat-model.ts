/**
 * One `--model` value → a loaded ChatModel:
 *   http(s)://host/v1        an OpenAI-compatible server (OpenAiChatModel)
 *   path/to/model.gguf       node-llama-cpp
 *   an HF model folder       kefu's engine (config.json + model.safetensors)
 *   a PEFT adapter folder    kefu's engine on the adapter's base, with the adapters it was trained
 *                            on top of merged first (a DPO adapter's SFT adapter: the training
 *                            recipe saved in its checkpoint names it as adapter_name_or_path)
 * and, with no value, the workspace's trained model: models/dpo, else models/sft, else the base.
 * Relative paths in adapter configs and recipes resolve against the workspace root.
 * Does not download anything.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, NotFoundError } from '../../core/errors.js';
import type { ChatModel } from '../contracts.js';
import { KefuChatModel } from './kefu-chat-model.js';
import { LlamaCppChatModel } from './llama-cpp-chat-model.js';
import { OpenAiChatModel } from './openai-chat-model.js';

export interface LoadChatModelOptions {
  /** Workspace root: relative paths in adapter configs resolve here, and the default model lives here. */
  root: string;
  /** Model name sent to an OpenAI-compatible server. Defaults to 'default'. */
  serverModel?: string;
  apiKey?: string;
  /** Base model when an adapter's own base cannot be found (kefu's committed base). */
  fallbackBase?: string;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const at = (root: string, path: string) => (isAbsolute(path) ? path : resolve(root, path));

/** The recipe saved with the adapter's last checkpoint, if any. */
function trainingRecipe(adapterDir: string): Record<string, unknown> | undefined {
  const checkpoints = existsSync(adapterDir)
    ? readdirSync(adapterDir)
        .filter((n) => /^checkpoint-\d+$/.test(n))
        .sort((a, b) => Number(b.slice(11)) - Number(a.slice(11)))
    : [];
  for (const name of checkpoints) {
    const state = join(adapterDir, name, 'state.json');
    if (existsSync(state)) return readJson(state).recipe as Record<string, unknown> | undefined;
  }
  return undefined;
}

/** Base folder and adapters (oldest first) of a PEFT adapter folder. */
export function adapterChain(
  adapterDir: string,
  root: string,
  fallbackBase?: string,
): { base: string; adapters: string[] } {
  const adapters = [adapterDir];
  let base: string | undefined;
  for (let dir = adapterDir, depth = 0; depth < 8; depth++) {
    const recipe = trainingRecipe(dir);
    const config = readJson(join(dir, 'adapter_config.json'));
    base ??= [recipe?.model_name_or_path, config.base_model_name_or_path]
      .filter((p): p is string => typeof p === 'string')
      .map((p) => at(root, p))
      .find((p) => existsSync(join(p, 'config.json')));
    const parent =
      typeof recipe?.adapter_name_or_path === 'string' ? at(root, recipe.adapter_name_or_path) : undefined;
    if (!parent || !existsSync(join(parent, 'adapter_config.json')) || adapters.includes(parent)) break;
    adapters.unshift(parent);
    dir = parent;
  }
  base ??= fallbackBase;
  if (!base) {
    throw new NotFoundError(`the base model of adapter ${adapterDir} was not found`, {
      hint: 'check base_model_name_or_path in adapter_config.json, or pass the base folder with --model',
    });
  }
  return { base, adapters };
}

/** The workspace's best trained model folder: models/dpo, models/sft, then models/base. */
export function defaultModelDir(root: string): string {
  for (const name of ['dpo', 'sft']) {
    const dir = join(root, 'models', name);
    if (existsSync(join(dir, 'adapter_config.json')) || existsSync(join(dir, 'config.json'))) return dir;
  }
  const base = join(root, 'models', 'base');
  if (existsSync(join(base, 'config.json'))) return base;
  throw new NotFoundError('this workspace has no trained model', {
    hint: 'run `kefu quickstart` or `kefu train`, or pass --model <dir|gguf|url>',
  });
}

export async function loadChatModel(
  spec: string | undefined,
  options: LoadChatModelOptions,
): Promise<ChatModel> {
  if (spec && /^https?:\/\//i.test(spec)) {
    return new OpenAiChatModel({
      baseUrl: spec,
      model: options.serverModel ?? 'default',
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    });
  }
  const path = spec ? at(options.root, spec) : defaultModelDir(options.root);
  if (path.toLowerCase().endsWith('.gguf')) {
    if (!existsSync(path)) throw new NotFoundError(`no GGUF file ${path}`);
    return LlamaCppChatModel.load(path);
  }
  if (existsSync(join(path, 'adapter_config.json'))) {
    const { base, adapters } = adapterChain(path, options.root, options.fallbackBase);
    return KefuChatModel.load(base, { adapter: adapters });
  }
  if (existsSync(join(path, 'config.json'))) return KefuChatModel.load(path);
  throw new InputError('not a model: expected an HF folder, a PEFT adapter folder, a .gguf file or a URL', {
    file: path,
  });
}
