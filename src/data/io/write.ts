/**
 * `writeExamples`: write examples as a JSON array (one record per line) or JSONL, in any
 * `RecordFormat`, atomically: the file appears complete or not at all, also when an example cannot
 * be written in the format (that throws `InputError` and leaves no file). Streams, so memory stays
 * bounded. Does not validate examples beyond what the format's writer needs.
 */
import { AtomicWriteStream } from '../../core/atomic-file.js';
import type { Example, RecordFormat } from '../example.js';
import { toRecord } from '../formats/index.js';

export interface WriteOptions {
  /** One record per line without the array brackets. Defaults to true when the path ends in `.jsonl`. */
  jsonl?: boolean;
}

export interface WriteSummary {
  count: number;
  /** Every top-level key any written record had (used to build dataset_info.json columns). */
  keys: Set<string>;
}

/** Like `writeExamples`, also reporting which record keys occurred. */
export async function writeExamplesSummary(
  path: string,
  examples: Iterable<Example> | AsyncIterable<Example>,
  format: RecordFormat,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const jsonl = options.jsonl ?? path.toLowerCase().endsWith('.jsonl');
  const out = await AtomicWriteStream.open(path);
  const keys = new Set<string>();
  let count = 0;
  try {
    if (!jsonl) await out.write('[');
    for await (const example of examples) {
      const record = toRecord(example, format);
      for (const key of Object.keys(record)) keys.add(key);
      const text = JSON.stringify(record);
      await out.write(jsonl ? `${text}\n` : `${count === 0 ? '\n' : ',\n'}  ${text}`);
      count++;
    }
    if (!jsonl) await out.write(count === 0 ? ']\n' : '\n]\n');
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
  return { count, keys };
}

/** Write `examples` to `path` in `format`; returns how many were written. */
export async function writeExamples(
  path: string,
  examples: Iterable<Example> | AsyncIterable<Example>,
  format: RecordFormat,
  options: WriteOptions = {},
): Promise<number> {
  return (await writeExamplesSummary(path, examples, format, options)).count;
}
