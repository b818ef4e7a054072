/**
 * ShareGPT records to and from `Example`: `{conversations: [{from, value}], system?, tools?}` and
 * the ranking form with `chosen`/`rejected` turns. Turn order is checked as LLaMA-Factory does:
 * user/observation at odd positions, assistant/function_call at even ones, an optional leading
 * system turn, an even count for SFT and an odd one for preference. Honours `columns` and `tags`.
 * Writes LLaMA-Factory's default keys and tags, the system prompt as a leading system turn. No I/O.
 */
import type { Example, Message, Role, SourceRef } from '../example.js';
import {
  assignDefined,
  type ConvertResult,
  extrasOf,
  Issues,
  isRecord,
  type Mapping,
  messagesWithInput,
  type RawRecord,
  readExtras,
  readTools,
  resolveColumns,
  resolveTags,
  SHAREGPT_TAGS,
  type Tags,
  typeName,
  unwritable,
} from './common.js';

function roleOf(tag: string, tags: Required<Tags>): Role | undefined {
  if (tag === tags.user_tag) return 'user';
  if (tag === tags.assistant_tag) return 'assistant';
  if (tag === tags.observation_tag) return 'observation';
  if (tag === tags.function_tag) return 'function_call';
  return undefined;
}

/** Names a role tag only when it is one of the configured tags (never echoes record data). */
function describeTag(tag: string, tags: Required<Tags>): string {
  const known = [tags.user_tag, tags.assistant_tag, tags.observation_tag, tags.function_tag, tags.system_tag];
  return known.includes(tag) ? `'${tag}'` : 'an unknown role tag';
}

interface Turn {
  tag: string;
  content: string;
}

/** One `{from, value}` object; issues go under `field`. */
function readTurn(value: unknown, field: string, tags: Required<Tags>, issues: Issues): Turn | undefined {
  if (!isRecord(value)) {
    issues.add(
      field,
      `expected an object with ${tags.role_tag} and ${tags.content_tag}, got ${typeName(value)}`,
    );
    return undefined;
  }
  const tag = issues.string(value, tags.role_tag, `${field}.${tags.role_tag}`);
  const content = issues.string(value, tags.content_tag, `${field}.${tags.content_tag}`);
  return tag === undefined || content === undefined ? undefined : { tag, content };
}

function readConversation(
  obj: RawRecord,
  key: string,
  tags: Required<Tags>,
  ranking: boolean,
  issues: Issues,
): { system?: string; messages: Message[] } {
  const value = obj[key];
  if (!Array.isArray(value)) {
    issues.add(
      key,
      value === undefined
        ? 'missing: expected an array of turns'
        : `expected an array of turns, got ${typeName(value)}`,
    );
    return { messages: [] };
  }
  const turns = value.map((turn: unknown, i) => readTurn(turn, `${key}[${i}]`, tags, issues));
  let start = 0;
  let system: string | undefined;
  if (turns[0] && tags.system_tag && turns[0].tag === tags.system_tag) {
    system = turns[0].content;
    start = 1;
  }
  const odd = [tags.user_tag, tags.observation_tag];
  const even = [tags.assistant_tag, tags.function_tag];
  const messages: Message[] = [];
  for (let i = start; i < turns.length; i++) {
    const turn = turns[i];
    if (!turn) continue;
    const position = i - start;
    const accepted = position % 2 === 0 ? odd : even;
    if (!accepted.includes(turn.tag)) {
      const want = accepted.map((t) => `'${t}'`).join(' or ');
      issues.add(
        `${key}[${i}].${tags.role_tag}`,
        `expected ${want} at turn ${position + 1}, got ${describeTag(turn.tag, tags)}`,
      );
      return { messages: [] };
    }
    messages.push({ role: roleOf(turn.tag, tags)!, content: turn.content });
  }
  const count = turns.length - start;
  if (issues.empty && (ranking ? count % 2 === 0 : count === 0 || count % 2 !== 0)) {
    const want = ranking
      ? 'an odd number of turns ending with a user or observation turn'
      : 'an even number of turns ending with an assistant or function_call turn';
    issues.add(key, `expected ${want}, got ${count}`);
  }
  return assignDefined<{ system?: string; messages: Message[] }>({ messages }, { system });
}

