/**
 * The `kefu` command: global flags, subcommand registration and the one place where errors
 * become messages and exit codes. Commands live in ./commands and hold no business logic.
 *
 * Exit codes: 0 ok · 1 usage (bad flags or arguments) · 2 bad input (files, config, data)
 *             · 3 runtime failure (disk, database, interrupted).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { asKefuError, type ExitCode } from '../core/errors.js';
import { registerChat } from './commands/chat.js';
import { registerConfig } from './commands/config.js';
import { registerData } from './commands/data.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerInit } from './commands/init.js';
import { registerKb } from './commands/kb.js';
import { registerQuickstart } from './commands/quickstart.js';
import { registerSample } from './commands/sample.js';
import { registerServe } from './commands/serve.js';
import { registerShop } from './commands/shop.js';
import { registerStatus } from './commands/status.js';
import { registerToken } from './commands/token.js';
import { registerTool } from './commands/tool.js';
import { registerTrain } from './commands/train.js';
import { type CliIO, CommandContext, type GlobalOptions } from './context.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const EPILOG = `
Every command works on the workspace in the current folder (or a parent), or on --workspace.

Exit codes:
  0  success
  1  usage error (unknown command, bad flag or argument)
  2  bad input (a data file, recipe or config that fails validation; the message names file:line: field)
  3  runtime failure (disk, database, interrupted)

Get started:
  $ kefu init myshop && cd myshop
  $ kefu config print
Run \`kefu <command> --help\` for a command's options and examples.`;

export function buildProgram(io: CliIO, onContext: (ctx: CommandContext) => void): Command {
  const program = new Command('kefu')
    .description('Build, train, serve and measure a grounded e-commerce customer-service assistant.')
    .version(version, '-v, --version')
    .option(
      '-w, --workspace <dir>',
      'workspace folder (default: $KEFU_WORKSPACE, else the nearest kefu.yaml upwards)',
    )
    .option(
      '-c, --config <recipe.yaml>',
      'a YAML recipe: layered over kefu.yaml, or for `train` the training recipe (see examples/)',
    )
    .option('--json', 'print one JSON result on stdout instead of text; no progress bars', false)
    .option('-q, --quiet', 'print nothing but errors', false)
    .option('--debug', 'print stack traces with errors', false)
    .addOption(
      new Option(
        '-s, --set <field=value>',
        'override a config field, e.g. --set data.split.seed=7 (repeatable)',
      )
        .argParser((value: string, previous: string[] = []) => [...previous, value])
        .default([]),
    )
    .addHelpText('after', EPILOG)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  let context: CommandContext | undefined;
  const getContext = () => {
    if (!context) {
      context = new CommandContext(program.opts<GlobalOptions>(), io);
      onContext(context);
    }
    return context;
  };
  registerQuickstart(program, getContext);
  registerInit(program, getContext);
  registerStatus(program, getContext);
  registerConfig(program, getContext);
  registerSample(program, getContext);
  registerData(program, getContext);
  registerShop(program, getContext);
  registerKb(program, getContext);
  registerTool(program, getContext);
  registerChat(program, getContext);
  registerServe(program, getContext);
  registerToken(program, getContext);
  registerTrain(program, getContext);
  registerExport(program, getContext);
  registerEval(program, getContext);
  const override = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Run kefu with `argv` (without node and script) and return the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  let context: CommandContext | undefined;
  const program = buildProgram(io, (ctx) => {
    context = ctx;
  });
  const debug = argv.includes('--debug');
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 1;
    }
    const failure = asKefuError(error);
    if (argv.includes('--json')) {
      io.stdout.write(`${JSON.stringify({ ok: false, ...failure.toJSON() }, null, 2)}\n`);
    }
    io.stderr.write(`error: ${failure.message}\n`);
    if (failure.hint) io.stderr.write(`hint: ${failure.hint}\n`);
    if (debug) io.stderr.write(`${(failure.cause as Error | undefined)?.stack ?? failure.stack}\n`);
    return failure.exitCode;
  } finally {
    context?.close();
  }
}
