/**
 * A model answer that passed grounding, or the reason it did not: generates once greedily, checks
 * every claim against the evidence (facts, passages, the customer's messages) and that the reply
 * says at least one of the facts it was given, regenerates once with sampling when it fails, and
 * reports failure so the caller falls back to a template. The reply is buffered, not streamed
 * token by token, so the customer never sees words that are then withdrawn.
 * Does not choose the fallback text (../assistant.ts does).
 */
import type { ChatModel, ChatTurn, ChatUsage } from '../contracts.js';
import { checkGrounding, type Evidence } from '../grounding/grounding.js';
import type { Fact } from './prompt.js';

export interface AnswerOptions {
  maxTokens: number;
  temperature: number;
  grounding: boolean;
  regenerate: boolean;
  signal?: AbortSignal;
}

export interface AnswerResult {
  text: string;
  grounded: boolean;
  /** Why the last attempt failed: the unsupported claims, or 'says none of the facts'. */
  problems: string[];
  usage: ChatUsage;
  attempts: number;
}

async function complete(
  model: ChatModel,
  messages: ChatTurn[],
  options: AnswerOptions,
  temperature: number,
): Promise<{ text: string; usage: ChatUsage }> {
  let text = '';
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0 };
  for await (const chunk of model.stream({
    messages,
    maxTokens: options.maxTokens,
    temperature,
    ...(temperature > 0 ? { topP: 0.9 } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (chunk.type === 'text-delta') text += chunk.text;
    else usage = chunk.usage;
  }
  return { text: text.trim(), usage };
}

/** Values that answer the question: every fact value except pure labels and long rule texts. */
function answerValues(facts: readonly Fact[]): string[] {
  return facts.map((f) => f.value.trim()).filter((v) => v.length >= 2 && v.length <= 40);
}

export function checkAnswer(text: string, evidence: Evidence, facts: readonly Fact[]): string[] {
  if (!text) return ['empty reply'];
  const problems = checkGrounding(text, evidence).unsupported.map((c) => `${c.kind} ${c.text}`);
  const values = answerValues(facts);
  if (values.length && !values.some((v) => text.includes(v))) problems.push('says none of the facts');
  if (/<\|im_|\|>/.test(text)) problems.push('template tokens');
  return problems;
}

export async function groundedAnswer(
  model: ChatModel,
  messages: ChatTurn[],
  evidence: Evidence,
  facts: readonly Fact[],
  options: AnswerOptions,
): Promise<AnswerResult> {
  const usage: ChatUsage = { promptTokens: 0, completionTokens: 0 };
  const attempts = options.grounding && options.regenerate ? 2 : 1;
  let last = { text: '', problems: ['no attempt'] };
  for (let attempt = 0; attempt < attempts; attempt++) {
    const temperature = attempt === 0 ? options.temperature : Math.max(0.7, options.temperature);
    const out = await complete(model, messages, options, temperature);
    usage.promptTokens += out.usage.promptTokens;
    usage.completionTokens += out.usage.completionTokens;
    const problems = options.grounding
      ? checkAnswer(out.text, evidence, facts)
      : out.text
        ? []
        : ['empty reply'];
    last = { text: out.text, problems };
    if (problems.length === 0)
      return { text: out.text, grounded: true, problems, usage, attempts: attempt + 1 };
  }
  return { text: last.text, grounded: false, problems: last.problems, usage, attempts };
}
