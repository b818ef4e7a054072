/**
 * `ModelSwitch`: a ChatModel that forwards to the active model and can swap it while the service
 * runs. The assistant is built over the switch, so open sessions (stored in the SessionStore) carry
 * on with the next turn on the new model; generations already streaming finish on the old one,
 * which is closed once its last stream ends. Does not: load models (the caller passes one).
 */
import type { ChatChunk, ChatModel, ChatRequest } from '../assistant/contracts.js';

export class ModelSwitch implements ChatModel {
  private current: ChatModel;
  private readonly streams = new Map<ChatModel, number>();
  private readonly retired = new Set<ChatModel>();

  constructor(initial: ChatModel) {
    this.current = initial;
  }

  get id(): string {
    return this.current.id;
  }

  get contextLength(): number {
    return this.current.contextLength;
  }

  get active(): ChatModel {
    return this.current;
  }

  countTokens(text: string): number {
    return this.current.countTokens(text);
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const model = this.current;
    this.streams.set(model, (this.streams.get(model) ?? 0) + 1);
    try {
      yield* model.stream(request);
    } finally {
      const left = (this.streams.get(model) ?? 1) - 1;
      this.streams.set(model, left);
      if (left === 0 && this.retired.has(model)) await this.retire(model);
    }
  }

  /** Make `next` the active model; the previous one closes when its streams end. Returns it. */
  async switchTo(next: ChatModel): Promise<ChatModel> {
    const previous = this.current;
    if (previous === next) return previous;
    this.current = next;
    this.retired.add(previous);
    if (!this.streams.get(previous)) await this.retire(previous);
    return previous;
  }

  async close(): Promise<void> {
    await this.current.close?.();
    for (const model of this.retired) await this.retire(model);
  }

  private async retire(model: ChatModel): Promise<void> {
    this.retired.delete(model);
    this.streams.delete(model);
    await model.close?.();
  }
}
