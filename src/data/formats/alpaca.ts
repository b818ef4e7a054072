/**
 * Alpaca-style records to and from `Example`: alpaca SFT `{instruction, input, output, system?,
 * history?}`, alpaca ranking `{instruction, input?, chosen, rejected, system?, history?}` and the
 * seed's flat preference `{prompt, chosen, rejected}`. `input` stays apart so alpaca round-trips;
 * `task` and `id` extras are carried. Honours LLaMA-Factory `columns`. No I/O.
 */
import type { Example, Message, SourceRef } from '../example.js';
import {
  assignDefined,
  type ConvertResult,
  extrasOf,
  Issues,
  joinInput,
  type Mapping,
  type RawRecord,
  readExtras,
  readTools,
  resolveColumns,
  typeName,
  unwritable,
} from './common.js';

/** Alpaca `history`: `[[question, answer], ...]` as user/assistant messages. */
function readHistory(obj: RawRecord, key: string, issues: Issues): Message[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.add(key, `expected an array of [question, answer] pairs, got ${typeName(value)}`);
    return [];
  }
  const messages: Message[] = [];
  value.forEach((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      const got = Array.isArray(pair) ? `an array of ${pair.length}` : typeName(pair);
      issues.add(`${key}[${i}]`, `expected a [question, answer] pair of strings, got ${got}`);
      return;
    }
    const [question, answer] = pair as unknown[];
    if (typeof question !== 'string')
      issues.add(`${key}[${i}][0]`, `expected a string, got ${typeName(question)}`);
    if (typeof answer !== 'string')
      issues.add(`${key}[${i}][1]`, `expected a string, got ${typeName(answer)}`);
    if (typeof question === 'string' && typeof answer === 'string') {
      messages.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
    }
  });
  return messages;
}

type Variant = 'alpaca' | 'alpaca_preference' | 'preference';

function fromAlpacaLike(raw: unknown, ref: SourceRef, mapping: Mapping, variant: Variant): ConvertResult {
  const issues = new Issues(ref);
  const obj = issues.record(raw);
  if (!obj) return { issues: issues.list };
  const cols = resolveColumns(mapping.columns, variant === 'preference' ? { prompt: 'prompt' } : {});
  const history = readHistory(obj, cols.history, issues);
  const instruction = issues.string(obj, cols.prompt);
  const input = issues.optionalString(obj, cols.query);
  const system = issues.optionalString(obj, cols.system);
  const tools = readTools(obj, cols.tools, issues);
  const extras = readExtras(obj, issues);
  const messages: Message[] = [...history, { role: 'user', content: instruction ?? '' }];
  let example: Example;
  if (variant === 'alpaca') {
    const output = issues.string(obj, cols.response);
    messages.push({ role: 'assistant', content: output ?? '' });
    example = { kind: 'sft', messages };
  } else {
    const chosen = issues.string(obj, cols.chosen);
    const rejected = issues.string(obj, cols.rejected);
    example = { kind: 'preference', messages, chosen: chosen ?? '', rejected: rejected ?? '' };
  }
  assignDefined(example, { system, tools, input, ...extras, source: ref });
  return issues.result(example);
}

export function fromAlpaca(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  return fromAlpacaLike(raw, ref, mapping, 'alpaca');
}

export function fromAlpacaPreference(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  return fromAlpacaLike(raw, ref, mapping, 'alpaca_preference');
}

/** The seed's `{prompt, chosen, rejected}` (alpaca ranking with the prompt under `prompt`). */
export function fromPreference(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  return fromAlpacaLike(raw, ref, mapping, 'preference');
}

/** Split messages into alpaca history pairs and the final user turn (+ assistant for SFT). */
function splitTurns(
  example: Example,
  format: Variant,
): { history: [string, string][]; last: string; output?: string } {
  const sft = example.kind === 'sft';
  const messages = example.messages;
  const expected = sft ? 'ending with an assistant turn' : 'ending with a user turn';
  const tail = sft ? 2 : 1;
  if (messages.length < tail || (messages.length - tail) % 2 !== 0) {
    throw unwritable(example, format, `expected alternating user/assistant turns ${expected}`);
  }
  const history: [string, string][] = [];
  for (let i = 0; i + tail < messages.length; i += 2) {
    const q = messages[i]!;
    const a = messages[i + 1]!;
    if (q.role !== 'user' || a.role !== 'assistant') {
      throw unwritable(
        example,
        format,
        `only user/assistant turns fit, found ${q.role}/${a.role} at turn ${i + 1}`,
      );
    }
    history.push([q.content, a.content]);
  }
  const last = messages[messages.length - tail]!;
  if (last.role !== 'user') throw unwritable(example, format, `expected a user turn, found ${last.role}`);
  if (!sft) return { history, last: last.content };
  const answer = messages[messages.length - 1]!;
  if (answer.role !== 'assistant')
    throw unwritable(example, format, `expected a final assistant turn, found ${answer.role}`);
  return { history, last: last.content, output: answer.content };
}

function requireKind(example: Example, kind: Example['kind'], format: string): void {
  if (example.kind !== kind)
    throw unwritable(example, format, `it is a ${example.kind} example, ${format} holds ${kind}`);
}

function optionalParts(example: Example, history: [string, string][]): RawRecord {
  return assignDefined<RawRecord>(
    {},
    { system: example.system, tools: example.tools, history: history.length > 0 ? history : undefined },
  );
}

export function toAlpaca(example: Example): RawRecord {
  requireKind(example, 'sft', 'alpaca');
  const { history, last, output } = splitTurns(example, 'alpaca');
  return {
    instruction: last,
    input: example.input ?? '',
    output,
    ...optionalParts(example, history),
    ...extrasOf(example),
  };
}

export function toAlpacaPreference(example: Example): RawRecord {
  requireKind(example, 'preference', 'alpaca_preference');
  const { history, last } = splitTurns(example, 'alpaca_preference');
  return {
    instruction: last,
    input: example.input ?? '',
    chosen: example.chosen ?? '',
    rejected: example.rejected ?? '',
    ...optionalParts(example, history),
    ...extrasOf(example),
  };
}

/** `{prompt, chosen, rejected}`; `input` is joined to the prompt with a newline. */
export function toPreference(example: Example): RawRecord {
  requireKind(example, 'preference', 'preference');
  const { history, last } = splitTurns(example, 'preference');
  return {
    prompt: joinInput(last, example.input),
    chosen: example.chosen ?? '',
    rejected: example.rejected ?? '',
    ...optionalParts(example, history),
    ...extrasOf(example),
  };
}
