/** `kefu serve`: start the service (OpenAI-compatible API, sessions, agent desk, admin) on the workspace. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { serverConfigSchema } from '../../server/config.js';
import { listen } from '../../server/listen.js';
import { jsonLogger } from '../../server/observability/logger.js';
import { openWorkspaceServer } from '../../server/workspace-server.js';
import type { CommandContext } from '../context.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port must be 0–65535, got "${value}"`);
  return n;
}

export interface ServeHooks {
  /** Stops the server like SIGTERM does (tests, embedding). */
  stop?: AbortSignal;
}

export function registerServe(program: Command, context: () => CommandContext, hooks: ServeHooks = {}): void {
  program
    .command('serve')
    .description('serve the assistant: OpenAI-compatible /v1, sessions, feedback, agent desk, admin')
    .option('--host <host>', 'interface to listen on (default: server.host, 127.0.0.1)')
    .option('--port <port>', 'TCP port (default: server.port, 8787; 0 = any free port)', port)
    .option(
      '--model <dir|gguf|url>',
      'model to serve (default: models/dpo, else sft, else the committed base)',
    )
    .addHelpText(
      'after',
      `
Everything comes from the workspace: the order book, knowledge base and sessions in its database,
the trained model in models/, the token secret in server.secret. Logs are JSON lines on stdout
with personal data masked. SIGTERM or Ctrl-C: readiness turns 503, streams in flight finish
(server.drainMs), then the stores close.

Credentials: customers and agents send a token (\`kefu token --customer <id>\`); admin routes need
an admin key (server.adminKeys or $KEFU_ADMIN_KEY).

Examples:
  $ kefu serve
  $ KEFU_ADMIN_KEY=$(openssl rand -hex 16) kefu serve --host 0.0.0.0 --port 8080
  $ curl -s localhost:8787/v1/chat/completions -H "Authorization: Bearer $(kefu token --customer C0001)" \\
      -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":"我的订单到哪了"}]}'`,
    )
    .action(async (options: { host?: string; port?: number; model?: string }) => {
      const ctx = context();
      const workspace = ctx.workspace();
      const sections = workspace.config as unknown as Record<string, Record<string, unknown> | undefined>;
      const server = serverConfigSchema.parse({
        ...sections.server,
        ...(options.host ? { host: options.host } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
      });
      const quiet = ctx.globals.json || ctx.globals.quiet;
      const service = await openWorkspaceServer({
        root: workspace.root,
        dbPath: workspace.path(workspace.config.storage.database),
        server,
        ...(sections.assistant ? { assistant: sections.assistant } : {}),
        ...(sections.knowledge ? { knowledge: sections.knowledge } : {}),
        ...(options.model ? { model: options.model } : {}),
        env: ctx.io.env,
        logger: jsonLogger((line) => (quiet ? undefined : ctx.io.stderr.write(line))),
      });
      const listening = await listen(service.app, { host: server.host, port: server.port });
      const urls = {
        api: `${listening.url}/v1`,
        docs: `${listening.url}/docs`,
        openapi: `${listening.url}/openapi.json`,
        health: `${listening.url}/readyz`,
        metrics: `${listening.url}/metrics`,
        console: `${listening.url}/console/`,
      };
      ctx.result({ ok: true, model: service.model.id, adminKeys: service.adminKeys.length, ...urls });
      ctx.print(`kefu serving ${service.model.id} on ${listening.url}`);
      ctx.print(`  OpenAI-compatible API  ${urls.api}`);
      ctx.print(`  API docs               ${urls.docs}  (${urls.openapi})`);
      ctx.print(`  web console            ${urls.console}`);
      ctx.print(`  readiness / metrics    ${urls.health}  ${urls.metrics}`);
      ctx.print('  customer token         kefu token --customer <id>');
      if (service.adminKeys.length === 0) {
        ctx.print('  admin routes are closed: set KEFU_ADMIN_KEY (16+ characters) or server.adminKeys');
      }
      ctx.print('Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          hooks.stop?.removeEventListener('abort', stop);
          ctx.print('stopping: draining requests in flight…');
          const { drained } = await service.shutdown();
          await listening.close();
          ctx.print(drained ? 'stopped.' : 'stopped (some requests were cut at the drain deadline).');
          resolve();
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        hooks.stop?.addEventListener('abort', stop, { once: true });
        if (hooks.stop?.aborted) void stop();
      });
    });
}
