/**
 * Text generation over `generate`: streams decoded text deltas and stops at stop *sequences*
 * (strings such as "\n顾客：" or "<|im_end|>") as well as stop tokens. Decoding is incremental and
 * UTF-8 safe: a delta is only emitted once its bytes form whole characters, and text that could
 * still grow into a stop sequence is held back until it cannot. `acceptText` is a text-level
 * token constraint: it sees the decoded text before and with the candidate token (or `ends` for a
 * stop token) and is turned into generate's `accept` hook. Does not apply chat templates.
 *
 * Example:
 *   for await (const delta of generateText(model, tok, ids, { maxTokens: 128, stop: ['\n\n'] })) …
 */
import type { TextTokenizer } from '../contracts.js';
import { type Decoder, type FinishReason, type GenerateOptions, generate } from './generate.js';

export interface GenerateTextOptions extends GenerateOptions {
  /** Strings that end generation; the text up to (not including) the first match is returned. */
  stop?: readonly string[];
  /**
   * Whether a candidate token may come next, judged on text: `previous` is the decoded text so far,
   * `text` the text with the candidate (equal to `previous` when `ends`: the candidate is a stop
   * token). Partial UTF-8 decodes to U+FFFD at the end. Combined with `accept` when both are given.
   */
  acceptText?: (candidate: { previous: string; text: string; ends: boolean }) => boolean;
}

/** generate's `accept` hook for a text-level constraint, decoding each candidate after the ids so far. */
function textAcceptor(
  tokenizer: Pick<TextTokenizer, 'decode'>,
  stopIds: ReadonlySet<number>,
  acceptText: NonNullable<GenerateTextOptions['acceptText']>,
  acceptId: GenerateOptions['accept'],
): NonNullable<GenerateOptions['accept']> {
  let cachedLength = -1;
  let previous = '';
  return (id, generated) => {
    if (acceptId && !acceptId(id, generated)) return false;
    if (generated.length !== cachedLength) {
      previous = tokenizer.decode(generated);
      cachedLength = generated.length;
    }
    if (stopIds.has(id)) return acceptText({ previous, text: previous, ends: true });
    return acceptText({ previous, text: tokenizer.decode([...generated, id]), ends: false });
  };
}

export interface TextResult {
  text: string;
  tokens: number;
  finishReason: FinishReason;
}

/** Length of the longest suffix of `text` that is a proper prefix of some stop sequence. */
function pendingPrefix(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}

export async function* generateText(
  model: Decoder,
  tokenizer: Pick<TextTokenizer, 'decode'>,
  promptIds: readonly number[],
  options: GenerateTextOptions,
): AsyncGenerator<string, TextResult> {
  const stops = (options.stop ?? []).filter((s) => s.length > 0);
  const ids: number[] = [];
  let emitted = 0; // characters of the decoded text already yielded
  let text = '';
  const stopIds = new Set(
    options.stopTokenIds ?? (model.config.eos_token_id === undefined ? [] : [model.config.eos_token_id]),
  );
  const tokens = generate(
    model,
    promptIds,
    options.acceptText
      ? { ...options, accept: textAcceptor(tokenizer, stopIds, options.acceptText, options.accept) }
      : options,
  );
  let finishReason: FinishReason;
  for (;;) {
    const next = await tokens.next();
    if (next.done) {
      finishReason = next.value;
      break;
    }
    ids.push(next.value);
    text = tokenizer.decode(ids);
    // An incomplete UTF-8 sequence decodes to U+FFFD at the end: wait for the next token.
    const stable = text.endsWith('\uFFFD') ? text.slice(0, -1) : text;
    const hit = stops
      .map((s) => stable.indexOf(s, Math.max(0, emitted - s.length)))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)[0];
    if (hit !== undefined) {
      await tokens.return('stop');
      if (hit > emitted) yield stable.slice(emitted, hit);
      return { text: stable.slice(0, hit), tokens: ids.length, finishReason: 'stop' };
    }
    const safe = stable.length - pendingPrefix(stable, stops);
    if (safe > emitted) {
      yield stable.slice(emitted, safe);
      emitted = safe;
    }
  }
  if (text.length > emitted) yield text.slice(emitted);
  return { text, tokens: ids.length, finishReason };
}
