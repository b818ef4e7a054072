/**
 * Shared pieces of the record converters: the LLaMA-Factory `columns`/`tags` mappings and their
 * defaults, an issue collector that never copies field values into messages, type checks for
 * raw JSON, and helpers for the `task`/`id` extras and for joining alpaca's `input` to a turn.
 * No I/O; the converters themselves live in alpaca.ts, sharegpt.ts and openai.ts.
 */
import { InputError } from '../../core/errors.js';
import type { Example, Message, RecordIssue, SourceRef, Task } from '../example.js';
import { TASKS } from '../example.js';

/** LLaMA-Factory `columns`: which record key holds each part. Unset keys use the format's default. */
export interface Columns {
  prompt?: string;
  query?: string;
  response?: string;
  history?: string;
  messages?: string;
  system?: string;
  tools?: string;
  chosen?: string;
  rejected?: string;
}

/** LLaMA-Factory `tags` (sharegpt): the keys of a turn and the role names it uses. */
export interface Tags {
  role_tag?: string;
  content_tag?: string;
  user_tag?: string;
  assistant_tag?: string;
  observation_tag?: string;
  function_tag?: string;
  system_tag?: string;
}

export interface Mapping {
  columns?: Columns;
  tags?: Tags;
}

export const ALPACA_COLUMNS: Required<Columns> = {
  prompt: 'instruction',
  query: 'input',
  response: 'output',
  history: 'history',
  messages: 'conversations',
  system: 'system',
  tools: 'tools',
  chosen: 'chosen',
  rejected: 'rejected',
};

export const SHAREGPT_TAGS: Required<Tags> = {
  role_tag: 'from',
  content_tag: 'value',
  user_tag: 'human',
  assistant_tag: 'gpt',
  observation_tag: 'observation',
  function_tag: 'function_call',
  system_tag: 'system',
};

/** Defaults overlaid with the mapping's own entries (LLaMA-Factory names; empty values ignored). */
export function resolveColumns(
  columns: Columns | undefined,
  defaults: Partial<Columns> = {},
): Required<Columns> {
  return { ...ALPACA_COLUMNS, ...defaults, ...definedOnly(columns) } as Required<Columns>;
}

export function resolveTags(tags: Tags | undefined): Required<Tags> {
  return { ...SHAREGPT_TAGS, ...definedOnly(tags) } as Required<Tags>;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, item] of Object.entries(value ?? {})) {
    if (typeof item === 'string' && item !== '') (out as Record<string, unknown>)[key] = item;
  }
  return out;
}

export type ConvertResult = { example: Example } | { issues: RecordIssue[] };

export type RawRecord = Record<string, unknown>;

/** The JSON type of a value, for messages: "string", "number", "null", "array", "object"... */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects issues for one record. Messages say what was expected and the type that arrived. */
export class Issues {
  readonly list: RecordIssue[] = [];
  constructor(private readonly ref: SourceRef) {}

  add(field: string, message: string): void {
    this.list.push({ file: this.ref.file, line: this.ref.line, field, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** A required string at `obj[key]`; `field` is the path used in the issue. */
  string(obj: RawRecord, key: string, field: string = key): string | undefined {
    const value = obj[key];
    if (typeof value === 'string') return value;
    this.add(
      field,
      value === undefined ? 'missing: expected a string' : `expected a string, got ${typeName(value)}`,
    );
    return undefined;
  }

  /** An optional string: absent or null gives undefined. */
  optionalString(obj: RawRecord, key: string, field: string = key): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.add(field, `expected a string, got ${typeName(value)}`);
    return undefined;
  }

  /** The record itself must be an object. */
  record(raw: unknown): RawRecord | undefined {
    if (isRecord(raw)) return raw;
    this.add('(record)', `expected a JSON object, got ${typeName(raw)}`);
    return undefined;
  }

  result(example: Example): ConvertResult {
    return this.empty ? { example } : { issues: this.list };
  }
}

/** Tools as LLaMA-Factory stores them: a JSON string. Arrays/objects are accepted and stringified. */
export function readTools(obj: RawRecord, key: string, issues: Issues): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  issues.add(key, `expected a JSON string or array of tool definitions, got ${typeName(value)}`);
  return undefined;
}

/** The `task` and `id` extras, validated. */
export function readExtras(obj: RawRecord, issues: Issues): { task?: Task; id?: string } {
  const out: { task?: Task; id?: string } = {};
  const task = obj.task;
  if (task !== undefined && task !== null) {
    if (typeof task === 'string' && (TASKS as readonly string[]).includes(task)) out.task = task as Task;
    else
      issues.add(
        'task',
        `expected one of ${TASKS.join(', ')}${typeof task === 'string' ? '' : `, got ${typeName(task)}`}`,
      );
  }
  const id = obj.id;
  if (id !== undefined && id !== null) {
    if (typeof id === 'string' && id !== '') out.id = id;
    else if (typeof id === 'number' && Number.isFinite(id)) out.id = String(id);
    else issues.add('id', `expected a non-empty string or a number, got ${typeName(id)}`);
  }
  return out;
}

/** Copy the optional parts of an example that are set, leaving unset ones out of the object. */
export function assignDefined<T extends object>(target: T, parts: Partial<T>): T {
  for (const [key, value] of Object.entries(parts)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}

/** Extras written back by every `toX`: `task` and `id` when the example has them. */
export function extrasOf(example: Example): RawRecord {
  return assignDefined<RawRecord>({}, { task: example.task, id: example.id });
}

/** The instruction and alpaca input joined as LLaMA-Factory does: non-empty parts, newline between. */
export function joinInput(instruction: string, input: string | undefined): string {
  return [instruction, input ?? ''].filter((part) => part !== '').join('\n');
}

/** Messages with `input` joined onto the last user turn (for formats without an input field). */
export function messagesWithInput(example: Example): Message[] {
  if (!example.input) return example.messages.map((m) => ({ ...m }));
  let last = -1;
  example.messages.forEach((m, i) => {
    if (m.role === 'user') last = i;
  });
  return example.messages.map((m, i) =>
    i === last ? { role: m.role, content: joinInput(m.content, example.input) } : { ...m },
  );
}

/** Error for an example that cannot be written in a format; names its source when known. */
export function unwritable(example: Example, format: string, reason: string): InputError {
  const at = example.source ? { file: example.source.file, line: example.source.line } : undefined;
  return new InputError(`cannot write this example as ${format}: ${reason}`, at, {
    hint: 'pick an output format that can hold it (sharegpt holds tool turns and multi-turn dialogues)',
  });
}
