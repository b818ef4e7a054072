/**
 * Reading and writing a tokenizer as HF files: `tokenizer.json` (loadable by HF tokenizers,
 * transformers and Tokenizers.js) and `tokenizer_config.json` (role tokens, the ChatML
 * chat_template, kefu's format version). Writes are atomic.
 *
 *   await saveTokenizerJson(tok, 'out/tokenizer.json');
 *   await saveTokenizerConfig(tok, 'out/tokenizer_config.json');
 *   const again = await loadTokenizerJson('out');   // a folder or the tokenizer.json path
 *
 * Loading also reads role tokens (bos/eos/pad) from a tokenizer_config.json beside the file when
 * there is one. Problems become `InputError`s naming the file and the field. Does not download.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { BpeModelError, BpeTokenizer } from './bpe.js';
import { CHATML_TEMPLATE } from './chat-template.js';
import { fromTokenizerJson, TokenizerJsonError, toTokenizerJson } from './hf-json.js';
import type { BpeModel } from './model.js';

/** Version of what kefu writes into tokenizer_config.json as `kefu_tokenizer_format`. */
export const TOKENIZER_FORMAT_VERSION = 1;

export async function saveTokenizerJson(tok: BpeTokenizer, path: string): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(toTokenizerJson(tok.model), null, 2)}\n`);
}

export interface TokenizerConfigOptions {
  /** Defaults to CHATML_TEMPLATE. */
  chatTemplate?: string;
  /** Defaults to 32768. */
  modelMaxLength?: number;
}

/** The tokenizer_config.json object (transformers' keys). */
export function tokenizerConfig(
  tok: BpeTokenizer,
  options: TokenizerConfigOptions = {},
): Record<string, unknown> {
  const m = tok.model;
  const decoder: Record<string, unknown> = {};
  for (const t of tok.addedTokens) {
    decoder[String(t.id)] = {
      content: t.content,
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
      special: t.special,
    };
  }
  const roles = new Set([m.bosToken, m.eosToken, m.padToken]);
  return {
    kefu_tokenizer_format: TOKENIZER_FORMAT_VERSION,
    tokenizer_class: 'PreTrainedTokenizerFast',
    added_tokens_decoder: decoder,
    additional_special_tokens: tok.addedTokens
      .filter((t) => t.special && !roles.has(t.content))
      .map((t) => t.content),
    bos_token: m.bosToken ?? null,
    eos_token: m.eosToken ?? null,
    pad_token: m.padToken ?? null,
    unk_token: null,
    add_bos_token: false,
    add_eos_token: false,
    chat_template: options.chatTemplate ?? CHATML_TEMPLATE,
    clean_up_tokenization_spaces: false,
    errors: 'replace',
    model_max_length: options.modelMaxLength ?? 32768,
    split_special_tokens: false,
  };
}

export async function saveTokenizerConfig(
  tok: BpeTokenizer,
  path: string,
  options: TokenizerConfigOptions = {},
): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(tokenizerConfig(tok, options), null, 2)}\n`);
}

/** Builds a tokenizer from a parsed tokenizer.json, errors naming `file` and the field. */
export function tokenizerFromJson(json: unknown, file: string, roles: Partial<BpeModel> = {}): BpeTokenizer {
  try {
    return new BpeTokenizer({ ...fromTokenizerJson(json), ...roles });
  } catch (error) {
    if (error instanceof TokenizerJsonError || error instanceof BpeModelError)
      throw new InputError(
        error.message,
        { file, field: error.field },
        {
          cause: error,
          hint: 'kefu reads byte-level BPE tokenizer.json files (GPT-2, Qwen2, Llama-3 families)',
        },
      );
    throw error;
  }
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such file: ${file}`);
    throw new InputError(`cannot read: ${error}`, { file }, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
}

const roleToken = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'object' &&
        value !== null &&
        typeof (value as { content?: unknown }).content === 'string'
      ? (value as { content: string }).content
      : undefined;

/** Loads a tokenizer.json (kefu's or a Qwen2 / Llama-3 model folder's); `path` may be the folder. */
export async function loadTokenizerJson(path: string): Promise<BpeTokenizer> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const file = isDir ? join(path, 'tokenizer.json') : path;
  const json = await readJson(file);
  const configFile = join(dirname(file), 'tokenizer_config.json');
  const hasConfig = await stat(configFile).then(
    (s) => s.isFile(),
    () => false,
  );
  const roles: Partial<BpeModel> = {};
  if (hasConfig) {
    const config = await readJson(configFile);
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw new InputError('expected a JSON object', { file: configFile });
    const c = config as Record<string, unknown>;
    roles.bosToken = roleToken(c.bos_token);
    roles.eosToken = roleToken(c.eos_token);
    roles.padToken = roleToken(c.pad_token);
  }
  return tokenizerFromJson(json, file, roles);
}
