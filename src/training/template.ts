/**
 * The ChatML chat template, as LLaMA-Factory's `chatml` template lays it out:
 *   <|im_start|>system\n{system}<|im_end|>\n            (first turn only, when there is a system)
 *   <|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n          (source: never trained)
 *   {assistant}<|im_end|>\n                                                 (target: trained)
 *   <|im_start|>tool\n{observation}<|im_end|>\n<|im_start|>assistant\n    (source)
 *   {function_call}<|im_end|>\n                                            (target)
 * Special tokens come from `tokenizer.tokenId` and are never produced by `encode`; the text between
 * them is encoded piece by piece, as an HF tokenizer splits on special tokens first. Turns are
 * returned as (source, target) pairs like LLaMA-Factory's `encode_multiturn`.
 * Does not: mask, truncate or batch (./encode.ts does), or render tools in LLaMA-Factory's
 * verbose default tool prompt (tools are appended to the system text under "# Tools").
 */

import { InputError } from '../core/errors.js';
import type { Example, Message } from '../data/example.js';
import type { TextTokenizer } from '../engine/contracts.js';

export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';

/** A run of text to encode, or a special token by name. */
type Piece = string | { special: string };

export interface TurnPair {
  source: number[];
  target: number[];
}

function where(example: Example): string {
  return example.source ? `${example.source.file}:${example.source.line}` : (example.id ?? 'example');
}

export class ChatMlTemplate {
  private readonly start: number;
  private readonly end: number;

  constructor(private readonly tokenizer: TextTokenizer) {
    const start = tokenizer.tokenId(IM_START);
    const end = tokenizer.tokenId(IM_END);
    if (start === undefined || end === undefined) {
      throw new InputError(
        `the tokenizer has no ${IM_START} / ${IM_END} tokens, which template chatml needs`,
        undefined,
        {
          hint: 'use a model whose vocabulary has the ChatML tokens (Qwen2 family), or another template',
        },
      );
    }
    this.start = start;
    this.end = end;
  }

  /** Id of <|im_end|>, the end-of-turn token (LLaMA-Factory's replaced EOS for chatml). */
  get endOfTurn(): number {
    return this.end;
  }

  private ids(pieces: readonly Piece[]): number[] {
    const out: number[] = [];
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        if (piece.length > 0) out.push(...this.tokenizer.encode(piece));
      } else {
        out.push(piece.special === IM_START ? this.start : this.end);
      }
    }
    return out;
  }

  private block(role: string, content: string): Piece[] {
    return [{ special: IM_START }, `${role}\n${content}`, { special: IM_END }, '\n'];
  }

  private systemPieces(system: string | undefined, tools: string | undefined): Piece[] {
    const text = [system, tools ? `# Tools\n\n${tools}` : undefined].filter(Boolean).join('\n\n');
    return text ? this.block('system', text) : [];
  }

  /** Pieces of one message: prompt-side roles end with the assistant header, replies with <|im_end|>\n. */
  private messagePieces(message: Message): Piece[] {
    switch (message.role) {
      case 'user':
        return [...this.block('user', message.content), { special: IM_START }, 'assistant\n'];
      case 'observation':
        return [...this.block('tool', message.content), { special: IM_START }, 'assistant\n'];
      case 'assistant':
      case 'function_call':
        return [message.content, { special: IM_END }, '\n'];
    }
  }

  /**
   * Every message as token ids, the system block prefixed to the first. Messages must alternate
   * prompt-side (user/observation) and reply-side (assistant/function_call), starting prompt-side.
   */
  encodeMessages(example: Example, messages: readonly Message[]): number[][] {
    return messages.map((message, i) => {
      const promptSide = message.role === 'user' || message.role === 'observation';
      if (promptSide !== (i % 2 === 0)) {
        throw new InputError(
          `turn ${i + 1} is ${message.role} where a ${i % 2 === 0 ? 'user or observation' : 'assistant or function_call'} turn belongs`,
          { file: where(example), field: 'messages' },
          { hint: 'turns must alternate user → assistant; run `kefu data validate`' },
        );
      }
      const prefix = i === 0 ? this.systemPieces(example.system, example.tools) : [];
      return this.ids([...prefix, ...this.messagePieces(message)]);
    });
  }

  /** (source, target) pairs of an SFT conversation (an even number of messages). */
  encodeMultiturn(example: Example, messages: readonly Message[]): TurnPair[] {
    const encoded = this.encodeMessages(example, messages);
    const pairs: TurnPair[] = [];
    for (let i = 0; i + 1 < encoded.length; i += 2)
      pairs.push({ source: encoded[i]!, target: encoded[i + 1]! });
    return pairs;
  }

  /** The prompt of a preference example (all turns, ending with the assistant header) and its two replies. */
  encodePreference(
    example: Example,
    messages: readonly Message[],
    chosen: string,
    rejected: string,
  ): { prompt: number[]; chosen: number[]; rejected: number[] } {
    const prompt = this.encodeMessages(example, messages).flat();
    const reply = (content: string) => this.ids([content, { special: IM_END }, '\n']);
    return { prompt, chosen: reply(chosen), rejected: reply(rejected) };
  }
}

/** The messages of an example with alpaca's `input` joined to the last user turn by "\n". */
export function withInput(example: Example): Message[] {
  const messages = example.messages.map((m) => ({ ...m }));
  if (example.input) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      if (message.role === 'user') {
        message.content = message.content ? `${message.content}\n${example.input}` : example.input;
        break;
      }
    }
  }
  return messages;
}
