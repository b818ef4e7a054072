/**
 * Turn what a user passes on the command line into dataset inputs: plain files (.json, .jsonl,
 * .csv, format detected per record), and LLaMA-Factory `dataset_info.json` files (or folders
 * holding one), which expand to their local entries with the entry's columns and tags mapping.
 * Remote entries (hub URLs) are reported as skipped. Checks that files exist; reads no records.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { DATASET_INFO, readDatasetInfo } from '../io/dataset-info.js';
import type { ReadOptions } from '../io/read.js';

const DATA_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.csv'];

export interface InputSpec {
  /** Absolute path of the data file. */
  file: string;
  /** Dataset name: the dataset_info.json entry, else the file name without extension. */
  name: string;
  read: ReadOptions;
}

export interface ExpandedInputs {
  inputs: InputSpec[];
  skipped: { name: string; reason: string }[];
}

export async function expandInputs(paths: readonly string[], cwd = process.cwd()): Promise<ExpandedInputs> {
  const inputs: InputSpec[] = [];
  const skipped: ExpandedInputs['skipped'] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new InputError('no such file or folder', { file: given });
    const isDir = statSync(path).isDirectory();
    if (isDir || basename(path) === DATASET_INFO) {
      if (isDir && !existsSync(join(path, DATASET_INFO))) {
        throw new InputError(
          `is a folder without ${DATASET_INFO}`,
          { file: given },
          {
            hint: 'pass the data files themselves, or a LLaMA-Factory data folder',
          },
        );
      }
      const info = await readDatasetInfo(path);
      for (const dataset of info.datasets) {
        const ext = extname(dataset.file).toLowerCase();
        if (!existsSync(dataset.file))
          skipped.push({ name: dataset.name, reason: 'its file is not in this folder' });
        else if (!DATA_EXTENSIONS.includes(ext)) {
          skipped.push({
            name: dataset.name,
            reason: `plain-text (${ext}) datasets are for pre-training, not dialogues`,
          });
        } else inputs.push({ file: dataset.file, name: dataset.name, read: dataset.read });
      }
      skipped.push(...info.skipped);
      continue;
    }
    inputs.push({ file: path, name: basename(path, extname(path)), read: {} });
  }
  return { inputs, skipped };
}
