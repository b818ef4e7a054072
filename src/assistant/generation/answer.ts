/**
 * A model answer that passed grounding, or the reason it did not: generates once greedily, checks
 * every claim against the evidence (facts, passages, the customer's messages) and that the reply
 * says at least one of the facts it was given, regenerates once with sampling when it fails, and
 * reports failure so the caller falls back to a template. A generation stops at the first finished
 * clause with a claim the evidence does not support (the reply could no longer pass). The reply is
 * buffered, not streamed token by token, so the customer never sees words that are then withdrawn.
 * The evidence texts go with the request (`ChatRequest.evidence`) so models that can constrain
 * decoding to them do.
 * Does not choose the fallback text (../assistant.ts does).
 */
import type { ChatModel, ChatTurn, ChatUsage } from '../contracts.js';
import { CopyConstraint } from '../grounding/copy-constraint.js';
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

/**
 * Generates one reply. With evidence, each finished clause is checked as it arrives, and the
 * generation stops at the first problem no continuation can remove (`settled`): the reply is
 * rejected anyway, so the rest of it is not worth the time.
 */
async function complete(
  model: ChatModel,
  messages: ChatTurn[],
  options: AnswerOptions,
  temperature: number,
  evidence: Evidence | undefined,
): Promise<{ text: string; usage: ChatUsage; cutOff: boolean; settled: string[] }> {
  let text = '';
  let cutOff = false;
  let settled: string[] = [];
  let checked = 0;
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0 };
  for await (const chunk of model.stream({
    messages,
    maxTokens: options.maxTokens,
    temperature,
    ...(temperature > 0 ? { topP: 0.9 } : {}),
    // Every trained reply is one line (the SFT outputs hold no line break): a second line is the
    // model running on into an imagined next turn.
    stop: ['\n'],
    ...(evidence ? { evidence: { texts: [...evidence.texts] } } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (chunk.type === 'text-delta') {
      text += chunk.text;
      const clauses = settledLength(text);
      if (evidence && clauses > checked) {
        checked = clauses;
        settled = claimProblems(text.slice(0, clauses), evidence);
        if (settled.length) break; // leaving the loop ends the model's stream
      }
    } else {
      usage = chunk.usage;
      cutOff = chunk.finishReason !== 'stop';
    }
  }
  return { text: text.trim(), usage, cutOff, settled };
}

/** The length of `text` up to its last clause mark: a claim before it cannot change any more. */
function settledLength(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if ('，。；！？,;!?'.includes(text[i]!)) return i + 1;
  return 0;
}

/**
 * Problems in `text` that more text cannot remove: unsupported claims, stray numbers (an order
 * number cut short), template tokens, garbled text, a promised handoff.
 */
function claimProblems(text: string, evidence: Evidence): string[] {
  const problems = checkGrounding(text, evidence).unsupported.map((c) => `${c.kind} ${c.text}`);
  for (const n of new CopyConstraint(evidence.texts).strayNumbers(text)) problems.push(`stray number ${n}`);
  if (/<\|im_|\|>/.test(text)) problems.push('template tokens');
  if (text.includes('\uFFFD')) problems.push('garbled text');
  // The dialogue engine, not the model, hands a conversation over; a reply may not promise it.
  if (/转(?:接)?人工|人工客服/.test(text)) problems.push('promises a handoff');
  return problems;
}

/** Values that answer the question: every fact value except pure labels and long rule texts. */
function answerValues(facts: readonly Fact[]): string[] {
  return facts.map((f) => f.value.trim()).filter((v) => v.length >= 2 && v.length <= 40);
}

/** Facts every reply over them must say: the order / tracking number, status, amount, first item. */
const CORE_FACTS: Record<string, (value: string) => string> = {
  订单号: (v) => v,
  运单号: (v) => v,
  状态: (v) => v.split('（')[0]!,
  物流状态: (v) => v.split('（')[0]!,
  实付金额: (v) => v,
  商品: (v) => v.split(/[（(×；]|\sitem_id/)[0]!,
};

export function coreValues(facts: readonly Fact[]): string[] {
  const out: string[] = [];
  for (const f of facts) {
    const pick = CORE_FACTS[f.key.trim()];
    const value = pick?.(f.value.trim()).trim();
    if (value && value.length >= 2 && !out.includes(value)) out.push(value);
  }
  return out;
}

/**
 * Why a reply may not be shown as the model's (empty = it may): unsupported claims, stray numbers
 * (an order number cut short), a core fact missing, none of the facts said, template tokens,
 * garbled or repeating text, a reply cut off at maxTokens, or a promised handoff.
 */
export function checkAnswer(
  text: string,
  evidence: Evidence,
  facts: readonly Fact[],
  options: { cutOff?: boolean } = {},
): string[] {
  if (!text) return ['empty reply'];
  const problems = claimProblems(text, evidence);
  const values = answerValues(facts);
  if (values.length && !values.some((v) => text.includes(v))) problems.push('says none of the facts');
  for (const v of coreValues(facts)) if (!text.includes(v)) problems.push(`misses ${v}`);
  if (/(\D{1,6}?)\1{3,}/u.test(text)) problems.push('repeats itself');
  if (options.cutOff) problems.push('cut off');
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
    const out = await complete(
      model,
      messages,
      options,
      temperature,
      options.grounding ? evidence : undefined,
    );
    usage.promptTokens += out.usage.promptTokens;
    usage.completionTokens += out.usage.completionTokens;
    const problems = out.settled.length
      ? out.settled
      : options.grounding
        ? checkAnswer(out.text, evidence, facts, { cutOff: out.cutOff })
        : out.text
          ? []
          : ['empty reply'];
    last = { text: out.text, problems };
    if (problems.length === 0)
      return { text: out.text, grounded: true, problems, usage, attempts: attempt + 1 };
  }
  return { text: last.text, grounded: false, problems: last.problems, usage, attempts };
}
