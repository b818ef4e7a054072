/**
 * The zod schemas of every request body the service accepts; routes validate with `parseWith`
 * (400 naming the field) and the OpenAPI document is generated from the same schemas
 * (z.toJSONSchema). OpenAI-compatible bodies accept unknown fields, as OpenAI's do.
 * Does not: describe responses in detail (./openapi.ts holds their short shapes).
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';

const text = (max: number) => z.string().trim().min(1).max(max);

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

export const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
});

export const chatCompletionSchema = z
  .looseObject({
    model: z.string().optional().describe('Ignored: the active model answers (GET /v1/models).'),
    messages: z.array(chatMessageSchema).min(1).max(200),
    stream: z.boolean().nullable().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
    max_tokens: z.number().int().min(1).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    user: z.string().optional(),
    session_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('kefu extension: continue this server-side session (else one is created).'),
  })
  .describe(
    'OpenAI chat completion request. The last user message goes to the assistant; earlier turns come from the server-side session.',
  );

export const embeddingsSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([text(8000), z.array(z.string().max(8000)).min(1).max(256)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().optional(),
});

export const createSessionSchema = z
  .object({ channel: z.string().max(40).optional().describe('Where the customer writes from: web, app …') })
  .strict();

export const postMessageSchema = (maxChars: number) =>
  z
    .object({
      text: text(maxChars).describe('The customer message.'),
      stream: z.boolean().optional().describe('false = one JSON reply instead of an SSE stream.'),
    })
    .strict();

export const feedbackSchema = z
  .object({
    messageId: z
      .string()
      .min(1)
      .optional()
      .describe('The answer rated; omit to rate the whole conversation.'),
    thumb: z.enum(['up', 'down']).optional(),
    rating: z.number().int().min(1).max(5).optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict()
  .refine((f) => f.thumb !== undefined || f.rating !== undefined, {
    message: 'give a thumb or a rating',
    path: ['thumb'],
  });

export const agentReplySchema = z.object({ text: text(4000) }).strict();

export const importShopSchema = z
  .object({
    dir: z.string().min(1).describe('Folder on the server holding the shop files.'),
    format: z.enum(['kefu', 'tau-bench']).default('kefu'),
  })
  .strict();

export const ingestSchema = z
  .object({
    paths: z.array(z.string().min(1)).min(1).describe('Files or folders on the server.'),
    meta: z.record(z.string(), z.string()).optional().describe('key=value metadata for every chunk.'),
  })
  .strict();

export const toolCallSchema = z
  .object({
    customerId: z.string().min(1).describe('The customer the tool acts for.'),
    args: z.record(z.string(), z.unknown()).default({}),
    confirmed: z.boolean().default(false),
  })
  .strict();

export const trainJobSchema = z
  .object({
    config: z.string().min(1).describe('Training recipe (YAML), relative to the workspace.'),
    set: z
      .array(z.string().regex(/^[\w.]+=/))
      .default([])
      .describe('Recipe overrides, key=value.'),
  })
  .strict();

export const evalJobSchema = z
  .object({ args: z.array(z.string().max(200)).max(40).default([]).describe('Extra `kefu eval` flags.') })
  .strict();

export const switchModelSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .optional()
      .describe(
        'An HF model or PEFT adapter folder (workspace-relative), a .gguf file or an OpenAI-compatible URL; omit for the workspace default (models/dpo, else sft, else base).',
      ),
  })
  .strict();

export const statsQuerySchema = z
  .object({
    since: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('Only sessions active since this time (ISO 8601), and feedback given since.'),
    idleMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_080)
      .optional()
      .describe('An open conversation silent this long has ended (default 30).'),
  })
  .strict();

export const mintTokenSchema = z
  .object({
    kind: z.enum(['customer', 'agent']).describe('A customer token or an agent token (never an admin key).'),
    sub: z.string().trim().min(1).max(100).describe('The customer id or the agent id.'),
    ttlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional()
      .describe('Lifetime in seconds (at most 30 days); default server.tokenTtlSeconds.'),
    source: z
      .enum(['console', 'test', 'eval-simulator'])
      .default('console')
      .describe(
        'The traffic label the token carries: sessions opened with it are left out of the metrics from real conversations.',
      ),
  })
  .strict();

export const preferenceLabelSchema = z
  .object({
    prompt: text(4000).describe('The customer question.'),
    chosen: text(8000).describe('The better answer.'),
    rejected: text(8000).describe('The worse answer (must differ from chosen).'),
  })
  .strict()
  .refine((l) => l.chosen !== l.rejected, {
    message: 'chosen and rejected are the same answer',
    path: ['rejected'],
  });

export const pairsQuerySchema = z
  .object({
    format: z
      .enum(['json', 'jsonl'])
      .default('json')
      .describe('jsonl = one pair per line (for `kefu train`).'),
    from: z
      .enum(['all', 'feedback', 'labels'])
      .default('all')
      .describe('Pairs derived from feedback, the operators’ labels, or both (a pair in both once).'),
  })
  .strict();

/** `schema.parse(value)` with failures as a 400 InputError naming the first bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].join('.');
  throw new InputError(`${field}: ${issue.message}`, undefined, {
    code: 'E_VALIDATION',
    details: { field },
    hint: 'see /openapi.json for the request shape',
  });
}
