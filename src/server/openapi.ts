/**
 * The OpenAPI 3.1 document of every route (GET /openapi.json), generated from the same zod schemas
 * the routes validate with (z.toJSONSchema), and a small self-contained docs page (GET /docs) that
 * renders it without any CDN. A test checks that every registered route is documented.
 * Does not: validate anything at run time.
 */
import { z } from 'zod';
import {
  agentReplySchema,
  chatCompletionSchema,
  createSessionSchema,
  embeddingsSchema,
  evalJobSchema,
  feedbackSchema,
  importShopSchema,
  ingestSchema,
  mintTokenSchema,
  pairsQuerySchema,
  postMessageSchema,
  preferenceLabelSchema,
  statsQuerySchema,
  switchModelSchema,
  toolCallSchema,
  trainJobSchema,
} from './schemas.js';

type Auth = 'none' | 'customer' | 'agent' | 'admin' | 'anyone';

interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  path: string;
  tag: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  /** Query parameters (an object schema). */
  query?: z.ZodObject;
  /** The success response is an SSE stream. */
  sse?: boolean;
  status?: number;
}

export const ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'get', path: '/healthz', tag: 'health', summary: 'The process is alive.', auth: 'none' },
  {
    method: 'get',
    path: '/readyz',
    tag: 'health',
    summary: 'Ready: accepting, database reachable, model answers, knowledge index present (503 if not).',
    auth: 'none',
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'health',
    summary: 'Prometheus metrics (text format).',
    auth: 'none',
  },
  { method: 'get', path: '/openapi.json', tag: 'health', summary: 'This document.', auth: 'none' },
  { method: 'get', path: '/docs', tag: 'health', summary: 'A readable page of this document.', auth: 'none' },
  {
    method: 'post',
    path: '/v1/chat/completions',
    tag: 'openai',
    summary:
      'OpenAI chat completion (stream: true = SSE chunks ending with data: [DONE]). Extension: request session_id (or x-kefu-session header); response `kefu` {session_id, message_id, origin, grounded, task, handoff, sources, tool_calls}.',
    auth: 'customer',
    body: chatCompletionSchema,
  },
  { method: 'get', path: '/v1/models', tag: 'openai', summary: 'The active model.', auth: 'anyone' },
  {
    method: 'post',
    path: '/v1/embeddings',
    tag: 'openai',
    summary: 'Embeddings from the knowledge base embedder (float or base64).',
    auth: 'anyone',
    body: embeddingsSchema,
  },
  {
    method: 'post',
    path: '/sessions',
    tag: 'sessions',
    summary: 'Open a session for the token’s customer.',
    auth: 'customer',
    body: createSessionSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/sessions/{id}',
    tag: 'sessions',
    summary: 'The session and its state.',
    auth: 'customer',
  },
  {
    method: 'get',
    path: '/sessions/{id}/messages',
    tag: 'sessions',
    summary: 'The history, oldest first.',
    auth: 'customer',
  },
  {
    method: 'post',
    path: '/sessions/{id}/messages',
    tag: 'sessions',
    summary:
      'Send a message. SSE events: text-delta, tool-call, tool-result, source, handoff, finish (the reply), error. stream: false = one JSON reply.',
    auth: 'customer',
    body: postMessageSchema(4000),
    sse: true,
  },
  {
    method: 'post',
    path: '/sessions/{id}/close',
    tag: 'sessions',
    summary: 'Close the session.',
    auth: 'customer',
  },
  {
    method: 'get',
    path: '/sessions/{id}/events',
    tag: 'sessions',
    summary: 'Follow the conversation: events `status` and `message` (an agent’s replies).',
    auth: 'customer',
    sse: true,
  },
  {
    method: 'post',
    path: '/sessions/{id}/feedback',
    tag: 'sessions',
    summary: 'Thumb and/or 1–5 rating for an answer (messageId) or the whole conversation.',
    auth: 'customer',
    body: feedbackSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/agent/queue',
    tag: 'agent',
    summary: 'Handed-off conversations waiting, oldest first, and the ones you hold.',
    auth: 'agent',
  },
  {
    method: 'get',
    path: '/agent/sessions/{id}',
    tag: 'agent',
    summary: 'A session and its history.',
    auth: 'agent',
  },
  {
    method: 'post',
    path: '/agent/sessions/{id}/claim',
    tag: 'agent',
    summary: 'Take the conversation.',
    auth: 'agent',
  },
  {
    method: 'post',
    path: '/agent/sessions/{id}/messages',
    tag: 'agent',
    summary: 'Reply to the customer (pushed to their event stream).',
    auth: 'agent',
    body: agentReplySchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/agent/sessions/{id}/release',
    tag: 'agent',
    summary: 'Hand the conversation back to the bot.',
    auth: 'agent',
  },
  {
    method: 'get',
    path: '/agent/sessions/{id}/events',
    tag: 'agent',
    summary: 'Follow a conversation: the customer’s new messages and status changes.',
    auth: 'agent',
    sse: true,
  },
  {
    method: 'post',
    path: '/admin/shop/import',
    tag: 'admin',
    summary: 'Replace the order book with a shop folder (all or nothing).',
    auth: 'admin',
    body: importShopSchema,
  },
  {
    method: 'post',
    path: '/admin/knowledge/ingest',
    tag: 'admin',
    summary: 'Ingest documents into the knowledge base.',
    auth: 'admin',
    body: ingestSchema,
  },
  {
    method: 'get',
    path: '/admin/knowledge/stats',
    tag: 'admin',
    summary: 'Knowledge base counts.',
    auth: 'admin',
  },
  {
    method: 'get',
    path: '/admin/tools',
    tag: 'admin',
    summary: 'The business tools and their schemas.',
    auth: 'admin',
  },
  {
    method: 'post',
    path: '/admin/tools/{name}/call',
    tag: 'admin',
    summary: 'Call a tool for a customer.',
    auth: 'admin',
    body: toolCallSchema,
  },
  {
    method: 'post',
    path: '/admin/jobs/train',
    tag: 'admin',
    summary: 'Start `kefu --config <recipe> train` as a child process.',
    auth: 'admin',
    body: trainJobSchema,
    status: 202,
  },
  {
    method: 'post',
    path: '/admin/jobs/eval',
    tag: 'admin',
    summary: 'Start `kefu eval` as a child process.',
    auth: 'admin',
    body: evalJobSchema,
    status: 202,
  },
  { method: 'get', path: '/admin/jobs', tag: 'admin', summary: 'Jobs, newest first.', auth: 'admin' },
  { method: 'get', path: '/admin/jobs/{id}', tag: 'admin', summary: 'One job.', auth: 'admin' },
  {
    method: 'post',
    path: '/admin/jobs/{id}/cancel',
    tag: 'admin',
    summary: 'Stop a job (SIGINT).',
    auth: 'admin',
  },
  {
    method: 'get',
    path: '/admin/jobs/{id}/log',
    tag: 'admin',
    summary: 'Follow a job: `log` (trainer_log.jsonl lines), `output` (stdout/stderr lines), `end`.',
    auth: 'admin',
    sse: true,
  },
  {
    method: 'get',
    path: '/admin/models',
    tag: 'admin',
    summary: 'The active model and the workspace’s models and adapters.',
    auth: 'admin',
  },
  {
    method: 'post',
    path: '/admin/models/active',
    tag: 'admin',
    summary: 'Switch the active model; open sessions continue on it.',
    auth: 'admin',
    body: switchModelSchema,
  },
  { method: 'get', path: '/admin/feedback', tag: 'admin', summary: 'Stored feedback.', auth: 'admin' },
  {
    method: 'get',
    path: '/admin/feedback/summary',
    tag: 'admin',
    summary: 'Thumbs, ratings and the satisfaction share.',
    auth: 'admin',
  },
  {
    method: 'get',
    path: '/admin/stats',
    tag: 'admin',
    summary:
      'Replacement rate and satisfaction from real conversations (stored sessions and feedback; eval and test traffic left out).',
    auth: 'admin',
    query: statsQuerySchema,
  },
  {
    method: 'get',
    path: '/admin/feedback/pairs',
    tag: 'admin',
    summary:
      'Preference pairs for DPO training in the flat {prompt, chosen, rejected} layout: derived from feedback and the operators’ labels (?from=feedback|labels|all, ?format=jsonl).',
    auth: 'admin',
    query: pairsQuerySchema,
  },
  {
    method: 'post',
    path: '/admin/tokens',
    tag: 'admin',
    summary:
      'Mint a customer or agent token (never an admin key); labelled console traffic unless `source` says otherwise. Returns {token, sub, kind, iat, exp, src, expiresAt}.',
    auth: 'admin',
    body: mintTokenSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/admin/reports',
    tag: 'admin',
    summary:
      'The workspace’s evaluation reports, newest first ({name, createdAt, files}), and the metrics history (reports/eval-history.jsonl).',
    auth: 'admin',
  },
  {
    method: 'get',
    path: '/admin/reports/{name}/{file}',
    tag: 'admin',
    summary: 'Download one report file: report.html, report.json or records.jsonl of reports/<name>/.',
    auth: 'admin',
  },
  {
    method: 'get',
    path: '/admin/labels',
    tag: 'admin',
    summary: 'The operators’ preference labels, oldest first.',
    auth: 'admin',
  },
  {
    method: 'post',
    path: '/admin/labels',
    tag: 'admin',
    summary: 'Add a preference label (the same pair again is kept once); exported by /admin/feedback/pairs.',
    auth: 'admin',
    body: preferenceLabelSchema,
    status: 201,
  },
  {
    method: 'delete',
    path: '/admin/labels/{id}',
    tag: 'admin',
    summary: 'Remove a preference label.',
    auth: 'admin',
    status: 204,
  },
];

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'type'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        type: { type: 'string' },
        hint: { type: 'string' },
        field: { type: 'string', description: 'The request field that failed validation.' },
        requestId: { type: 'string' },
      },
    },
  },
};

