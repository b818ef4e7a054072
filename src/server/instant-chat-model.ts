/**
 * `InstantChatModel`: a ChatModel that answers at once with a fixed text in two deltas. It is the
 * legitimate test double the server benchmark uses to measure everything but the model (HTTP,
 * auth, queue, dialogue engine, tools, SQLite), and tests use it where the model's words do not
 * matter. Implements the real contract; not a model.
 */
import type { ChatChunk, ChatModel, ChatRequest } from '../assistant/contracts.js';

/** Replies at once with `text` in two deltas (the instant model of the overhead benchmark). */
export class InstantChatModel implements ChatModel {
  readonly contextLength = 4096;
  constructor(
    readonly id = 'instant',
    private readonly text = '好的，已为您查询。',
  ) {}
  countTokens(text: string): number {
    return Math.ceil(text.length / 2);
  }
  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const half = Math.ceil(this.text.length / 2);
    yield { type: 'text-delta', text: this.text.slice(0, half) };
    yield { type: 'text-delta', text: this.text.slice(half) };
    const promptTokens = request.messages.reduce((n, m) => n + this.countTokens(m.content), 0);
    yield { type: 'finish', finishReason: 'stop', usage: { promptTokens, completionTokens: 2 } };
  }
}
