/** `kefu quickstart [dir]`: the whole pipeline on the sample shop, with a summary at the end. */
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { formatDuration } from '../../core/progress.js';
import { kernelsInfo } from '../../engine/kernels/index.js';
import { runQuickstart } from '../../quickstart/quickstart.js';
import type { CommandContext } from '../context.js';

export function registerQuickstart(program: Command, context: () => CommandContext): void {
  program
    .command('quickstart')
    .description('run everything kefu has, end to end, on the generated sample shop')
    .argument('[dir]', 'workspace folder to create or reuse', 'kefu-quickstart')
    .option(
      '--scale <x>',
      'sample volume multiplier (1 = the seed: 10,000 dialogues, 5,000 FAQ, 1,000 pairs)',
      (v) => {
        const n = Number(v);
        if (!(n > 0)) throw new UsageError(`--scale expects a positive number, got "${v}"`);
        return n;
      },
    )
    .option('--no-train', 'stop after the data stages (no SFT / DPO)')
    .option(
      '--full',
      "train with the seed's recipes unchanged: all data, SFT 3 epochs, DPO 2 epochs (hours on a CPU)",
    )
    .addHelpText(
      'after',
      `
Stages: workspace → sample shop → clean → split → LLaMA-Factory export → base model → SFT (LoRA)
→ DPO → register in the database. Quick mode trains on 3,000 dialogues and all preference pairs for
one epoch each with the seed's hyper-parameters; --full runs examples/train/*.yaml unchanged.
The knowledge base, the server and evaluation join as they are built.

Examples:
  $ kefu quickstart                      # ./kefu-quickstart, the seed's full volumes
  $ kefu quickstart /tmp/try --scale 0.1 # a tenth of the data, for a fast look
  $ kefu quickstart --no-train           # data stages only`,
    )
    .action(async (dir: string, options: { scale?: number; train: boolean; full?: boolean }) => {
      const ctx = context();
      if (options.train && !kernelsInfo().native.available) {
        ctx.io.stderr.write(
          'warning: OpenBLAS kernels are not built, so training runs on portable JS kernels (~20× slower).\n' +
            '         apt-get install libopenblas-dev and rerun npm install, or pass --no-train.\n',
        );
      }
      const started = performance.now();
      const result = await runQuickstart({
        dir: resolve(ctx.io.cwd, dir),
        sets: ctx.globals.set,
        env: ctx.io.env,
        recipe: ctx.globals.config ? resolve(ctx.io.cwd, ctx.globals.config) : undefined,
        scale: options.scale,
        train: options.train,
        full: options.full ?? false,
        progress: ctx.progress(),
        onStage: (stage, index, total) => ctx.print(`[${index}/${total}] ${stage}`),
      });
      ctx.result(result);
      const rel = (p: string) => relative(ctx.io.cwd, p) || '.';
      const { clean, split, sample } = result;
      const c = sample.counts;
      const s = clean.summary;
      ctx.print('');
      ctx.print(
        `kefu quickstart finished in ${formatDuration((performance.now() - started) / 1000)}  (run ${result.runId})`,
      );
      ctx.print(`  workspace     ${rel(result.root)}`);
      ctx.print(
        `  sample shop   ${c.products} products, ${c.orders} orders, ${c.sft} dialogues, ${c.faq} FAQ, ${c.preference} pairs`,
      );
      ctx.print(
        `  cleaning      kept ${s.kept} of ${s.processed}, dropped ${s.dropped}, masked ` +
          `${Object.values(s.masked).reduce((a, b) => a + b, 0)} personal-data spans`,
      );
      ctx.print(`  split (sft)   ${split.files.map((f) => `${f.split} ${f.records}`).join(', ')}`);
      ctx.print(`  data report   ${rel(clean.reportHtml)}`);
      ctx.print(`  audit         ${rel(clean.audit)}`);
      ctx.print(`  LLaMA-Factory ${rel(result.export.dir)}/dataset_info.json`);
      if (result.training) {
        const { sft, dpo } = result.training;
        const f = (x: number | undefined, digits = 3) => (x === undefined ? '?' : x.toFixed(digits));
        ctx.print(
          `  SFT (LoRA)    ${sft.steps} steps in ${formatDuration(sft.seconds)}: validation loss ` +
            `${f(sft.before.eval_loss)} (base) → ${f(sft.after.eval_loss)}   ${rel(sft.outputDir)}`,
        );
        ctx.print(
          `  DPO           ${dpo.steps} steps in ${formatDuration(dpo.seconds)}: held-out rewards/accuracies ` +
            `${f(dpo.after['eval_rewards/accuracies'], 2)}, margin ${f(dpo.before['eval_rewards/margins'])} → ` +
            `${f(dpo.after['eval_rewards/margins'])}   ${rel(dpo.outputDir)}`,
        );
        ctx.print(
          `  export        kefu export --model ${rel(result.training.base)} --adapter ${rel(sft.outputDir)} --out export/`,
        );
      }
      ctx.print(
        `  stage times   ${Object.entries(result.seconds)
          .map(([k, v]) => `${k} ${v}s`)
          .join(', ')}`,
      );
      ctx.print('');
      ctx.print('Not built yet: knowledge base, assistant, server, evaluation — see README "Status".');
    });
}
