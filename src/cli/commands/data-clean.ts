/** `kefu data clean`: flags and printing around cleanFiles (src/data/jobs/clean-files.ts). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cleanFiles } from '../../data/jobs/clean-files.js';
import { renderReportText } from '../../data/report/terminal.js';
import type { CommandContext } from '../context.js';
import { inputsFor } from './inputs.js';

export function registerClean(data: Command, context: () => CommandContext): void {
  data
    .command('clean')
    .description('dedupe, drop junk and ads, mask personal data; write kept data, an audit file and a report')
    .argument(
      '<files...>',
      'data files (.json, .jsonl, .csv) or LLaMA-Factory dataset_info.json files/folders',
    )
    .requiredOption('-o, --out <dir>', 'output folder; its files appear together when cleaning succeeds')
    .addHelpText(
      'after',
      `
What it does, in order, per record (duplicates are found across all input files):
  1. masks personal data: mobile numbers, ID numbers (checksum), bank cards (Luhn), e-mails,
     addresses, names after honorifics; order, tracking and model numbers stay intact
  2. drops junk: mojibake, control characters, empty/too short/too long turns, replies that repeat the question
  3. drops ads and spam: links, QQ/WeChat/phone solicitations, promotion phrases
  4. drops exact duplicates (after NFKC, whitespace and punctuation normalisation)
  5. drops near-duplicates (MinHash + LSH over character 3-grams, Jaccard >= data.clean.nearDuplicates.threshold)
Invalid records are dropped too. Every dropped or masked record gets a line in audit.jsonl.
Tune it in kefu.yaml under data.clean (see \`kefu config explain data.clean\`) or with --set.

Examples:
  $ kefu data clean raw/dialogues.json raw/faq.json --out clean/
  $ kefu data clean raw/ --out clean/ --set data.clean.nearDuplicates.threshold=0.9`,
    )
    .action(async (files: string[], options: { out: string }) => {
      const ctx = context();
      const config = ctx.config().data.clean;
      const result = await cleanFiles(await inputsFor(ctx, files), resolve(ctx.io.cwd, options.out), {
        config,
        progress: ctx.progress(),
      });
      ctx.result(result);
      for (const f of result.files) {
        ctx.print(
          `${f.name}: read ${f.read}, kept ${f.kept}, dropped ${f.dropped}` +
            (f.invalid ? ` (${f.invalid} invalid)` : '') +
            ` → ${f.output}`,
        );
      }
      ctx.print(renderReportText({ title: 'kefu data clean', stats: result.stats, clean: result.summary }));
      ctx.print(`audit: ${result.audit}\nreport: ${result.reportHtml}`);
    });
}