const AUTH_TEXT: Record<Auth, string> = {
  none: 'No credentials.',
  customer: 'Customer token.',
  agent: 'Agent token or admin key.',
  admin: 'Admin key.',
  anyone: 'Any valid credential.',
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTE_DOCS) {
    const params: Record<string, unknown>[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    for (const [name, schema] of Object.entries(route.query?.shape ?? {})) {
      const json = z.toJSONSchema(schema as z.ZodType, { io: 'input' }) as Record<string, unknown>;
      const { description, ...rest } = json;
      params.push({ name, in: 'query', required: false, description, schema: rest });
    }
    const ok = String(route.status ?? 200);
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      summary: route.summary,
      description: AUTH_TEXT[route.auth],
      ...(route.auth === 'none' ? { security: [] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input' }) } },
            },
          }
        : {}),
      responses: {
        [ok]:
          route.status === 204
            ? { description: 'Done; no body.' }
            : {
                description: route.sse ? 'An SSE stream (text/event-stream).' : 'Success.',
                content: route.sse
                  ? { 'text/event-stream': { schema: { type: 'string' } } }
                  : { 'application/json': { schema: { type: 'object' } } },
              },
        ...(route.auth === 'none'
          ? {}
          : {
              '401': { $ref: '#/components/responses/Error' },
              '403': { $ref: '#/components/responses/Error' },
            }),
        ...(route.body || route.query ? { '400': { $ref: '#/components/responses/Error' } } : {}),
        ...(route.path.includes('{') ? { '404': { $ref: '#/components/responses/Error' } } : {}),
        ...(route.sse || route.path === '/v1/chat/completions'
          ? { '429': { $ref: '#/components/responses/Error' } }
          : {}),
      },
    };
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kefu',
      version: '0.1.0',
      description:
        'The kefu customer-service assistant: OpenAI-compatible chat, sessions, feedback, agent desk and admin. Errors are {error: {code, message, type, hint, field}}.',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: { description: 'An error.', content: { 'application/json': { schema: errorSchema } } },
      },
    },
    paths,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function docsPage(): string {
  const rows = ROUTE_DOCS.map(
    (r) =>
      `<tr><td><code>${r.method.toUpperCase()}</code></td><td><code>${escapeHtml(r.path)}</code></td><td>${escapeHtml(
        AUTH_TEXT[r.auth],
      )}</td><td>${escapeHtml(r.summary)}${
        r.body
          ? `<details><summary>body</summary><pre>${escapeHtml(
              JSON.stringify(z.toJSONSchema(r.body, { io: 'input' }), null, 2),
            )}</pre></details>`
          : ''
      }</td></tr>`,
  ).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kefu API</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;width:100%}
td{border-bottom:1px solid #ddd;padding:6px;vertical-align:top}pre{background:#f6f6f6;padding:8px;overflow:auto}</style>
</head><body><h1>kefu API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Send <code>Authorization: Bearer &lt;token or key&gt;</code>. Errors: <code>{"error": {"code", "message", "hint", "field"}}</code>.</p>
<table><tr><th>method</th><th>path</th><th>auth</th><th>what</th></tr>
${rows}
</table></body></html>`;
}
