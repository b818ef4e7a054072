/**
 * `splitFiles`: read datasets, split them stratified by task (seeded), and write
 * `train`, `validation` and `test` files in the records' own format into one folder, all
 * appearing together or not at all. Invalid records stop the split: run `kefu data clean`
 * first. Holds the examples in memory (a split needs the whole set to stratify).
 */
import { extname, join } from 'node:path';
import { AtomicDir } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';
import type { Example, RecordFormat } from '../example.js';
import { readExamples } from '../io/read.js';
import { writeExamples } from '../io/write.js';
import { type SplitRatios, splitExamples } from '../split.js';
import type { InputSpec } from './inputs.js';

export interface SplitFilesResult {
  outDir: string;
  files: { split: 'train' | 'validation' | 'test'; path: string; records: number }[];
}

export async function splitFiles(
  inputs: readonly InputSpec[],
  outDir: string,
  options: Partial<SplitRatios> & { seed?: number; format?: RecordFormat; prefix?: string } = {},
): Promise<SplitFilesResult> {
  const examples: Example[] = [];
  for (const input of inputs) {
    for await (const item of readExamples(input.file, { ...input.read, assignIds: true })) {
      if (!item.ok) {
        throw new InputError(`${item.issue.field}: ${item.issue.message}`, item.issue, {
          hint: 'validate and clean the data first: kefu data validate / kefu data clean',
        });
      }
      examples.push(item.example);
    }
  }
  const format = options.format ?? examples[0]?.source?.format ?? 'alpaca';
  const ext = extname(inputs[0]?.file ?? '.json') === '.jsonl' ? '.jsonl' : '.json';
  const parts = splitExamples(examples, options);
  const dir = await AtomicDir.create(outDir);
  const files: SplitFilesResult['files'] = [];
  try {
    for (const split of ['train', 'validation', 'test'] as const) {
      const name = `${options.prefix ?? ''}${split}${ext}`;
      const records = await writeExamples(dir.file(name), parts[split], format);
      files.push({ split, path: join(outDir, name), records });
    }
    await dir.commit();
  } catch (error) {
    await dir.abort();
    throw error;
  }
  return { outDir, files };
}
