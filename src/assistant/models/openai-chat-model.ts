/**
 * `OpenAiChatModel`: a `ChatModel` over any OpenAI-compatible server (vLLM, llama.cpp server,
 * Ollama, LLaMA-Factory's API, kefu's own server) through fetch: POST {baseUrl}/chat/completions
 * with `stream: true`, reading the SSE `data:` lines until `data: [DONE]`. Token counts come from
 * the server's `usage` when it sends one (stream_options.include_usage), else from a length
 * estimate. Does not retry; HTTP and network failures are RuntimeFailures with the status.
 * Ignores `ChatRequest.evidence` (no copy-constrained decoding here): the grounding check still
 * checks every reply this model writes.
 *
 *   const model = new OpenAiChatModel({ baseUrl: 'http://localhost:8000/v1', model: 'qwen2' });
 */
import { AbortedError, RuntimeFailure } from '../../core/errors.js';
import type { ChatChunk, ChatModel, ChatRequest } from '../contracts.js';

export interface OpenAiChatModelOptions {
  /** Base URL including /v1, e.g. 'http://127.0.0.1:8000/v1'. */
  baseUrl: string;
  /** Model name sent in each request. */
  model: string;
  apiKey?: string;
  /** Context window in tokens. Defaults to 4096. */
  contextLength?: number;
}

interface StreamDelta {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** Rough token estimate for servers without usage: one per CJK character, one per 4 other chars. */
export function estimateTokens(text: string): number {
  const cjk = text.match(/[\u3000-\u9fff\uff00-\uffef]/g)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

/** `data:` payloads of an SSE byte stream, one per event. */
async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let cut = buffer.search(/\r?\n\r?\n/);
    while (cut >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
      cut = buffer.search(/\r?\n\r?\n/);
    }
  }
}

export class OpenAiChatModel implements ChatModel {
  readonly id: string;
  readonly contextLength: number;
  private readonly url: string;

  constructor(private readonly options: OpenAiChatModelOptions) {
    this.id = options.model;
    this.contextLength = options.contextLength ?? 4096;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  countTokens(text: string): number {
    return estimateTokens(text);
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.options.model,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.topP !== undefined ? { top_p: request.topP } : {}),
          ...(request.stop?.length ? { stop: request.stop } : {}),
        }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted) throw new AbortedError('generation aborted', { cause: error });
      throw new RuntimeFailure(`cannot reach ${this.url}: ${(error as Error).message}`, {
        code: 'E_MODEL_UNREACHABLE',
        cause: error,
        hint: 'check --model URL and that the server is running',
      });
    }
    if (!response.ok || !response.body) {
      const body = await response.text().catch(() => '');
      throw new RuntimeFailure(`${this.url} answered ${response.status}: ${body.slice(0, 200)}`, {
        code: 'E_MODEL_HTTP',
        details: { status: response.status },
        hint: 'check the model name and API key',
      });
    }
    let text = '';
    let finishReason: 'stop' | 'length' = 'stop';
    let usage: { promptTokens: number; completionTokens: number } | undefined;
    try {
      for await (const data of sseData(response.body)) {
        if (data.trim() === '[DONE]') break;
        const event = JSON.parse(data) as StreamDelta;
        for (const choice of event.choices ?? []) {
          const delta = choice.delta?.content;
          if (delta) {
            text += delta;
            yield { type: 'text-delta', text: delta };
          }
          if (choice.finish_reason === 'length') finishReason = 'length';
        }
        if (event.usage)
          usage = {
            promptTokens: event.usage.prompt_tokens ?? 0,
            completionTokens: event.usage.completion_tokens ?? 0,
          };
      }
    } catch (error) {
      if (request.signal?.aborted) throw new AbortedError('generation aborted', { cause: error });
      throw new RuntimeFailure(`the stream from ${this.url} broke: ${(error as Error).message}`, {
        code: 'E_MODEL_STREAM',
        cause: error,
      });
    }
    usage ??= {
      promptTokens: estimateTokens(request.messages.map((m) => m.content).join('\n')),
      completionTokens: estimateTokens(text),
    };
    yield { type: 'finish', finishReason, usage };
  }
}
