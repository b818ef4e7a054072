/**
 * `LlamaCppChatModel`: a `ChatModel` over node-llama-cpp for any GGUF model (kefu's exported
 * model.gguf, or a Qwen2 / Llama GGUF from elsewhere), optionally with a LoRA adapter GGUF. The
 * prompt is the ChatML text (renderChatMl, the same layout training uses) tokenised with special
 * tokens; decoding is greedy at temperature 0 and stops at <|im_end|> / end-of-generation tokens
 * or a stop string. Always `threads: 1` (the default of 4 is ~800× slower on a 2-core machine).
 * One generation at a time per model (calls queue). Does not download models.
 * Ignores `ChatRequest.evidence` (no copy-constrained decoding here): the grounding check still
 * checks every reply this model writes.
 */
import { AbortedError, InputError } from '../../core/errors.js';
import { IM_END, renderChatMl } from '../../engine/tokenizer/chat-template.js';
import type { ChatChunk, ChatModel, ChatRequest } from '../contracts.js';
import { toTrainingMessages } from './kefu-chat-model.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContext = Awaited<ReturnType<LlamaModel['createContext']>>;
type Token = Parameters<LlamaModel['detokenize']>[0][number];

export interface LlamaCppChatModelOptions {
  /** A LoRA adapter GGUF applied with `scale` (1 = alpha/r as trained). */
  lora?: { path: string; scale?: number };
  /** Context size; defaults to the model's training context, capped at 4096. */
  contextSize?: number;
  id?: string;
}

export class LlamaCppChatModel implements ChatModel {
  readonly contextLength: number;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly id: string,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
  ) {
    this.contextLength = context.contextSize;
  }

  static async load(ggufPath: string, options: LlamaCppChatModelOptions = {}): Promise<LlamaCppChatModel> {
    let lib: NodeLlamaCpp;
    try {
      lib = await import('node-llama-cpp');
    } catch (error) {
      throw new InputError('node-llama-cpp is not installed', undefined, {
        cause: error,
        hint: 'npm install node-llama-cpp, or serve the model through an OpenAI-compatible server',
      });
    }
    const llama = await lib.getLlama({
      gpu: false,
      build: 'never',
      logLevel: lib.LlamaLogLevel.error,
      progressLogs: false,
    });
    const model = await llama.loadModel({ modelPath: ggufPath }).catch((error: unknown) => {
      throw new InputError(`cannot load GGUF model: ${(error as Error).message}`, { file: ggufPath });
    });
    const context = await model.createContext({
      contextSize: options.contextSize ?? Math.min(model.trainContextSize, 4096),
      threads: 1,
      ...(options.lora
        ? { lora: { adapters: [{ filePath: options.lora.path, scale: options.lora.scale ?? 1 }] } }
        : {}),
    });
    const name = ggufPath.split('/').slice(-2).join('/');
    return new LlamaCppChatModel(options.id ?? name, llama, model, context);
  }

  countTokens(text: string): number {
    return this.model.tokenize(text).length;
  }

  stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        // Serialise generations on the one context.
        let release!: () => void;
        const previous = self.queue;
        self.queue = new Promise<void>((done) => {
          release = done;
        });
        await previous;
        try {
          yield* self.generate(request);
        } finally {
          release();
        }
      },
    };
  }

  private async *generate(request: ChatRequest): AsyncGenerator<ChatChunk> {
    const { system, messages } = toTrainingMessages(request.messages);
    const prompt = renderChatMl([...(system ? [{ role: 'system', content: system }] : []), ...messages], {
      addGenerationPrompt: true,
    });
    const promptTokens = this.model.tokenize(prompt, true);
    const usage = { promptTokens: promptTokens.length, completionTokens: 0 };
    const room = this.contextLength - promptTokens.length;
    if (room <= 1) {
      yield { type: 'finish', finishReason: 'context', usage };
      return;
    }
    const maxTokens = Math.min(request.maxTokens ?? 256, room);
    const endIds = new Set<Token>(this.model.tokenize(IM_END, true));
    const eos = this.model.tokens.eos;
    if (eos !== null) endIds.add(eos);
    const stops = [IM_END, ...(request.stop ?? [])];
    const sequence = this.context.getSequence();
    const produced: Token[] = [];
    let emitted = 0;
    let finishReason: 'stop' | 'length' = 'length';
    try {
      const temperature = request.temperature ?? 0;
      for await (const token of sequence.evaluate(promptTokens, {
        temperature,
        ...(request.topP !== undefined ? { topP: request.topP } : {}),
      })) {
        if (request.signal?.aborted) throw new AbortedError('generation aborted');
        if (endIds.has(token)) {
          finishReason = 'stop';
          break;
        }
        produced.push(token);
        const text = this.model.detokenize(produced);
        const stable = text.endsWith('\uFFFD') ? text.slice(0, -1) : text;
        const hit = stops.map((s) => stable.indexOf(s)).filter((i) => i >= 0)[0];
        if (hit !== undefined) {
          if (hit > emitted) yield { type: 'text-delta', text: stable.slice(emitted, hit) };
          finishReason = 'stop';
          break;
        }
        const held = stops.reduce((n, s) => {
          for (let k = Math.min(s.length - 1, stable.length); k > n; k--)
            if (stable.endsWith(s.slice(0, k))) return k;
          return n;
        }, 0);
        if (stable.length - held > emitted) {
          yield { type: 'text-delta', text: stable.slice(emitted, stable.length - held) };
          emitted = stable.length - held;
        }
        if (produced.length >= maxTokens) break;
      }
    } finally {
      sequence.dispose();
    }
    usage.completionTokens = produced.length;
    yield { type: 'finish', finishReason, usage };
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
