/**
 * One entry point for record conversion: `detectFormat` picks a `RecordFormat` from a record's
 * keys, `fromRecord` converts a raw record in a given format to an `Example` (or issues), and
 * `toRecord` writes an `Example` in a given format. Dispatch only; the converters are in
 * alpaca.ts, sharegpt.ts and openai.ts. No I/O.
 */
import type { Example, RecordFormat, SourceRef } from '../example.js';
import {
  fromAlpaca,
  fromAlpacaPreference,
  fromPreference,
  toAlpaca,
  toAlpacaPreference,
  toPreference,
} from './alpaca.js';
import { type ConvertResult, isRecord, type Mapping, type RawRecord, resolveColumns } from './common.js';
import { fromOpenai, toOpenai } from './openai.js';
import { fromSharegpt, fromSharegptPreference, toSharegpt, toSharegptPreference } from './sharegpt.js';

export {
  fromAlpaca,
  fromAlpacaPreference,
  fromPreference,
  toAlpaca,
  toAlpacaPreference,
  toPreference,
} from './alpaca.js';
export {
  ALPACA_COLUMNS,
  type Columns,
  type ConvertResult,
  type Mapping,
  type RawRecord,
  SHAREGPT_TAGS,
  type Tags,
} from './common.js';
export { fromOpenai, toOpenai } from './openai.js';
export { fromSharegpt, fromSharegptPreference, toSharegpt, toSharegptPreference } from './sharegpt.js';

export const RECORD_FORMATS: readonly RecordFormat[] = [
  'alpaca',
  'sharegpt',
  'openai',
  'preference',
  'alpaca_preference',
  'sharegpt_preference',
];

/** Whether a format holds SFT dialogues or preference pairs. */
export function formatKind(format: RecordFormat): Example['kind'] {
  return format === 'alpaca' || format === 'sharegpt' || format === 'openai' ? 'sft' : 'preference';
}

/**
 * The format a record is in, judged from its keys (after `columns` renaming), or undefined.
 * `messages` means OpenAI unless its turns use the sharegpt role key (`from` by default).
 */
export function detectFormat(raw: unknown, mapping: Mapping = {}): RecordFormat | undefined {
  if (!isRecord(raw)) return undefined;
  const cols = resolveColumns(mapping.columns);
  const has = (key: string) => raw[key] !== undefined;
  const ranking = has(cols.chosen) && has(cols.rejected);
  const roleTag = mapping.tags?.role_tag ?? 'from';
  if (Array.isArray(raw[cols.messages])) return ranking ? 'sharegpt_preference' : 'sharegpt';
  const messages = raw.messages;
  if (Array.isArray(messages)) {
    const first = messages[0];
    const sharegpt = isRecord(first) && first[roleTag] !== undefined && first.role === undefined;
    if (sharegpt) return ranking ? 'sharegpt_preference' : 'sharegpt';
    return 'openai';
  }
  if (ranking) {
    if (has(cols.prompt)) return 'alpaca_preference';
    if (has('prompt')) return 'preference';
    return undefined;
  }
  if (has(cols.prompt) || has(cols.response)) return 'alpaca';
  return undefined;
}

/** Column/tag mapping adjusted so a sharegpt record keyed `messages` reads without a mapping. */
function mappingFor(raw: unknown, format: RecordFormat, mapping: Mapping): Mapping {
  if (mapping.columns?.messages || !format.startsWith('sharegpt') || !isRecord(raw)) return mapping;
  if (raw.conversations === undefined && Array.isArray(raw.messages)) {
    return { ...mapping, columns: { ...mapping.columns, messages: 'messages' } };
  }
  return mapping;
}

/** Convert one raw record; `ref.format` says which converter runs. */
export function fromRecord(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  const map = mappingFor(raw, ref.format, mapping);
  switch (ref.format) {
    case 'alpaca':
      return fromAlpaca(raw, ref, map);
    case 'alpaca_preference':
      return fromAlpacaPreference(raw, ref, map);
    case 'preference':
      return fromPreference(raw, ref, map);
    case 'sharegpt':
      return fromSharegpt(raw, ref, map);
    case 'sharegpt_preference':
      return fromSharegptPreference(raw, ref, map);
    case 'openai':
      return fromOpenai(raw, ref, map);
  }
}

/** Write an example in `format`. Throws `InputError` when the example cannot be expressed in it. */
export function toRecord(example: Example, format: RecordFormat): RawRecord {
  switch (format) {
    case 'alpaca':
      return toAlpaca(example);
    case 'alpaca_preference':
      return toAlpacaPreference(example);
    case 'preference':
      return toPreference(example);
    case 'sharegpt':
      return toSharegpt(example);
    case 'sharegpt_preference':
      return toSharegptPreference(example);
    case 'openai':
      return toOpenai(example);
  }
}
