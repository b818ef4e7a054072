/**
 * LLaMA-Factory's `dataset_info.json`: read it into local datasets with resolved paths and the
 * read options (format, columns, tags, kind) that `readExamples` needs; write it; and export kefu
 * datasets as a LLaMA-Factory data folder (alpaca for SFT, alpaca-style ranking for preference)
 * atomically. Remote entries (hub or script URLs without `file_name`) are listed as skipped, not
 * errors. Does not download anything and does not read the dataset files themselves.
 */
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AtomicDir, writeFileAtomic } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';
import type { Example, RecordFormat } from '../example.js';
import { type Columns, formatKind, type Tags } from '../formats/index.js';
import type { ReadOptions } from './read.js';
import { writeExamplesSummary } from './write.js';

export const DATASET_INFO = 'dataset_info.json';

export interface DatasetInfoEntry {
  file_name?: string;
  /** Defaults to alpaca. */
  formatting?: 'alpaca' | 'sharegpt' | 'openai';
  /** Preference pairs. Defaults to false. */
  ranking?: boolean;
  columns?: Columns;
  tags?: Tags;
  hf_hub_url?: string;
  ms_hub_url?: string;
  script_url?: string;
  [key: string]: unknown;
}

export type DatasetInfo = Record<string, DatasetInfoEntry>;

export interface LocalDataset {
  name: string;
  /** Absolute path of the data file. */
  file: string;
  format: RecordFormat;
  kind: Example['kind'];
  /** Pass to `readExamples(file, read)`. */
  read: ReadOptions;
}

export interface DatasetInfoListing {
  datasets: LocalDataset[];
  /** Entries that are not local files, with the reason ("remote dataset, skipped"). */
  skipped: { name: string; reason: string }[];
}

const REMOTE_KEYS = ['hf_hub_url', 'ms_hub_url', 'om_hub_url', 'script_url'];
const FORMATTINGS = ['alpaca', 'sharegpt', 'openai'];

function stringMap(value: unknown, file: string, field: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('expected an object of names', { file, field });
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw new InputError('expected a string', { file, field: `${field}.${key}` });
  }
  return value as Record<string, string>;
}

/** Local datasets of a parsed dataset_info.json; `dir` resolves `file_name`, `file` names it in errors. */
export function listDatasets(info: unknown, dir: string, file = join(dir, DATASET_INFO)): DatasetInfoListing {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new InputError('expected an object of dataset entries', { file });
  }
  const listing: DatasetInfoListing = { datasets: [], skipped: [] };
  for (const [name, entry] of Object.entries(info as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InputError('expected an object', { file, field: name });
    }
    const e = entry as DatasetInfoEntry;
    if (e.file_name === undefined) {
      if (REMOTE_KEYS.some((key) => e[key] !== undefined))
        listing.skipped.push({ name, reason: 'remote (hub or script) dataset' });
      else throw new InputError('expected file_name or a hub URL', { file, field: name });
      continue;
    }
    if (typeof e.file_name !== 'string' || e.file_name === '') {
      throw new InputError('expected a file name', { file, field: `${name}.file_name` });
    }
    const formatting = e.formatting ?? 'alpaca';
    if (!FORMATTINGS.includes(formatting)) {
      throw new InputError(`expected one of ${FORMATTINGS.join(', ')}`, {
        file,
        field: `${name}.formatting`,
      });
    }
    if (e.ranking !== undefined && typeof e.ranking !== 'boolean') {
      throw new InputError('expected true or false', { file, field: `${name}.ranking` });
    }
    const ranking = e.ranking === true;
    if (ranking && formatting === 'openai') {
      throw new InputError('ranking openai datasets are not supported', { file, field: `${name}.ranking` });
    }
    const format: RecordFormat =
      formatting === 'openai'
        ? 'openai'
        : `${formatting as 'alpaca' | 'sharegpt'}${ranking ? '_preference' : ''}`;
    const columns = stringMap(e.columns, file, `${name}.columns`);
    const tags = stringMap(e.tags, file, `${name}.tags`);
    const kind = formatKind(format);
    const read: ReadOptions = { format, kind };
    if (columns) read.columns = columns;
    if (tags && formatting !== 'alpaca') read.tags = tags;
    listing.datasets.push({ name, file: resolve(dir, e.file_name), format, kind, read });
  }
  return listing;
}

