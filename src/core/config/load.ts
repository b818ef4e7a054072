/**
 * Resolve a configuration from four layers, later ones winning:
 *   schema defaults < YAML files, in order < environment (KEFU_<AREA>__<FIELD>=…) < flags (`--set a.b=…`).
 * Validation is the zod schema's; every failure becomes a `ConfigError` naming the source (file
 * and line, environment variable, or flag), the dotted field and what was expected. Unknown keys
 * are errors with a "did you mean" suggestion. Generic over the schema: no kefu areas here.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYamlValue } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type SourceLocation } from '../errors.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export interface ConfigLayers {
  /** Path of a YAML file, or undefined for none. */
  file?: string;
  /** More YAML files layered over `file`, later ones winning (e.g. a recipe over kefu.yaml). */
  moreFiles?: readonly string[];
  /** Environment to read `KEFU_…` variables from. Defaults to none (pass process.env explicitly). */
  env?: Record<string, string | undefined>;
  /** `field.path=value` strings, values parsed as YAML scalars. */
  sets?: readonly string[];
  /** Where to learn the fields, for error hints. Defaults to `kefu config explain`. */
  fieldsHint?: string;
  /** Prefix of environment variables. Defaults to "KEFU_". */
  envPrefix?: string;
}

type Origin = { kind: 'file' } | { kind: 'env'; name: string } | { kind: 'flag'; text: string };

export function loadConfig<S extends z.ZodType>(schema: S, layers: ConfigLayers = {}): z.infer<S> {
  const origins = new Map<string, Origin>();
  const sources: YamlSource[] = [];
  let merged: Record<string, unknown> = {};
  for (const file of [layers.file, ...(layers.moreFiles ?? [])]) {
    if (!file) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError('cannot read the config file', { file }, { hint: 'check the path' });
    }
    const source = parseYamlSource(text, file);
    if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
      throw new ConfigError('expected a mapping of settings at the top level', { file, line: 1 });
    }
    sources.push(source);
    merged = deepMerge(merged, source.data as Record<string, unknown>);
  }
  const prefix = layers.envPrefix ?? 'KEFU_';
  for (const [name, value] of Object.entries(layers.env ?? {})) {
    if (!name.startsWith(prefix) || value === undefined) continue;
    const path = name.slice(prefix.length).split('__').map(envKeyToField);
    if (path.length < 2) continue; // KEFU_WORKSPACE and friends are not config fields
    setPath(merged, path, parseYamlValue(value));
    origins.set(path.join('.'), { kind: 'env', name });
  }
  for (const text of layers.sets ?? []) {
    const eq = text.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError(`--set expects field.path=value, got "${text}"`, undefined, {
        hint: 'e.g. --set data.split.seed=7',
      });
    }
    const path = text.slice(0, eq).trim().split('.');
    setPath(merged, path, parseYamlValue(text.slice(eq + 1)));
    origins.set(path.join('.'), { kind: 'flag', text });
  }
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    path.push(key);
    const known = knownKeys(schema, issue.path);
    const suggestion = closest(key, known);
    message = `unknown setting${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  const field = path.join('.') || '(top level)';
  const origin = findOrigin(origins, path);
  let location: SourceLocation | undefined;
  if (origin?.kind === 'env') location = { file: `environment ${origin.name}`, field };
  else if (origin?.kind === 'flag') location = { file: `--set ${origin.text}`, field };
  else {
    // The last file that sets the field (or its nearest parent) is the one to blame.
    const source = sources.findLast((src) => hasPath(src.data, path)) ?? sources.at(-1);
    if (source) location = { file: source.file, ...source.locate(path), field };
  }
  location ??= { file: '(defaults)', field };
  const more = result.error.issues.length - 1;
  throw new ConfigError(message, location, {
    hint: `${more > 0 ? `${more} more problem(s) after this one; ` : ''}${layers.fieldsHint ?? 'see `kefu config explain` for every field, its type and default'}`,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out;
}

function hasPath(data: unknown, path: readonly string[]): boolean {
  let node = data;
  for (const key of path.slice(0, Math.max(1, path.length - 1))) {
    if (!isPlainObject(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

function envKeyToField(part: string): string {
  // STORAGE__BUSY_TIMEOUT_MS -> busyTimeoutMs
  return part.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function findOrigin(origins: Map<string, Origin>, path: readonly string[]): Origin | undefined {
  for (let n = path.length; n > 0; n--) {
    const hit = origins.get(path.slice(0, n).join('.'));
    if (hit) return hit;
  }
  return undefined;
}

/** Keys the object schema at `path` accepts (for "did you mean"). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const key of [...path, null]) {
    node = unwrap(node);
    const shape = (node as { shape?: Record<string, unknown> }).shape;
    if (!shape) return [];
    if (key === null) return Object.keys(shape);
    node = shape[String(key)];
  }
  return [];
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: { innerType?: unknown; type?: string } };
  for (let i = 0; i < 10 && current?.def?.innerType; i++) current = current.def.innerType as typeof current;
  return current;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
