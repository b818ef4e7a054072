/**
 * `kefu token --customer <id> | --agent <id> [--ttl <s>] [--source <label>]`: mint a signed token
 * with the workspace secret; `--source` labels the traffic (eval-simulator, test, console) so its
 * sessions stay out of the metrics from real conversations. Does not: mint admin keys.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { workspaceSecret } from '../../server/auth/secret.js';
import { mintToken, type TokenSource, verifyToken } from '../../server/auth/tokens.js';
import { serverConfigSchema } from '../../server/config.js';
import type { CommandContext } from '../context.js';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60)
    throw new UsageError(`--ttl must be whole seconds >= 60, got "${value}"`);
  return n;
}

const SOURCES: readonly TokenSource[] = ['eval-simulator', 'test', 'console'];

function source(value: string): TokenSource {
  const found = SOURCES.find((s) => s === value);
  if (!found) throw new UsageError(`--source must be one of ${SOURCES.join(', ')}, got "${value}"`);
  return found;
}

export function registerToken(program: Command, context: () => CommandContext): void {
  program
    .command('token')
    .description('mint a customer or agent token for the server, signed with the workspace secret')
    .option('--customer <id>', 'a customer token: the server answers for this customer only')
    .option('--agent <id>', 'an agent token: the agent desk (/agent/*)')
    .option('--ttl <seconds>', 'lifetime in seconds (default: server.tokenTtlSeconds, 86400)', seconds)
    .option(
      '--source <label>',
      `label the traffic as not a real customer's (${SOURCES.join(' | ')}): its sessions are left out of GET /admin/stats`,
      source,
    )
    .addHelpText(
      'after',
      `
Tokens are kefu1.<claims>.<HMAC-SHA256>, signed with the workspace secret (server.secret in the
workspace, or $KEFU_SECRET). The shop's backend mints customer tokens the same way for its
logged-in customers; this command is for testing and for agents. Admin routes take an admin key
(server.adminKeys or $KEFU_ADMIN_KEY), not a token.

Examples:
  $ kefu token --customer C0001
  $ curl -H "Authorization: Bearer $(kefu token --customer C0001)" localhost:8787/v1/models
  $ kefu token --agent wang --ttl 28800 --json
  $ kefu token --customer C0001 --source test   # a smoke test's traffic, kept out of the stats`,
    )
    .action(async (options: { customer?: string; agent?: string; ttl?: number; source?: TokenSource }) => {
      const ctx = context();
      if (Boolean(options.customer) === Boolean(options.agent)) {
        throw new UsageError('give exactly one of --customer <id> or --agent <id>', {
          hint: 'kefu token --customer C0001',
        });
      }
      const workspace = ctx.workspace();
      const server = serverConfigSchema.parse(
        (workspace.config as unknown as { server?: unknown }).server ?? {},
      );
      const secret = await workspaceSecret(workspace.root, ctx.io.env);
      const kind = options.customer ? 'customer' : 'agent';
      const sub = (options.customer ?? options.agent)!;
      const token = mintToken(secret, {
        sub,
        kind,
        ttlSeconds: options.ttl ?? server.tokenTtlSeconds,
        ...(options.source ? { source: options.source } : {}),
      });
      const claims = verifyToken(secret, token);
      ctx.result({ token, ...claims, expiresAt: new Date(claims.exp * 1000).toISOString() });
      if (!ctx.globals.json) ctx.io.stdout.write(`${token}\n`);
    });
}
