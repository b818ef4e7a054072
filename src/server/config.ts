/**
 * The service's settings (`server:` in kefu.yaml): where it listens, how big a request may be, how
 * many generations run and wait, deadlines, per-customer rate limits, admin keys and token lifetime.
 * Every field has a default and a description. Does not: read the environment (KEFU_ADMIN_KEY is
 * merged by `resolveAdminKeys`) or start anything.
 */
import { z } from 'zod';

export const serverConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1').describe('Interface to listen on (0.0.0.0 for all).'),
    port: z.number().int().min(0).max(65535).default(8787).describe('TCP port (0 = any free port).'),
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(1_048_576)
      .describe('Largest request body accepted; larger ones get 413.'),
    maxMessageChars: z
      .number()
      .int()
      .min(1)
      .default(4000)
      .describe('Longest customer message accepted, in characters; longer ones get 400.'),
    queue: z
      .object({
        concurrency: z
          .number()
          .int()
          .min(1)
          .default(2)
          .describe('Generations that run at once (one per CPU core suits the built-in engine).'),
        maxWaiting: z
          .number()
          .int()
          .min(0)
          .default(32)
          .describe('Generations that may wait for a slot; more get 429 with Retry-After.'),
      })
      .strict()
      .prefault({})
      .describe('The bounded generation queue.'),
    deadlines: z
      .object({
        requestMs: z
          .number()
          .int()
          .min(1)
          .default(30_000)
          .describe('Longest a request may take, queueing included; then 504 or an SSE error event.'),
        idleMs: z
          .number()
          .int()
          .min(1)
          .default(10_000)
          .describe('Longest a generation may go without producing an event before it counts as stuck.'),
      })
      .strict()
      .prefault({})
      .describe('Deadlines per request.'),
    rateLimit: z
      .object({
        perMinute: z
          .number()
          .min(0)
          .default(60)
          .describe('Generations per customer per minute, refilled continuously (0 = unlimited).'),
        burst: z.number().int().min(1).default(10).describe('Generations a customer may send at once.'),
      })
      .strict()
      .prefault({})
      .describe('Per-customer token bucket over the generating routes.'),
    adminKeys: z
      .array(z.string().min(16))
      .default([])
      .describe('API keys of administrators (KEFU_ADMIN_KEY adds one); at least 16 characters each.'),
    tokenTtlSeconds: z
      .number()
      .int()
      .min(60)
      .default(86_400)
      .describe('Default lifetime of customer and agent tokens minted by `kefu token`.'),
    drainMs: z
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe('On SIGTERM, how long in-flight requests may finish before the stores close.'),
    readinessModelCheck: z
      .boolean()
      .default(true)
      .describe('/readyz asks the model for a one-token generation (cached for 30 s).'),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverConfigSchema>;

export function defaultServerConfig(overrides: z.input<typeof serverConfigSchema> = {}): ServerConfig {
  return serverConfigSchema.parse(overrides);
}

/** The configured admin keys plus KEFU_ADMIN_KEY, without duplicates. */
export function resolveAdminKeys(config: ServerConfig, env: Record<string, string | undefined>): string[] {
  const fromEnv = env.KEFU_ADMIN_KEY?.trim();
  return [...new Set([...config.adminKeys, ...(fromEnv ? [fromEnv] : [])])];
}
