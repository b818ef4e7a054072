/**
 * ChatModel test doubles for what cannot be had for real here on demand: a model that hangs (to
 * test the stuck-model path) and, re-exported, the instant model of ../instant-chat-model.ts. Both
 * implement the real ChatModel contract and honour the AbortSignal. Not shipped.
 */
import type { ChatChunk, ChatModel, ChatRequest } from '../../assistant/contracts.js';

export { InstantChatModel } from '../instant-chat-model.js';

/** Never produces a token until its signal aborts (a wedged model). Counts its calls. */
export class StuckChatModel implements ChatModel {
  readonly contextLength = 4096;
  calls = 0;
  constructor(readonly id = 'stuck') {}
  countTokens(text: string): number {
    return text.length;
  }
  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    this.calls++;
    await new Promise<void>((resolve) =>
      request.signal?.addEventListener('abort', () => resolve(), { once: true }),
    );
    yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 0, completionTokens: 0 } };
  }
}

/**
 * Streams one token every `everyMs` until its signal aborts (a long answer), and records how the
 * generation ended: `aborted` resolves with the signal's reason when the abort reached the model.
 */
export class TricklingChatModel implements ChatModel {
  readonly contextLength = 4096;
  calls = 0;
  tokens = 0;
  private reachedAbort!: (reason: unknown) => void;
  readonly aborted = new Promise<unknown>((resolve) => {
    this.reachedAbort = resolve;
  });
  constructor(
    private readonly everyMs = 10,
    readonly id = 'trickling',
  ) {}
  countTokens(text: string): number {
    return text.length;
  }
  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    this.calls++;
    const signal = request.signal;
    while (!signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, this.everyMs));
      if (signal?.aborted) break;
      this.tokens++;
      yield { type: 'text-delta', text: '好' };
    }
    this.reachedAbort(signal?.reason);
    yield {
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 0, completionTokens: this.tokens },
    };
  }
}
