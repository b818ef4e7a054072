/** `kefu config print|explain`: show the resolved configuration and what every field means. */
import type { Command } from 'commander';
import { kefuConfigSchema } from '../../config/kefu-config.js';
import { describeSchema, toCommentedYaml } from '../../core/config/explain.js';
import type { CommandContext } from '../context.js';

export function registerConfig(program: Command, context: () => CommandContext): void {
  const config = program
    .command('config')
    .description('show the configuration in effect and what each field means');

  config
    .command('print')
    .description(
      'print the resolved config: defaults < kefu.yaml < --config recipe < KEFU_* environment < --set flags',
    )
    .addHelpText(
      'after',
      `
Environment variables name a field with __ between levels and _ between words:
  KEFU_STORAGE__BUSY_TIMEOUT_MS=10000   sets storage.busyTimeoutMs

Examples:
  $ kefu config print
  $ kefu config print --set data.split.seed=7 --json`,
    )
    .action(() => {
      const ctx = context();
      const workspace = ctx.workspace();
      ctx.result({ workspace: workspace.root, configFile: workspace.configFile, config: workspace.config });
      ctx.print(`# workspace: ${workspace.root}`);
      ctx.print(toCommentedYaml(kefuConfigSchema, workspace.config).trimEnd());
    });

  config
    .command('explain')
    .description('list every field with its type, default and description (no workspace needed)')
    .argument('[prefix]', 'only fields starting with this dotted path, e.g. data.split')
    .action((prefix: string | undefined) => {
      const ctx = context();
      const rows = describeSchema(kefuConfigSchema).filter((row) => !prefix || row.path.startsWith(prefix));
      ctx.result(rows);
      for (const row of rows) {
        ctx.print(`${row.path}  (${row.type}, default ${JSON.stringify(row.default)})`);
        ctx.print(`    ${row.description}`);
      }
    });
}
