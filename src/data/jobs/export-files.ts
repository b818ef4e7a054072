/**
 * `exportFiles`: write datasets in LLaMA-Factory's layout (alpaca records, or sharegpt for sets with
 * tool calls, + dataset_info.json with the right `ranking` and `columns`), one per input. Any invalid
 * record stops the export before anything is written in place: nothing is trained on bad data.
 */
import { InputError } from '../../core/errors.js';
import type { Example } from '../example.js';
import { type ExportedDataset, exportLlamaFactory } from '../io/dataset-info.js';
import { readExamples } from '../io/read.js';
import type { InputSpec } from './inputs.js';

export type ExportFormat = 'llamafactory';

async function* validExamples(input: InputSpec): AsyncGenerator<Example> {
  for await (const item of readExamples(input.file, input.read)) {
    if (!item.ok) {
      throw new InputError(`${item.issue.field}: ${item.issue.message}`, item.issue, {
        hint: 'fix or clean the data first: kefu data validate / kefu data clean',
      });
    }
    yield item.example;
  }
}

/** The set's kind, and whether it needs sharegpt (tool calls, tool definitions) instead of alpaca. */
async function shapeOf(input: InputSpec): Promise<{ kind: Example['kind']; layout: 'alpaca' | 'sharegpt' }> {
  let kind: Example['kind'] | undefined;
  for await (const example of validExamples(input)) {
    kind ??= example.kind;
    const tools =
      example.tools !== undefined ||
      example.messages.some((m) => m.role !== 'user' && m.role !== 'assistant');
    if (tools) return { kind, layout: 'sharegpt' };
  }
  return { kind: kind ?? 'sft', layout: 'alpaca' };
}

export async function exportFiles(
  inputs: readonly InputSpec[],
  outDir: string,
  options: { format?: ExportFormat; names?: readonly string[] } = {},
): Promise<ExportedDataset[]> {
  const datasets = await Promise.all(
    inputs.map(async (input, i) => ({
      name: options.names?.[i] ?? input.name,
      ...(await shapeOf(input)),
      examples: validExamples(input),
    })),
  );
  return exportLlamaFactory(outDir, datasets);
}
