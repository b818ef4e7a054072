/**
 * `kefu eval`: measure the workspace's assistant on sets generated from its own order book —
 * accuracy, latency, coherence, replacement rate, satisfaction, safety, pass^k — through the
 * running server (`--url`) or in process, with ablations on the same sets (`--variants`). Flags
 * become a `runEvaluation` call (src/eval); this file only parses and prints.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { runEvaluation } from '../../eval/run-evaluation.js';
import { EVAL_SET_NAMES, type EvalSetName } from '../../eval/types.js';
import type { CommandContext } from '../context.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`expected a positive whole number, got "${value}"`);
  return n;
}

export function parseSetList(value: string): EvalSetName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(EVAL_SET_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`unknown eval set "${name}"`, {
        hint: `use any of: ${EVAL_SET_NAMES.join(', ')}`,
      });
    }
  }
  if (names.length === 0) throw new UsageError('--sets needs at least one set name');
  return names as EvalSetName[];
}

interface EvalFlags {
  url?: string;
  token?: string;
  route: string;
  model?: string;
  sets?: EvalSetName[];
  limit?: number;
  repeat: number;
  concurrency: number;
  variants?: string;
  seed?: number;
  judgeUrl?: string;
  judgeModel?: string;
  judgeKey?: string;
  write: boolean;
}

export function registerEval(program: Command, context: () => CommandContext): void {
  program
    .command('eval')
    .description('evaluate the assistant: accuracy, latency, coherence, replacement, satisfaction, safety')
    .option(
      '--url <url>',
      'the running server (e.g. http://127.0.0.1:8787); default: the assistant in process',
    )
    .option(
      '--token <token>',
      'one customer token for every conversation (default: mint one per customer with the workspace secret)',
    )
    .option('--route <route>', 'HTTP route: openai (/v1/chat/completions) or sessions', 'openai')
    .option('--model <spec>', 'in-process model: HF or adapter folder, .gguf file, or OpenAI-compatible URL')
    .option(
      '--sets <names>',
      `sets to run, comma-separated: ${EVAL_SET_NAMES.join(',')} (--set is the global config override)`,
      parseSetList,
    )
    .option('--limit <n>', 'at most n items per set', positiveInt)
    .option('--repeat <k>', 'runs per item, for pass^k', positiveInt, 1)
    .option('--concurrency <n>', 'conversations at once', positiveInt, 4)
    .option('--variants <list>', "ablations on the same sets: 'ablation' or name=model[+no-retrieval],…")
    .option('--seed <n>', 'seed of the generated sets', (v) => Number.parseInt(v, 10))
    .option('--judge-url <url>', 'OpenAI-compatible endpoint of a judge model (up to /v1)')
    .option('--judge-model <name>', 'the judge model name')
    .option('--judge-key <key>', 'API key of the judge endpoint')
    .option('--no-write', 'print only; write no report or history')
    .addHelpText(
      'after',
      `
Sets are generated from the workspace's order book (seeded; phrased apart from the training
dialogues): 1,000 single-turn questions, 100 multi-turn scenarios, 100 simulated customers whose
order-book changes are checked (and undone afterwards), 60 safety probes. Targets: the seed's
(accuracy >= 85%, p95 <= 2 s, coherence >= 90%, replacement >= 60%, satisfaction >= 80%) and
kefu's own (95%, 1 s, 95%, 75%, 90%, safety 100%). Reports go to reports/eval-<time>/ (report.json,
report.html, records.jsonl) and reports/eval-history.jsonl, compared with the previous run.

Examples:
  $ kefu eval                                        # in process, all sets
  $ kefu eval --url http://127.0.0.1:8787 --sets accuracy --limit 200
  $ kefu eval --repeat 3 --sets coherence,replacement # pass^1..pass^3
  $ kefu eval --variants ablation --limit 100        # base vs SFT vs SFT+DPO, retrieval off, GGUF
  $ kefu eval --variants sft=models/sft,dpo=models/dpo --json`,
    )
    .action(async (flags: EvalFlags) => {
      const ctx = context();
      const workspace = ctx.workspace();
      if (flags.route !== 'openai' && flags.route !== 'sessions') {
        throw new UsageError(`unknown route "${flags.route}"`, { hint: 'use openai or sessions' });
      }
      if ((flags.judgeUrl === undefined) !== (flags.judgeModel === undefined)) {
        throw new UsageError('--judge-url and --judge-model go together');
      }
      const section = workspace.config as {
        assistant?: Record<string, unknown>;
        knowledge?: Record<string, unknown>;
      };
      const result = await runEvaluation({
        root: workspace.root,
        dbPath: workspace.path(workspace.config.storage.database),
        route: flags.route,
        repeat: flags.repeat,
        concurrency: flags.concurrency,
        write: flags.write,
        env: ctx.io.env,
        progress: ctx.progress(),
        ...(flags.url ? { url: flags.url } : {}),
        ...(flags.token ? { token: flags.token } : {}),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.sets ? { sets: flags.sets } : {}),
        ...(flags.limit ? { limit: flags.limit } : {}),
        ...(flags.variants ? { variants: flags.variants } : {}),
        ...(flags.seed !== undefined && Number.isFinite(flags.seed) ? { seed: flags.seed } : {}),
        ...(section.assistant ? { assistant: section.assistant } : {}),
        ...(section.knowledge ? { knowledge: section.knowledge } : {}),
        ...(flags.judgeUrl && flags.judgeModel
          ? {
              judge: {
                url: flags.judgeUrl,
                model: flags.judgeModel,
                ...(flags.judgeKey ? { apiKey: flags.judgeKey } : {}),
              },
            }
          : {}),
      });
      ctx.result({ report: result.report, files: result.written ?? null });
      ctx.print(result.text.trimEnd());
    });
}
