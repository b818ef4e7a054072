/**
 * The HTTP target: the real server, as a customer's client reaches it. Two routes:
 *   - 'openai': POST /v1/chat/completions with `stream: true`, the session carried in
 *     `session_id`; task, tool calls, handoff and sources come from the final chunk's `kefu` object;
 *   - 'sessions': POST /sessions, then POST /sessions/:id/messages (SSE of the assistant's events).
 * Time to first token is the first non-empty text delta, full answer the end of the stream, both
 * measured on this side of the socket. Each customer needs a customer token: `tokenFor` mints one
 * (with the workspace secret, see src/server/auth) or returns a fixed one.
 */

import type { AssistantEvent, AssistantReply } from '../../assistant/contracts.js';
import { RuntimeFailure } from '../../core/errors.js';
import type { EvalConversation, EvalTarget, TargetReply } from '../types.js';
import { replyFromAssistant } from './in-process.js';
import { readSse } from './sse.js';

export type HttpRoute = 'openai' | 'sessions';

export interface HttpTargetOptions {
  /** Server root, e.g. http://127.0.0.1:8787 (no /v1). */
  url: string;
  tokenFor(customerId: string): string | Promise<string>;
  route?: HttpRoute;
  name?: string;
  /** Milliseconds per turn. Defaults to 120000. */
  timeoutMs?: number;
}

interface KefuExtension {
  session_id: string;
  origin?: string;
  task?: TargetReply['task'];
  handoff?: { reason: string } | null;
  sources?: unknown[];
  tool_calls?: { name: string; outcome?: TargetReply['toolCalls'][number]['outcome'] }[];
}

async function failed(response: Response, what: string): Promise<never> {
  const body = await response.text().catch(() => '');
  throw new RuntimeFailure(`${what}: HTTP ${response.status} ${body.slice(0, 200)}`, {
    code: 'E_EVAL_HTTP',
    hint:
      response.status === 401
        ? 'check the token (customer tokens are minted with the workspace secret)'
        : 'check the server log',
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * fetch that honours 429 Retry-After (the server's per-customer rate limit) up to 5 times, waiting
 * at most 10 s each; the caller times the attempt that was answered, so waits are not latency.
 */
async function politeFetch(
  url: string,
  init: RequestInit & { signal?: AbortSignal },
  onAttempt: () => void,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    onAttempt();
    const response = await fetch(url, init);
    if (response.status !== 429 || attempt >= 5) return response;
    const wait = Math.min(10, Number(response.headers.get('retry-after')) || 1);
    await response.body?.cancel().catch(() => undefined);
    await sleep(wait * 1000, init.signal ?? undefined);
  }
}

export function createHttpTarget(options: HttpTargetOptions): EvalTarget {
  const root = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
  const route = options.route ?? 'openai';
  const timeout = () => AbortSignal.timeout(options.timeoutMs ?? 120_000);
  const signalOf = (signal?: AbortSignal) => (signal ? AbortSignal.any([signal, timeout()]) : timeout());

  async function openAiTurn(
    token: string,
    sessionId: string | undefined,
    message: string,
    signal?: AbortSignal,
  ) {
    const started = performance.now();
    const response = await fetch(`${root}/v1/chat/completions`, {
      method: 'POST',
      signal: signalOf(signal),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: 'kefu',
        stream: true,
        messages: [{ role: 'user', content: message }],
        ...(sessionId ? { session_id: sessionId } : {}),
      }),
    });
    if (!response.ok || !response.body) return failed(response, 'chat completion');
    let first: number | undefined;
    let text = '';
    let kefu: KefuExtension | undefined;
    for await (const frame of readSse(response.body)) {
      if (frame.data === '[DONE]') break;
      const chunk = JSON.parse(frame.data) as {
        choices?: { delta?: { content?: string } }[];
        kefu?: KefuExtension;
        error?: { message?: string };
      };
      if (chunk.error)
        throw new RuntimeFailure(`chat completion failed: ${chunk.error.message ?? 'unknown error'}`, {
          code: 'E_EVAL_HTTP',
        });
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        first ??= performance.now();
        text += delta;
      }
      if (chunk.kefu) kefu = chunk.kefu;
    }
    const end = performance.now();
    const reply: TargetReply = {
      text,
      toolCalls: (kefu?.tool_calls ?? []).map((c) => ({
        name: c.name,
        ...(c.outcome ? { outcome: c.outcome } : {}),
      })),
      ...(kefu?.task ? { task: kefu.task } : {}),
      ...(kefu?.handoff ? { handoff: { reason: kefu.handoff.reason } } : {}),
      ...(kefu?.origin ? { origin: kefu.origin } : {}),
      sources: kefu?.sources?.length ?? 0,
      ttftMs: (first ?? end) - started,
      totalMs: end - started,
    };
    return { reply, sessionId: kefu?.session_id ?? response.headers.get('x-kefu-session') ?? sessionId };
  }

  async function sessionTurn(
    token: string,
    sessionId: string,
    message: string,
    signal?: AbortSignal,
  ): Promise<TargetReply> {
    let started = performance.now();
    const response = await politeFetch(
      `${root}/sessions/${encodeURIComponent(sessionId)}/messages`,
      {
        method: 'POST',
        signal: signalOf(signal),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: message }),
      },
      () => {
        started = performance.now();
      },
    );
    if (!response.ok || !response.body) return failed(response, 'session message');
    let first: number | undefined;
    let finish: AssistantReply | undefined;
    for await (const frame of readSse(response.body)) {
      const event = JSON.parse(frame.data) as AssistantEvent | { message?: string };
      if (frame.event === 'error')
        throw new RuntimeFailure(`session message failed: ${(event as { message?: string }).message ?? ''}`, {
          code: 'E_EVAL_HTTP',
        });
      if (frame.event === 'text-delta' && (event as { text?: string }).text) first ??= performance.now();
      if (frame.event === 'finish') finish = (event as { reply: AssistantReply }).reply;
    }
    const end = performance.now();
    if (!finish)
      throw new RuntimeFailure('the session stream ended without a finish event', { code: 'E_EVAL_HTTP' });
    return replyFromAssistant(finish, (first ?? end) - started, end - started);
  }

  return {
    name: options.name ?? `http:${route}`,
    reportsTools: true,
    async open(customerId: string): Promise<EvalConversation> {
      const token = await options.tokenFor(customerId);
      let sessionId: string | undefined;
      if (route === 'sessions') {
        const response = await fetch(`${root}/sessions`, {
          method: 'POST',
          signal: timeout(),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ channel: 'eval' }),
        });
        if (!response.ok) return failed(response, 'open session');
        sessionId = ((await response.json()) as { id: string }).id;
      }
      return {
        async send(message, signal) {
          if (route === 'sessions') return sessionTurn(token, sessionId as string, message, signal);
          const turn = await openAiTurn(token, sessionId, message, signal);
          sessionId = turn.sessionId ?? undefined;
          return turn.reply;
        },
        async close() {
          if (!sessionId) return;
          await fetch(`${root}/sessions/${encodeURIComponent(sessionId)}/close`, {
            method: 'POST',
            signal: timeout(),
            headers: { authorization: `Bearer ${token}` },
          }).catch(() => undefined);
        },
      };
    },
  };
}
