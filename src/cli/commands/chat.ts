/**
 * `kefu chat --customer <id> [--model <dir|gguf|url>] [--session <id>] [-m <message>…]`: a
 * terminal conversation with the workspace's assistant as that customer, replies streamed as they
 * come, tool calls and sources shown dimmed. With `-m` it sends those messages and exits (with
 * `--json`: every event as one JSON line). Wiring lives in src/assistant/open-assistant.ts; this
 * file only parses flags, reads lines and prints.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AssistantEvent } from '../../assistant/contracts.js';
import { openWorkspaceAssistant, type WorkspaceAssistant } from '../../assistant/open-assistant.js';
import { UsageError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';

interface ChatOptions {
  customer: string;
  model?: string;
  serverModel?: string;
  session?: string;
  message?: string[];
}

export interface ChatCommandIO {
  /** Where interactive lines come from; defaults to process.stdin. */
  input?: NodeJS.ReadableStream;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function turn(
  ctx: CommandContext,
  opened: WorkspaceAssistant,
  sessionId: string,
  customer: string,
  text: string,
): Promise<void> {
  const out = ctx.io.stdout;
  const json = ctx.globals.json;
  if (!json) out.write('客服: ');
  for await (const event of opened.assistant.respond(
    sessionId,
    customer,
    text,
  ) as AsyncIterable<AssistantEvent>) {
    if (json) {
      out.write(`${JSON.stringify(event)}\n`);
      continue;
    }
    if (event.type === 'text-delta') out.write(event.text);
    else if (event.type === 'tool-result' && ctx.globals.debug)
      ctx.io.stderr.write(`\n  [${event.name} → ${event.result.outcome}]\n`);
    else if (event.type === 'handoff') out.write(`\n  [已转人工: ${event.handoff.reason}]`);
    else if (event.type === 'finish') {
      const r = event.reply;
      out.write(r.origin === 'agent' ? '（已转人工，消息已留给人工客服）\n' : '\n');
      if (ctx.globals.debug)
        ctx.io.stderr.write(`  [${r.task} · ${r.origin} · grounded ${r.grounded} · ${r.latencyMs} ms]\n`);
    }
  }
}

export function registerChat(program: Command, context: () => CommandContext, io: ChatCommandIO = {}): void {
  program
    .command('chat')
    .description('talk to the assistant in the terminal as one customer')
    .requiredOption('--customer <id>', 'the customer to talk as (their orders only)')
    .option(
      '--model <dir|gguf|url>',
      'model folder, PEFT adapter, .gguf file or OpenAI-compatible URL (default: the workspace’s trained model)',
    )
    .option('--server-model <name>', 'model name to send to an OpenAI-compatible URL', 'default')
    .option('--session <id>', 'continue an existing session')
    .option('-m, --message <text>', 'send this message and exit (repeatable, in order)', collect)
    .addHelpText(
      'after',
      `
Type a message and press Enter; an empty line or Ctrl-D ends the chat. With --debug the tool
calls, the task and whether the reply was the model's (grounded) or a template are shown.

Examples:
  $ kefu chat --customer C100001
  $ kefu chat --customer C100001 -m "我的订单DD20240315521468到哪了" -m "它什么时候到"
  $ kefu chat --customer C100001 --model models/sft
  $ kefu chat --customer james_li_5688 --model http://127.0.0.1:8000/v1 --server-model qwen2
  $ kefu chat --customer C100001 -m "转人工" --json`,
    )
    .action(async (options: ChatOptions) => {
      const ctx = context();
      const workspace = ctx.workspace();
      const opened = await openWorkspaceAssistant({
        root: workspace.root,
        dbPath: workspace.path(workspace.config.storage.database),
        fallbackBase: join(workspace.root, 'models', 'base'),
        ...(options.model ? { model: options.model } : {}),
        ...(options.serverModel ? { serverModel: options.serverModel } : {}),
        ...(ctx.io.env.KEFU_MODEL_API_KEY ? { apiKey: ctx.io.env.KEFU_MODEL_API_KEY } : {}),
        config: workspace.config.assistant,
        knowledge: workspace.config.knowledge,
        env: ctx.io.env,
      });
      try {
        const customer = await opened.book.customer(options.customer);
        if (!customer) {
          throw new UsageError(`no customer ${options.customer} in this shop`, {
            hint: 'use a customer id from the imported shop (e.g. C100001, or a τ-bench user id)',
          });
        }
        const session = options.session
          ? await opened.assistant.session(options.session, options.customer)
          : await opened.assistant.openSession(options.customer, { channel: 'cli' });
        if (!ctx.globals.json) {
          ctx.io.stdout.write(
            `${opened.shopName} · ${customer.name} · model ${opened.model.id} · session ${session.id}\n`,
          );
        }
        if (options.message?.length) {
          for (const text of options.message) {
            if (!ctx.globals.json) ctx.io.stdout.write(`顾客: ${text}\n`);
            await turn(ctx, opened, session.id, options.customer, text);
          }
          return;
        }
        const lines = createInterface({ input: io.input ?? process.stdin, terminal: false });
        if (!ctx.globals.json) ctx.io.stdout.write('顾客: ');
        for await (const line of lines) {
          const text = line.trim();
          if (!text) break;
          await turn(ctx, opened, session.id, options.customer, text);
          if (!ctx.globals.json) ctx.io.stdout.write('顾客: ');
        }
        lines.close();
      } finally {
        await opened.close();
      }
    });
}