/** Read `path` (a dataset_info.json or the folder holding one). */
export async function readDatasetInfo(path: string): Promise<DatasetInfoListing> {
  const file = path.endsWith('.json') ? path : join(path, DATASET_INFO);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('cannot read dataset_info.json', { file }, { cause: error });
  }
  let info: unknown;
  try {
    info = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError('invalid JSON', { file }, { cause: error });
  }
  return listDatasets(info, resolve(file, '..'), file);
}

async function readExisting(file: string): Promise<DatasetInfo> {
  try {
    await access(file);
  } catch {
    return {};
  }
  const info = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as unknown;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new InputError('expected an object of dataset entries', { file });
  }
  return info as DatasetInfo;
}

/**
 * Write `dir/dataset_info.json` atomically. With `merge` (the default) entries already in the file
 * are kept and those named in `entries` replaced.
 */
export async function writeDatasetInfo(
  dir: string,
  entries: DatasetInfo,
  options: { merge?: boolean } = {},
): Promise<void> {
  const file = join(dir, DATASET_INFO);
  const base = options.merge === false ? {} : await readExisting(file);
  await writeFileAtomic(file, `${JSON.stringify({ ...base, ...entries }, null, 2)}\n`);
}

export interface ExportDataset {
  /** Dataset name in dataset_info.json and file stem: letters, digits, `_`, `-`, `.`. */
  name: string;
  examples: Iterable<Example> | AsyncIterable<Example>;
  kind: Example['kind'];
  /**
   * Record layout. alpaca (default) holds user/assistant dialogues; sharegpt also holds tool calls
   * (function_call / observation turns) and tool definitions.
   */
  layout?: 'alpaca' | 'sharegpt';
}

export interface ExportedDataset {
  name: string;
  file: string;
  count: number;
  entry: DatasetInfoEntry;
}

function entryFor(
  fileName: string,
  kind: Example['kind'],
  layout: 'alpaca' | 'sharegpt',
  keys: Set<string>,
): DatasetInfoEntry {
  const ranking = kind === 'preference' ? { ranking: true } : {};
  if (layout === 'sharegpt') {
    const columns: Columns = { messages: 'conversations' };
    if (kind === 'preference') Object.assign(columns, { chosen: 'chosen', rejected: 'rejected' });
    for (const key of ['system', 'tools'] as const) if (keys.has(key)) columns[key] = key;
    return { file_name: fileName, formatting: 'sharegpt', ...ranking, columns };
  }
  const columns: Columns =
    kind === 'sft'
      ? { prompt: 'instruction', query: 'input', response: 'output' }
      : { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected' };
  for (const key of ['history', 'system', 'tools'] as const) if (keys.has(key)) columns[key] = key;
  return { file_name: fileName, formatting: 'alpaca', ...ranking, columns };
}

/**
 * Write each dataset as `<name>.json` (alpaca or sharegpt; `ranking` for preference sets) plus a
 * dataset_info.json into `outDir`, all at once or not at all. Entries of an existing
 * dataset_info.json in `outDir` are kept unless replaced by name.
 */
export async function exportLlamaFactory(
  outDir: string,
  datasets: ExportDataset[],
): Promise<ExportedDataset[]> {
  const names = new Set<string>();
  for (const { name } of datasets) {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) {
      throw new InputError('dataset names may hold only letters, digits, _, - and .', {
        file: outDir,
        field: name,
      });
    }
    if (names.has(name)) throw new InputError('dataset name used twice', { file: outDir, field: name });
    names.add(name);
  }
  const dir = await AtomicDir.create(outDir);
  try {
    const exported: ExportedDataset[] = [];
    for (const dataset of datasets) {
      const fileName = `${dataset.name}.json`;
      const layout = dataset.layout ?? 'alpaca';
      const format: RecordFormat =
        layout === 'sharegpt'
          ? dataset.kind === 'sft'
            ? 'sharegpt'
            : 'sharegpt_preference'
          : dataset.kind === 'sft'
            ? 'alpaca'
            : 'alpaca_preference';
      const summary = await writeExamplesSummary(dir.file(fileName), dataset.examples, format, {
        jsonl: false,
      });
      const entry = entryFor(fileName, dataset.kind, layout, summary.keys);
      exported.push({ name: dataset.name, file: join(outDir, fileName), count: summary.count, entry });
    }
    const info: DatasetInfo = await readExisting(join(outDir, DATASET_INFO));
    for (const item of exported) info[item.name] = item.entry;
    await writeFileAtomic(dir.file(DATASET_INFO), `${JSON.stringify(info, null, 2)}\n`);
    await dir.commit();
    return exported;
  } catch (error) {
    await dir.abort();
    throw error;
  }
}