function fromSharegptLike(raw: unknown, ref: SourceRef, mapping: Mapping, ranking: boolean): ConvertResult {
  const issues = new Issues(ref);
  const obj = issues.record(raw);
  if (!obj) return { issues: issues.list };
  const cols = resolveColumns(mapping.columns);
  const tags = resolveTags(mapping.tags);
  const conversation = readConversation(obj, cols.messages, tags, ranking, issues);
  const system = conversation.system ?? issues.optionalString(obj, cols.system);
  const tools = readTools(obj, cols.tools, issues);
  const extras = readExtras(obj, issues);
  const example: Example = { kind: ranking ? 'preference' : 'sft', messages: conversation.messages };
  if (ranking) {
    for (const side of ['chosen', 'rejected'] as const) {
      const key = cols[side];
      const value = obj[key];
      if (value === undefined) {
        issues.add(key, `missing: expected an object with ${tags.role_tag} and ${tags.content_tag}`);
        continue;
      }
      const turn = readTurn(value, key, tags, issues);
      if (!turn) continue;
      if (turn.tag !== tags.assistant_tag) {
        issues.add(
          `${key}.${tags.role_tag}`,
          `expected '${tags.assistant_tag}', got ${describeTag(turn.tag, tags)}`,
        );
      }
      example[side] = turn.content;
    }
  }
  assignDefined(example, { system, tools, ...extras, source: ref });
  return issues.result(example);
}

export function fromSharegpt(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  return fromSharegptLike(raw, ref, mapping, false);
}

export function fromSharegptPreference(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  return fromSharegptLike(raw, ref, mapping, true);
}

const TAG_OF: Record<Role, string> = {
  user: SHAREGPT_TAGS.user_tag,
  assistant: SHAREGPT_TAGS.assistant_tag,
  observation: SHAREGPT_TAGS.observation_tag,
  function_call: SHAREGPT_TAGS.function_tag,
};

function conversationOf(example: Example, format: string): { from: string; value: string }[] {
  const messages = messagesWithInput(example);
  messages.forEach((m, i) => {
    const userSide = m.role === 'user' || m.role === 'observation';
    if (userSide !== (i % 2 === 0))
      throw unwritable(example, format, `turn ${i + 1} (${m.role}) breaks the turn order`);
  });
  if (messages.length === 0 || (messages.length % 2 === 0) !== (example.kind === 'sft')) {
    throw unwritable(example, format, `an ${example.kind} example cannot end on turn ${messages.length}`);
  }
  const turns = messages.map((m) => ({ from: TAG_OF[m.role], value: m.content }));
  // A leading system turn, not a `system` key: LLaMA-Factory reads that key only when columns map it.
  if (example.system !== undefined) turns.unshift({ from: SHAREGPT_TAGS.system_tag, value: example.system });
  return turns;
}

export function toSharegpt(example: Example): RawRecord {
  if (example.kind !== 'sft')
    throw unwritable(example, 'sharegpt', 'it is a preference example; use sharegpt_preference');
  const conversations = conversationOf(example, 'sharegpt');
  return assignDefined<RawRecord>({ conversations }, { tools: example.tools, ...extrasOf(example) });
}

export function toSharegptPreference(example: Example): RawRecord {
  if (example.kind !== 'preference')
    throw unwritable(example, 'sharegpt_preference', 'it is an sft example; use sharegpt');
  const conversations = conversationOf(example, 'sharegpt_preference');
  return assignDefined<RawRecord>(
    {
      conversations,
      chosen: { from: SHAREGPT_TAGS.assistant_tag, value: example.chosen ?? '' },
      rejected: { from: SHAREGPT_TAGS.assistant_tag, value: example.rejected ?? '' },
    },
    { tools: example.tools, ...extrasOf(example) },
  );
}
