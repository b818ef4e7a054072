/**
 * The OpenAI-compatible routes: POST /v1/chat/completions (JSON or SSE chunks ending with
 * `data: [DONE]`), GET /v1/models, POST /v1/embeddings (float or base64, as the official client
 * asks). The customer is the token's; only the last user message goes to the assistant, the rest
 * of the conversation lives in the server-side session named by `session_id` (body) or
 * `x-kefu-session` (header), else a new one. kefu's extras travel in a `kefu` object
 * (`session_id, message_id, handoff, sources, tool_calls, origin, grounded, task`), which OpenAI
 * clients ignore. Does not: run tools or retrieval itself (the assistant does).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AssistantReply } from '../../assistant/contracts.js';
import { asKefuError, InputError } from '../../core/errors.js';
import {
  customerIdOf,
  requireAnyone,
  requireCustomer,
  type ServerEnv,
  sessionSourceOf,
} from '../auth/principal.js';
import { startTurn } from '../generation.js';
import { errorBody, HttpError } from '../http-errors.js';
import type { ServerRuntime } from '../runtime.js';
import { chatCompletionSchema, embeddingsSchema, parseWith } from '../schemas.js';
import { sseResponse } from '../sse.js';
import { readJson } from './body.js';

type ChatBody = ReturnType<typeof chatCompletionSchema.parse>;

function lastUserMessage(body: ChatBody): string {
  const last = body.messages.at(-1)!;
  if (last.role !== 'user') {
    throw new InputError('messages: the last message must have role "user"', undefined, {
      code: 'E_VALIDATION',
      details: { field: `body.messages.${body.messages.length - 1}.role` },
    });
  }
  const content = last.content;
  const text =
    typeof content === 'string'
      ? content
      : (content ?? []).map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
  if (!text.trim()) {
    throw new InputError('messages: the last user message is empty', undefined, {
      code: 'E_VALIDATION',
      details: { field: `body.messages.${body.messages.length - 1}.content` },
    });
  }
  return text;
}

export function kefuExtension(sessionId: string, reply: AssistantReply) {
  return {
    session_id: sessionId,
    message_id: reply.messageId,
    origin: reply.origin,
    grounded: reply.grounded,
    task: reply.task,
    handoff: reply.handoff ?? null,
    sources: reply.sources,
    tool_calls: reply.toolCalls,
  };
}

async function sessionFor(rt: ServerRuntime, c: Context<ServerEnv>, body: ChatBody, customerId: string) {
  const id = body.session_id ?? c.req.header('x-kefu-session');
  if (id) return rt.deps.assistant.session(id, customerId);
  return rt.deps.sessions.create(customerId, { channel: 'openai', source: sessionSourceOf(c) });
}

export function openAiRoutes(rt: ServerRuntime): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();

  app.post('/chat/completions', requireCustomer, async (c) => {
    const body = parseWith(chatCompletionSchema, await readJson(c));
    const customerId = customerIdOf(c);
    const message = lastUserMessage(body);
    if (message.length > rt.config.maxMessageChars) {
      throw new InputError(
        `messages: the last message is longer than ${rt.config.maxMessageChars} characters`,
        undefined,
        {
          code: 'E_VALIDATION',
          details: { field: `body.messages.${body.messages.length - 1}.content` },
        },
      );
    }
    const session = await sessionFor(rt, c, body, customerId);
    const id = `chatcmpl-${crypto.randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const model = rt.deps.model.id;
    const turn = await startTurn(rt, {
      sessionId: session.id,
      customerId,
      message,
      signal: c.req.raw.signal,
    });
    const headers = { 'x-kefu-session': session.id };

    if (!body.stream) {
      const leave = rt.inFlight.enter();
      try {
        let reply: AssistantReply | undefined;
        for await (const event of turn) if (event.type === 'finish') reply = event.reply;
        if (!reply) throw new HttpError(502, 'E_NO_REPLY', 'the assistant ended without a reply');
        return c.json(
          {
            id,
            object: 'chat.completion',
            created,
            model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: reply.text, refusal: null },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            usage: {
              prompt_tokens: reply.usage.promptTokens,
              completion_tokens: reply.usage.completionTokens,
              total_tokens: reply.usage.promptTokens + reply.usage.completionTokens,
            },
            kefu: kefuExtension(session.id, reply),
          },
          200,
          headers,
        );
      } finally {
        leave();
      }
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const leave = rt.inFlight.enter();
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices,
      ...extra,
    });
    return sseResponse(
      async (send) => {
        send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
        try {
          for await (const event of turn) {
            if (event.type === 'text-delta') {
              send(chunk([{ index: 0, delta: { content: event.text }, finish_reason: null }]));
            } else if (event.type === 'finish') {
              const r = event.reply;
              send(
                chunk([{ index: 0, delta: {}, finish_reason: 'stop' }], {
                  kefu: kefuExtension(session.id, r),
                }),
              );
              if (includeUsage) {
                const usage = {
                  prompt_tokens: r.usage.promptTokens,
                  completion_tokens: r.usage.completionTokens,
                  total_tokens: r.usage.promptTokens + r.usage.completionTokens,
                };
                send(chunk([], { usage }));
              }
            }
          }
        } catch (error) {
          const failure = asKefuError(error);
          rt.metrics.errors.inc({ code: failure.code });
          send(errorBody(failure, c.get('requestId')));
        }
        send('[DONE]');
      },
      { signal: c.req.raw.signal, headers, onClose: leave },
    );
  });

  app.get('/models', requireAnyone, (c) => {
    const created = Math.floor(Date.now() / 1000);
    return c.json({
      object: 'list',
      data: [{ id: rt.deps.model.id, object: 'model', created, owned_by: 'kefu' }],
    });
  });

  app.post('/embeddings', requireAnyone, async (c) => {
    const body = parseWith(embeddingsSchema, await readJson(c));
    const embedder = rt.deps.embedder?.();
    if (!embedder) {
      throw new HttpError(503, 'E_NO_EMBEDDER', 'no embedding model is loaded', {
        hint: 'ingest knowledge first (POST /admin/knowledge/ingest or `kefu kb ingest`)',
      });
    }
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const vectors = await embedder.embed(inputs, { signal: c.req.raw.signal });
    const base64 = body.encoding_format === 'base64';
    const tokens = inputs.reduce((n, t) => n + t.length, 0);
    return c.json({
      object: 'list',
      model: embedder.id,
      data: vectors.map((v, index) => ({
        object: 'embedding',
        index,
        embedding: base64
          ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
          : Array.from(v),
      })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });

  return app;
}
