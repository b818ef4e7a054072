/** `kefu status`: the workspace, its registered datasets and recent runs. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerStatus(program: Command, context: () => CommandContext): void {
  program
    .command('status')
    .description('show the workspace: registered datasets and recent runs')
    .option('-n, --runs <n>', 'how many recent runs to list', (v) => Number.parseInt(v, 10), 10)
    .addHelpText('after', '\nExamples:\n  $ kefu status\n  $ kefu status --json --runs 50')
    .action(async (options: { runs: number }) => {
      const ctx = context();
      const workspace = ctx.workspace();
      const storage = workspace.storage();
      const datasets = await storage.datasets.list();
      const runs = await storage.runs.list({ limit: options.runs });
      ctx.result({ workspace: workspace.root, schemaVersion: storage.schemaVersion(), datasets, runs });
      ctx.print(`workspace ${workspace.root} (database schema v${storage.schemaVersion()})`);
      ctx.print(`datasets (${datasets.length}):`);
      for (const d of datasets) {
        ctx.print(
          `  ${d.name.padEnd(28)} ${d.kind.padEnd(10)} ${String(d.records).padStart(7)}  ${d.path}  ${d.sha256.slice(0, 12)}`,
        );
      }
      ctx.print(`runs (latest ${runs.length}):`);
      for (const r of runs) ctx.print(`  ${r.startedAt}  ${r.status.padEnd(9)} ${r.kind.padEnd(12)} ${r.id}`);
    });
}
