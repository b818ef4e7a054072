/**
 * `kefu data validate|clean|stats|split|export`: flag parsing and printing around the data jobs
 * in src/data/jobs. Inputs are files (.json, .jsonl, .csv) or LLaMA-Factory dataset_info.json
 * files/folders. No workspace is needed: paths are relative to the current folder.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../core/errors.js';
import { exportFiles } from '../../data/jobs/export-files.js';
import { splitFiles } from '../../data/jobs/split-file.js';
import { statsFiles } from '../../data/jobs/stats-files.js';
import { formatIssue, validateFiles } from '../../data/jobs/validate-files.js';
import { renderReportText } from '../../data/report/terminal.js';
import type { CommandContext } from '../context.js';
import { registerClean } from './data-clean.js';
import { inputsFor } from './inputs.js';

const INPUTS_HELP = 'data files (.json, .jsonl, .csv) or LLaMA-Factory dataset_info.json files/folders';

function number(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new UsageError(`${name} expects a number, got "${value}"`);
    return parsed;
  };
}

export function registerData(program: Command, context: () => CommandContext): void {
  const data = program
    .command('data')
    .description('validate, clean, describe, split and export training datasets');

  data
    .command('validate')
    .description('check every record; print each problem as file:line: field: what was expected')
    .argument('<files...>', INPUTS_HELP)
    .addHelpText(
      'after',
      `
Messages never repeat a field's value (it may hold personal data). Exit code 2 when any record is bad.

Examples:
  $ kefu data validate dialogues.json faq.jsonl
  $ kefu data validate ../LLaMA-Factory/data/dataset_info.json --json`,
    )
    .action(async (files: string[]) => {
      const ctx = context();
      const result = await validateFiles(await inputsFor(ctx, files), { progress: ctx.progress() });
      ctx.result(result);
      for (const file of result.files) {
        for (const issue of file.issues) ctx.print(formatIssue(issue));
        const hidden = file.issueCount - file.issues.length - (file.fatal ? 1 : 0);
        if (hidden > 0) {
          ctx.print(`${file.file}: … ${hidden} more problems not shown`);
        }
        if (file.fatal) ctx.print(file.fatal);
        ctx.print(
          `${file.fatal || file.issueCount ? '✗' : '✓'} ${file.name}: ${file.valid} valid records` +
            (file.invalidRecords ? `, ${file.invalidRecords} invalid` : '') +
            (file.fatal ? ', unreadable past the error' : ''),
        );
      }
      if (result.issues > 0) {
        throw new InputError(`${result.issues} problem(s) found`, undefined, {
          code: 'E_INVALID_DATA',
          hint: '`kefu data clean` drops invalid records and writes them to its audit file',
        });
      }
    });

  registerClean(data, context);

  data
    .command('stats')
    .description('counts per task, turns and lengths; optionally an HTML page with charts')
    .argument('<files...>', INPUTS_HELP)
    .option('--html <file>', 'also write the report as one self-contained HTML page')
    .addHelpText(
      'after',
      `
Examples:
  $ kefu data stats datasets/sft.json
  $ kefu data stats datasets/*.json --html reports/data.html`,
    )
    .action(async (files: string[], options: { html?: string }) => {
      const ctx = context();
      const htmlPath = options.html ? resolve(ctx.io.cwd, options.html) : undefined;
      const result = await statsFiles(await inputsFor(ctx, files), { progress: ctx.progress(), htmlPath });
      ctx.result({ ...result, html: htmlPath });
      ctx.print(renderReportText({ title: 'kefu data stats', stats: result.stats }));
      if (result.invalid)
        ctx.print(`(${result.invalid} invalid records not counted; see kefu data validate)`);
      if (htmlPath) ctx.print(`HTML report: ${htmlPath}`);
    });

  data
    .command('split')
    .description('split into train / validation / test, stratified by task, seeded')
    .argument('<files...>', `${INPUTS_HELP}; all go into one split`)
    .requiredOption('-o, --out <dir>', 'folder for train, validation and test files')
    .option('--train <share>', 'share for training (default from config data.split.train)', number('--train'))
    .option('--validation <share>', 'share for validation', number('--validation'))
    .option('--test <share>', 'share held out for evaluation', number('--test'))
    .option('--seed <n>', 'seed (default from config data.split.seed, 42)', number('--seed'))
    .addHelpText(
      'after',
      `
Every task (order, shipping, after_sales, product, other) is split in proportion; the same seed
and data give the same split whatever the input order. Files keep the records' format.

Examples:
  $ kefu data split clean/sft.json --out splits/
  $ kefu data split clean/sft.json --out splits/ --train 0.9 --validation 0.05 --test 0.05 --seed 7`,
    )
    .action(
      async (
        files: string[],
        options: { out: string; train?: number; validation?: number; test?: number; seed?: number },
      ) => {
        const ctx = context();
        const defaults = ctx.config().data.split;
        const result = await splitFiles(await inputsFor(ctx, files), resolve(ctx.io.cwd, options.out), {
          train: options.train ?? defaults.train,
          validation: options.validation ?? defaults.validation,
          test: options.test ?? defaults.test,
          seed: options.seed ?? defaults.seed,
        });
        ctx.result(result);
        for (const f of result.files)
          ctx.print(`${f.split.padEnd(10)} ${String(f.records).padStart(7)}  ${f.path}`);
      },
    );

  data
    .command('export')
    .description("write datasets in LLaMA-Factory's layout: files + dataset_info.json")
    .argument('<files...>', INPUTS_HELP)
    .requiredOption('-o, --out <dir>', 'output folder (an existing dataset_info.json there is merged)')
    .option('-f, --format <format>', 'target layout; only llamafactory for now', 'llamafactory')
    .option('--name <names...>', 'dataset names in dataset_info.json, one per input (default: file names)')
    .addHelpText(
      'after',
      `
SFT sets become alpaca records; preference sets become alpaca-style ranking records with
"ranking": true and columns prompt/query/chosen/rejected.

Examples:
  $ kefu data export clean/sft.json clean/preference.json --out ../LLaMA-Factory/data/kefu
  $ kefu data export splits/train.json --out export --name kefu_sft_train`,
    )
    .action(async (files: string[], options: { out: string; format: string; name?: string[] }) => {
      const ctx = context();
      if (options.format !== 'llamafactory') {
        throw new UsageError(`unknown export format "${options.format}"`, {
          hint: 'use --format llamafactory',
        });
      }
      const outDir = resolve(ctx.io.cwd, options.out);
      const exported = await exportFiles(await inputsFor(ctx, files), outDir, { names: options.name });
      ctx.result({ outDir, datasets: exported });
      for (const d of exported) ctx.print(`${d.name.padEnd(24)} ${String(d.count).padStart(7)}  ${d.file}`);
      ctx.print(`dataset_info.json written to ${outDir}`);
    });
}
