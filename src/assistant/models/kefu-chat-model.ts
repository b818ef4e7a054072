/**
 * `KefuChatModel`: a `ChatModel` over kefu's own engine. Loads an HF folder (config.json +
 * model.safetensors + tokenizer.json) and merges PEFT adapters in order (an SFT adapter, then a DPO
 * adapter trained on the SFT-merged model, as the quickstart trains them). Prompts are tokenised
 * exactly as training tokenises them (src/training/template.ts: ChatML, special tokens as ids, the
 * text between them encoded piece by piece), and replies stream through generateText until
 * <|im_end|>. With `request.evidence` the decoding is copy-constrained (../grounding/copy-constraint.ts):
 * order numbers, prices, dates and status words can only be copied from the evidence texts.
 * Does not: choose the messages (the assistant assembles them) or run tools.
 *
 *   const model = await KefuChatModel.load('models/base', { adapters: ['models/sft', 'models/dpo'] });
 *   for await (const chunk of model.stream({ messages, maxTokens: 128 })) …
 */
import { basename, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Message } from '../../data/example.js';
import { checkAdapter, mergeAdapterWeights } from '../../engine/export/export-model.js';
import { loadHfCheckpoint } from '../../engine/formats/hf-checkpoint.js';
import { loadPeftAdapter } from '../../engine/formats/peft.js';
import { getKernels } from '../../engine/kernels/index.js';
import { generateText } from '../../engine/model/generate-text.js';
import { Transformer } from '../../engine/model/transformer.js';
import { type BpeTokenizer, loadTokenizerJson } from '../../engine/tokenizer/index.js';
import { ChatMlTemplate, IM_END } from '../../training/template.js';
import type { ChatChunk, ChatModel, ChatRequest, ChatTurn } from '../contracts.js';
import { CopyConstraint } from '../grounding/copy-constraint.js';

/**
 * Candidates asked per token under copy constraint. Generous: the quickstart model often ranks the
 * one digit that continues an order number far down, and asking costs far less than a forward pass.
 */
const COPY_TRIES = 1024;

export interface KefuChatModelOptions {
  /** PEFT adapter folders merged in this order. A single string is one adapter. */
  adapter?: string | string[];
  /** Model id reported by `id`; defaults to the folder name (+ the last adapter's). */
  id?: string;
}

/** Training's message list of a chat: the system apart, user/assistant turns alternating. */
export function toTrainingMessages(turns: readonly ChatTurn[]): { system?: string; messages: Message[] } {
  const system = turns.filter((t) => t.role === 'system').map((t) => t.content);
  const messages: Message[] = [];
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    const last = messages.at(-1);
    if (last && last.role === turn.role) last.content += `\n${turn.content}`;
    else messages.push({ role: turn.role, content: turn.content });
  }
  if (messages[0]?.role !== 'user') messages.unshift({ role: 'user', content: '' });
  return { ...(system.length ? { system: system.join('\n') } : {}), messages };
}

export class KefuChatModel implements ChatModel {
  readonly contextLength: number;
  private readonly template: ChatMlTemplate;

  private constructor(
    readonly id: string,
    private readonly model: Transformer,
    private readonly tokenizer: BpeTokenizer,
  ) {
    this.contextLength = model.config.max_position_embeddings;
    this.template = new ChatMlTemplate(tokenizer);
  }

  static async load(dir: string, options: KefuChatModelOptions = {}): Promise<KefuChatModel> {
    const checkpoint = await loadHfCheckpoint(dir);
    const adapters = options.adapter === undefined ? [] : [options.adapter].flat();
    let weights = checkpoint.weights;
    let tokenizerPath = checkpoint.tokenizerJsonPath;
    for (const adapterDir of adapters) {
      const adapter = await loadPeftAdapter(adapterDir);
      checkAdapter(checkpoint.config, adapter, adapterDir);
      weights = mergeAdapterWeights(weights, adapter);
      tokenizerPath ??= resolve(adapterDir, 'tokenizer.json');
    }
    if (!tokenizerPath) {
      throw new InputError('no tokenizer.json beside the model or its adapters', { file: dir });
    }
    const tokenizer = await loadTokenizerJson(tokenizerPath);
    const model = new Transformer(checkpoint.config, weights, { kernels: getKernels() });
    model.setTrainable('none');
    const id = options.id ?? [basename(resolve(dir)), ...adapters.map((a) => basename(resolve(a)))].join('+');
    return new KefuChatModel(id, model, tokenizer);
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  /** Prompt ids of a chat, ending with the assistant header, as training encodes it. */
  encodePrompt(turns: readonly ChatTurn[]): number[] {
    const { system, messages } = toTrainingMessages(turns);
    if (messages.at(-1)?.role !== 'user') {
      throw new InputError('a chat request must end with a user turn', undefined, {
        hint: 'append the customer message as the last turn',
      });
    }
    const example = { kind: 'sft' as const, messages, ...(system ? { system } : {}) };
    return this.template.encodeMessages(example, messages).flat();
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const prompt = this.encodePrompt(request.messages);
    const usage = { promptTokens: prompt.length, completionTokens: 0 };
    if (prompt.length >= this.contextLength - 1) {
      yield { type: 'finish', finishReason: 'context', usage };
      return;
    }
    const temperature = request.temperature ?? 0;
    const constraint = request.evidence ? new CopyConstraint(request.evidence.texts) : undefined;
    const generator = generateText(this.model, this.tokenizer, prompt, {
      maxTokens: Math.min(request.maxTokens ?? 256, this.contextLength - prompt.length),
      stopTokenIds: [this.template.endOfTurn],
      stop: [IM_END, ...(request.stop ?? [])],
      sampling: { temperature, ...(request.topP !== undefined ? { topP: request.topP } : {}) },
      ...(request.signal ? { signal: request.signal } : {}),
      ...(constraint
        ? {
            acceptText: ({ previous, text, ends }: { previous: string; text: string; ends: boolean }) =>
              constraint.accepts(previous, text, ends),
            maxAcceptTries: COPY_TRIES,
          }
        : {}),
    });
    for (;;) {
      const next = await generator.next();
      if (next.done) {
        usage.completionTokens = next.value.tokens;
        yield { type: 'finish', finishReason: next.value.finishReason, usage };
        return;
      }
      yield { type: 'text-delta', text: next.value };
    }
  }
}
