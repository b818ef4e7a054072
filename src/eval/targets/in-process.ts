/**
 * The in-process target: drives an `Assistant` directly (no HTTP), for fast tests and for
 * ablations that build several assistants in one process. Time to first token is measured at the
 * first `text-delta` event, the full answer at `finish`. Optional `reset` restores the order
 * book between repeats (the caller knows how: reopen a copy, re-import the sample shop …).
 */
import type { Assistant, AssistantReply } from '../../assistant/contracts.js';
import { RuntimeFailure } from '../../core/errors.js';
import type { EvalConversation, EvalTarget, TargetReply } from '../types.js';

export interface InProcessTargetOptions {
  name?: string;
  assistant: Assistant;
  reset?: () => Promise<void>;
  secrets?: () => Promise<string[]>;
  close?: () => Promise<void>;
}

export function replyFromAssistant(reply: AssistantReply, ttftMs: number, totalMs: number): TargetReply {
  return {
    text: reply.text,
    task: reply.task,
    toolCalls: reply.toolCalls.map((c) => ({ name: c.name, outcome: c.outcome })),
    ...(reply.handoff ? { handoff: { reason: reply.handoff.reason } } : {}),
    origin: reply.origin,
    sources: reply.sources.length,
    ttftMs,
    totalMs,
  };
}

export function createInProcessTarget(options: InProcessTargetOptions): EvalTarget {
  const { assistant } = options;
  return {
    name: options.name ?? 'in-process',
    reportsTools: true,
    async open(customerId: string): Promise<EvalConversation> {
      const session = await assistant.openSession(customerId, { channel: 'eval' });
      return {
        async send(message, signal) {
          const started = performance.now();
          let first: number | undefined;
          let finish: AssistantReply | undefined;
          let text = '';
          for await (const event of assistant.respond(
            session.id,
            customerId,
            message,
            signal ? { signal } : {},
          )) {
            if (event.type === 'text-delta') {
              first ??= performance.now();
              text += event.text;
            } else if (event.type === 'finish') finish = event.reply;
          }
          const end = performance.now();
          if (!finish)
            throw new RuntimeFailure('the assistant stream ended without a finish event', {
              code: 'E_EVAL_TARGET',
            });
          return replyFromAssistant(
            { ...finish, text: finish.text || text },
            (first ?? end) - started,
            end - started,
          );
        },
        close: () => assistant.close(session.id, customerId),
      };
    },
    ...(options.reset ? { reset: options.reset } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.close ? { close: options.close } : {}),
  };
}
