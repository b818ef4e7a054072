/**
 * `kefu quickstart [dir]`: the whole pipeline on the sample shop, with a summary at the end and,
 * while it keeps serving, the API, the web console and (when none is configured) the admin key
 * generated for this run. Does not: print an admin key the user configured.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { formatDuration } from '../../core/progress.js';
import { kernelsInfo } from '../../engine/kernels/index.js';
import { runQuickstart } from '../../quickstart/quickstart.js';
import { serviceSummaryLines } from '../../quickstart/service-summary.js';
import type { CommandContext } from '../context.js';
import { shownPath } from '../shown-path.js';

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
    .option('--no-train', 'skip SFT / DPO: serve and evaluate the committed base model')
    .option('--no-eval', 'start the service but do not evaluate it')
    .option('--no-serve', 'exit after the evaluation instead of serving until Ctrl-C')
    .option('--port <port>', 'port of the service (default: server.port, 8787; 0 = any free port)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new UsageError(`--port must be 0–65535, got "${v}"`);
      return n;
    })
    .option(
      '--full',
      "train with the seed's recipes unchanged: all data, SFT 3 epochs, DPO 2 epochs (hours on a CPU)",
    )
    .addHelpText(
      'after',
      `
Stages: workspace → sample shop → clean → split → LLaMA-Factory export → order book → knowledge
base → base model → SFT (LoRA) → DPO → start the service → evaluate it over HTTP (the seed's five
metrics, safety, reports/eval-*/report.html) → register in the database → keep serving until Ctrl-C.
Quick mode trains on 3,000 dialogues and all preference pairs for one epoch each with the seed's
hyper-parameters; --full runs examples/train/*.yaml unchanged.

Examples:
  $ kefu quickstart                      # ./kefu-quickstart, the seed's full volumes
  $ kefu quickstart /tmp/try --scale 0.1 # a tenth of the data, for a fast look
  $ kefu quickstart --no-train           # no training: serve and evaluate the base model
  $ kefu quickstart --no-serve           # exit after the evaluation (CI, scripts)`,
    )
    .action(
      async (
        dir: string,
        options: {
          scale?: number;
          train: boolean;
          full?: boolean;
          eval: boolean;
          serve: boolean;
          port?: number;
        },
      ) => {
        const ctx = context();
        if (options.train && !kernelsInfo().native.available) {
          ctx.io.stderr.write(
            'warning: OpenBLAS kernels are not built, so training runs on the portable WebAssembly kernels (~1.8× slower).\n' +
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
          evaluate: options.eval,
          ...(options.port !== undefined ? { port: options.port } : {}),
          progress: ctx.progress(),
          onStage: (stage, index, total) => ctx.print(`[${index}/${total}] ${stage}`),
        });
        const { service, evaluation, ...printable } = result;
        ctx.result({
          ...printable,
          ...(evaluation ? { evaluation: { summary: evaluation.summary, written: evaluation.written } } : {}),
          ...(service
            ? {
                service: {
                  url: service.url,
                  model: service.model,
                  customerId: service.customerId,
                  ...(options.serve
                    ? {
                        console: service.consoleUrl,
                        // Only a key generated for this run; one from the config is never echoed.
                        ...(service.adminKey.origin === 'generated'
                          ? { adminKey: service.adminKey.key }
                          : {}),
                      }
                    : {}),
                },
              }
            : {}),
        });
        const rel = (p: string) => shownPath(ctx.io.cwd, p);
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
          ctx.print(`  gguf          ${rel(result.training.gguf.path)}  (kefu eval --variants ablation)`);
        }
        ctx.print(
          `  stage times   ${Object.entries(result.seconds)
            .map(([k, v]) => `${k} ${v}s`)
            .join(', ')}`,
        );
        ctx.print(
          `  order book    ${result.shop.customers} customers, ${result.shop.orders} orders, ${result.shop.shipments} shipments`,
        );
        ctx.print(
          `  knowledge     ${result.knowledge.files} documents, ${result.knowledge.chunksWritten} chunks (${result.knowledge.embedder})`,
        );
        if (evaluation) {
          ctx.print('');
          ctx.print(evaluation.text.trimEnd());
        }
        if (!service) return;
        ctx.print('');
        for (const line of serviceSummaryLines(service, {
          serving: options.serve,
          workspace: result.root,
          rel,
        })) {
          ctx.print(line);
        }
        if (!options.serve) {
          await service.close();
          return;
        }
        ctx.print('Press Ctrl-C to stop.');
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        ctx.print('stopping: finishing answers in flight …');
        await service.close();
      },
    );
}
