/**
 * How a model's stream is judged: a reply whose finished clause already holds an unsupported
 * claim stops there (the rest would be thrown away), a grounded one runs to its end. The model is
 * a scripted stream through the real ChatModel interface, so the test controls what it says.
 */
import { describe, expect, it } from 'vitest';
import type { ChatChunk, ChatModel, ChatRequest } from '../contracts.js';
import { Evidence } from '../grounding/grounding.js';
import { groundedAnswer } from './answer.js';

/** Says `text` one character per token, then `filler` until maxTokens; counts what it produced. */
class ScriptedModel implements ChatModel {
  readonly id = 'scripted';
  readonly contextLength = 4096;
  produced = 0;
  constructor(
    private readonly text: string,
    private readonly filler = '',
  ) {}
  countTokens(text: string): number {
    return text.length;
  }
  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const tokens = [...this.text, ...Array.from({ length: request.maxTokens ?? 0 }, () => this.filler)];
    let n = 0;
    for (const token of tokens.slice(0, request.maxTokens)) {
      if (!token) break;
      n++;
      this.produced++;
      yield { type: 'text-delta', text: token };
    }
    yield {
      type: 'finish',
      finishReason: n >= (request.maxTokens ?? 0) ? 'length' : 'stop',
      usage: { promptTokens: 10, completionTokens: n },
    };
  }
}

const facts = [
  { key: '订单号', value: 'DD20240101000001' },
  { key: '状态', value: '已发货' },
];
const evidence = new Evidence(['订单号：DD20240101000001；状态：已发货']);
const options = { maxTokens: 200, temperature: 0, grounding: true, regenerate: true };
const messages = [{ role: 'user' as const, content: '我的订单到哪了' }];

describe('grounded answers from a stream', () => {
  it('stops a reply at the first finished clause with a made-up order number, on both attempts', async () => {
    const model = new ScriptedModel('您的订单DD20240101000009已发货，', '好');
    const result = await groundedAnswer(model, messages, evidence, facts, options);
    expect(result.grounded).toBe(false);
    expect(result.problems).toContain('order DD20240101000009');
    expect(result.attempts).toBe(2);
    // 20 characters up to the comma per attempt, not the 200 maxTokens allows.
    expect(model.produced).toBe(2 * '您的订单DD20240101000009已发货，'.length);
  });

  it('lets a grounded reply run to its end and shows it', async () => {
    const reply = '您好，您的订单DD20240101000001已发货，请耐心等待。';
    const model = new ScriptedModel(reply);
    const result = await groundedAnswer(model, messages, evidence, facts, options);
    expect(result).toMatchObject({ grounded: true, text: reply, attempts: 1 });
    expect(model.produced).toBe(reply.length);
  });

  it('judges a clause only once it is finished: a number still being written is not cut short', async () => {
    const reply = '订单DD20240101000001已发货';
    const model = new ScriptedModel(reply);
    const result = await groundedAnswer(model, messages, evidence, facts, options);
    expect(result.grounded).toBe(true);
  });
});
