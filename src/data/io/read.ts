/**
 * `readExamples`: stream a dataset file (.json array, .jsonl, .csv) as `Example`s with bounded
 * memory. File-level problems (encoding, truncated or non-array JSON, broken CSV quoting, unknown
 * extension) throw `InputError` with file and line; per-record problems (bad JSON on one line,
 * missing fields, wrong types, turn order) are yielded as issues so a validator can list them all.
 * Record conversion itself lives in ../formats.
 */
import { basename, extname } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Example, RecordFormat, RecordIssue } from '../example.js';
import { detectFormat, formatKind, fromRecord, type Mapping } from '../formats/index.js';
import { CsvParser } from './csv.js';
import { JsonArraySplitter } from './json-array.js';
import { LineSplitter } from './lines.js';
import { readText } from './text.js';

export type ReadItem = { ok: true; example: Example } | { ok: false; issue: RecordIssue };

export interface ReadOptions extends Mapping {
  /** Format of every record. Defaults to detecting it per record from its keys. */
  format?: RecordFormat;
  /** Kind every example must have; others become issues. Defaults to accepting both. */
  kind?: Example['kind'];
  /** Give examples without an `id` one made of the file name and line (`file.json:12`). Defaults to false. */
  assignIds?: boolean;
}

/** A raw record before conversion, or a problem found while parsing it. */
type RawItem = { line: number; value: unknown } | { line: number; issue: RecordIssue };

const CSV_FORMATS: readonly RecordFormat[] = ['alpaca', 'alpaca_preference', 'preference'];

/** JSON.parse's message without the text snippet newer engines quote (it may hold personal data). */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of (JSON|data)|Unterminated/i.test(message)) return 'invalid JSON: the record is cut off';
  const at = /position (\d+)/.exec(message);
  return `invalid JSON${at ? ` at column ${Number(at[1]) + 1}` : ''}`;
}

function parse(file: string, line: number, text: string): RawItem {
  try {
    return { line, value: JSON.parse(text) };
  } catch (error) {
    return { line, issue: { file, line, field: '(record)', message: jsonProblem(error) } };
  }
}

async function* jsonRecords(file: string): AsyncGenerator<RawItem> {
  const splitter = new JsonArraySplitter(file);
  for await (const chunk of readText(file)) {
    for (const element of splitter.push(chunk)) yield parse(file, element.line, element.text);
  }
  splitter.end();
}

async function* jsonlRecords(file: string): AsyncGenerator<RawItem> {
  const splitter = new LineSplitter();
  for await (const chunk of readText(file)) {
    for (const line of splitter.push(chunk)) yield parse(file, line.line, line.text);
  }
  for (const line of splitter.end()) yield parse(file, line.line, line.text);
}

const OPTIONAL_CELLS = new Set(['system', 'history', 'tools', 'task', 'id']);

async function* csvRecords(file: string): AsyncGenerator<RawItem> {
  const parser = new CsvParser(file);
  let header: string[] | undefined;
  const toRecord = (line: number, cells: string[]): RawItem => {
    if (!header) throw new Error('unreachable');
    if (cells.length !== header.length) {
      const message = `expected ${header.length} cells as in the header, got ${cells.length}`;
      return { line, issue: { file, line, field: '(row)', message } };
    }
    const record: Record<string, unknown> = {};
    for (const [i, key] of header.entries()) {
      const cell = cells[i]!;
      if (cell === '' && OPTIONAL_CELLS.has(key)) continue;
      if (key !== 'history') {
        record[key] = cell;
        continue;
      }
      try {
        record[key] = JSON.parse(cell);
      } catch {
        const message = 'expected a JSON array of [question, answer] pairs';
        return { line, issue: { file, line, field: 'history', message } };
      }
    }
    return { line, value: record };
  };
  const rows = async function* () {
    for await (const chunk of readText(file)) yield* parser.push(chunk);
    yield* parser.end();
  };
  for await (const row of rows()) {
    if (header) {
      yield toRecord(row.line, row.cells);
      continue;
    }
    header = row.cells.map((cell) => cell.trim());
    const seen = new Set<string>();
    for (const key of header) {
      if (key === '' || seen.has(key)) {
        throw new InputError(
          key === '' ? 'CSV header has an empty column name' : 'CSV header repeats a column name',
          {
            file,
            line: row.line,
          },
        );
      }
      seen.add(key);
    }
  }
}

function rawRecords(file: string, format: RecordFormat | undefined): AsyncGenerator<RawItem> {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return jsonRecords(file);
  if (ext === '.jsonl' || ext === '.ndjson') return jsonlRecords(file);
  if (ext === '.csv') {
    if (format && !CSV_FORMATS.includes(format)) {
      throw new InputError(`CSV holds ${CSV_FORMATS.join(', ')} records, not ${format}`, { file });
    }
    return csvRecords(file);
  }
  throw new InputError(`unknown file type '${ext || '(none)'}', expected .json, .jsonl or .csv`, { file });
}

const UNKNOWN_FORMAT =
  'cannot tell the record format: expected alpaca (instruction, output), sharegpt (conversations), ' +
  'openai (messages) or preference (prompt or instruction, chosen, rejected) keys';

/** Stream the examples of `file`, yielding an issue for each record that cannot be used. */
export async function* readExamples(file: string, options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const mapping: Mapping = { columns: options.columns, tags: options.tags };
  for await (const item of rawRecords(file, options.format)) {
    const { line } = item;
    if ('issue' in item) {
      yield { ok: false, issue: item.issue };
      continue;
    }
    const format = options.format ?? detectFormat(item.value, mapping);
    if (!format) {
      yield { ok: false, issue: { file, line, field: '(record)', message: UNKNOWN_FORMAT } };
      continue;
    }
    if (options.kind && formatKind(format) !== options.kind) {
      const message = `expected a ${options.kind} record, got a ${formatKind(format)} record (${format})`;
      yield { ok: false, issue: { file, line, field: '(record)', message } };
      continue;
    }
    const result = fromRecord(item.value, { file, line, format }, mapping);
    if ('issues' in result) {
      for (const issue of result.issues) yield { ok: false, issue };
      continue;
    }
    if (options.assignIds && result.example.id === undefined) result.example.id = `${basename(file)}:${line}`;
    yield { ok: true, example: result.example };
  }
}

/** All examples and issues of a file at once (for small files and tests). */
export async function readAllExamples(
  file: string,
  options: ReadOptions = {},
): Promise<{ examples: Example[]; issues: RecordIssue[] }> {
  const examples: Example[] = [];
  const issues: RecordIssue[] = [];
  for await (const item of readExamples(file, options)) {
    if (item.ok) examples.push(item.example);
    else issues.push(item.issue);
  }
  return { examples, issues };
}
