/**
 * `kefu tool list|call`: the shop's business tools, callable directly for integration and testing
 * on the workspace's order book — list names, descriptions and argument schemas; call one as a
 * given customer, with `--confirm` for changes and `--key` to replay a change idempotently.
 * Flag parsing and printing only; the tools are in src/assistant/tools.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { ToolRegistry } from '../../assistant/contracts.js';
import { createToolRegistry } from '../../assistant/tools/index.js';
import { InputError, UsageError } from '../../core/errors.js';
import type { ShopStore } from '../../shop/store/shop-store.js';
import { openOrderBook } from '../../shop/store/sqlite-order-book.js';
import type { CommandContext } from '../context.js';

async function withTools<T>(
  ctx: CommandContext,
  work: (tools: ToolRegistry, book: ShopStore, flavor: string) => Promise<T>,
): Promise<T> {
  const workspace = ctx.workspace();
  const book = openOrderBook(workspace.path(workspace.config.storage.database), {
    busyTimeoutMs: workspace.config.storage.busyTimeoutMs,
  });
  try {
    const flavor = (await book.infoIfAny())?.flavor ?? 'kefu';
    return await work(createToolRegistry(book, { flavor }), book, flavor);
  } finally {
    book.close();
  }
}

function parseArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the tool arguments are not valid JSON: ${(error as Error).message}`, {
      hint: `quote them for the shell, e.g. '{"order_id":"DD20240315000123"}'`,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError('the tool arguments must be a JSON object', {
      hint: `e.g. '{"order_id":"DD20240315000123"}'`,
    });
  }
  return value as Record<string, unknown>;
}

export function registerTool(program: Command, context: () => CommandContext): void {
  const tool = program
    .command('tool')
    .description("the shop's business tools: list them, or call one as a customer");

  tool
    .command('list')
    .description('names, descriptions and JSON-schema arguments of the tools this shop has')
    .addHelpText(
      'after',
      `
kefu's tools for every shop; a τ-bench shop adds τ-bench's retail tools under their own names.
Tools marked "changes data" ask for confirmation and are idempotent by key.

Examples:
  $ kefu tool list
  $ kefu tool list --json | jq '.tools[].name'`,
    )
    .action(async () => {
      const ctx = context();
      const listed = await withTools(ctx, async (tools, _book, flavor) => ({
        flavor,
        tools: tools.list().map((t) => ({
          name: t.name,
          description: t.description,
          mutates: t.mutates,
          parameters: t.parameters,
        })),
      }));
      ctx.result(listed);
      ctx.print(`${listed.tools.length} tools (${listed.flavor} shop):`);
      for (const t of listed.tools) {
        const props = Object.keys((t.parameters.properties ?? {}) as object);
        const required = new Set((t.parameters.required ?? []) as string[]);
        const args = props.map((p) => (required.has(p) ? p : `${p}?`)).join(', ');
        ctx.print(`  ${t.name}(${args})${t.mutates ? '  [changes data]' : ''}`);
        ctx.print(`      ${t.description}`);
      }
    });

  tool
    .command('call')
    .description('run one tool on the order book as <customer>')
    .argument('<name>', 'tool name (see `kefu tool list`)')
    .argument('[json-args]', 'arguments as a JSON object (default {})')
    .requiredOption(
      '--customer <id>',
      'the customer the call acts for (every read and change is scoped to them)',
    )
    .option('--confirm', 'the customer confirmed this change (without it a change only asks)', false)
    .option(
      '--key <idempotency-key>',
      'idempotency key: the same key again returns the first result (default: a new one)',
    )
    .addHelpText(
      'after',
      `
Outcomes: ok, not_found (also for another customer's records), needs_confirmation (run again
with --confirm), refused (policy: window passed, wrong status …), invalid (exit 2; names the field).

Examples:
  $ kefu tool call get_order_details '{"order_id":"DD20240315000123"}' --customer C100042
  $ kefu tool call cancel_pending_order '{"order_id":"DD20240315000123"}' --customer C100042
  $ kefu tool call cancel_pending_order '{"order_id":"DD20240315000123"}' --customer C100042 --confirm --key t1
  $ kefu tool call get_order_details '{"order_id":"#W2611340"}' --customer james_li_5688 --json`,
    )
    .action(
      async (
        name: string,
        json: string | undefined,
        options: { customer: string; confirm: boolean; key?: string },
      ) => {
        const ctx = context();
        const args = parseArgs(json);
        const result = await withTools(ctx, async (tools) => {
          if (!tools.get(name)) {
            throw new UsageError(`no tool named "${name}"`, {
              hint: 'run `kefu tool list` to see the tools',
            });
          }
          return tools.call(name, args, {
            customerId: options.customer,
            confirmed: options.confirm,
            idempotencyKey: options.key ?? `cli:${randomUUID()}`,
          });
        });
        if (result.outcome === 'invalid') {
          throw new InputError(result.message, undefined, {
            code: 'E_TOOL_ARGS',
            details: { tool: name, outcome: result.outcome, errors: result.data?.errors ?? result.data },
            hint: `see the arguments with \`kefu tool list --json\``,
          });
        }
        ctx.result({ tool: name, ...result });
        ctx.print(`${name}: ${result.outcome}`);
        ctx.print(result.message);
        for (const f of result.facts) ctx.print(`  ${f.key}: ${f.value}`);
        if (result.confirmation) {
          ctx.print(`To apply: run again with --confirm (and --key to make it idempotent).`);
        }
      },
    );
}
