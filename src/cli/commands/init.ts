/** `kefu init [dir]`: create (or repair) a workspace. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { initWorkspace } from '../../workspace/workspace.js';
import type { CommandContext } from '../context.js';
import { shownPath } from '../shown-path.js';

export function registerInit(program: Command, context: () => CommandContext): void {
  program
    .command('init')
    .description('create a workspace: kefu.yaml, datasets/, runs/, models/, reports/ and the database')
    .argument('[dir]', 'folder to create or repair', '.')
    .addHelpText(
      'after',
      `
Running init again on a workspace adds what is missing and never overwrites kefu.yaml.

Examples:
  $ kefu init myshop            # new workspace in ./myshop
  $ cd myshop && kefu config print
  $ kefu init                   # turn the current folder into a workspace`,
    )
    .action(async (dir: string) => {
      const ctx = context();
      const result = await initWorkspace(resolve(ctx.io.cwd, dir));
      ctx.result(result);
      const shown = shownPath(ctx.io.cwd, result.root);
      if (result.created.length === 0) ctx.print(`${shown} is already a complete kefu workspace.`);
      else {
        ctx.print(
          `${result.existed ? 'Repaired' : 'Created'} workspace ${shown}: ${result.created.join(', ')}`,
        );
        ctx.print(`Next: cd ${shown} && kefu sample   # generate the sample shop to try kefu on`);
      }
    });
}
