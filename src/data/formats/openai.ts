/**
 * OpenAI chat records to and from `Example`: `{messages: [{role: system|user|assistant|tool,
 * content}], tools?}`. An assistant message with `tool_calls` becomes a `function_call` turn whose
 * content is `{"name", "arguments"}` (an array for parallel calls), as LLaMA-Factory's sharegpt
 * tool data stores it; consecutive `tool` messages merge into one observation as LLaMA-Factory
 * does. Text-part arrays are joined. The same turn-order rules as sharegpt apply. No I/O.
 */
import type { Example, Message, SourceRef } from '../example.js';
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
  typeName,
  unwritable,
} from './common.js';

const TOOL_JOIN = '\n</tool_response>\n<tool_response>\n';

/** `content` as text: a string, or an array of `{type: 'text', text}` parts. */
function readContent(
  message: RawRecord,
  field: string,
  issues: Issues,
  allowNull: boolean,
): string | undefined {
  const content = message.content;
  if (typeof content === 'string') return content;
  if ((content === null || content === undefined) && allowNull) return '';
  if (Array.isArray(content)) {
    const texts: string[] = [];
    content.forEach((part: unknown, i) => {
      if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      else
        issues.add(`${field}.content[${i}]`, `expected a {type: "text", text} part, got ${typeName(part)}`);
    });
    return texts.join('');
  }
  issues.add(
    `${field}.content`,
    content === undefined ? 'missing: expected a string' : `expected a string, got ${typeName(content)}`,
  );
  return undefined;
}

/** `tool_calls` as the function_call content LLaMA-Factory's tool data uses. */
function readToolCalls(calls: unknown[], field: string, issues: Issues): string {
  const functions = calls.map((call: unknown, i) => {
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(fn) || typeof fn.name !== 'string') {
      issues.add(`${field}.tool_calls[${i}].function`, `expected {name, arguments}, got ${typeName(fn)}`);
      return undefined;
    }
    let args: unknown = fn.arguments ?? {};
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        // keep the string as it is: not every model emits valid JSON arguments
      }
    }
    return { name: fn.name, arguments: args };
  });
  return JSON.stringify(functions.length === 1 ? functions[0] : functions);
}

export function fromOpenai(raw: unknown, ref: SourceRef, mapping: Mapping = {}): ConvertResult {
  const issues = new Issues(ref);
  const obj = issues.record(raw);
  if (!obj) return { issues: issues.list };
  const cols = resolveColumns(mapping.columns, { messages: 'messages' });
  const key = cols.messages;
  const list = obj[key];
  const messages: Message[] = [];
  let system: string | undefined;
  let pendingTools: string[] = [];
  const flushTools = () => {
    if (pendingTools.length > 0)
      messages.push({ role: 'observation', content: pendingTools.join(TOOL_JOIN) });
    pendingTools = [];
  };
  if (!Array.isArray(list)) {
    issues.add(
      key,
      list === undefined
        ? 'missing: expected an array of messages'
        : `expected an array of messages, got ${typeName(list)}`,
    );
  } else {
    for (const [i, message] of (list as unknown[]).entries()) {
      const field = `${key}[${i}]`;
      if (!isRecord(message)) {
        issues.add(field, `expected an object with role and content, got ${typeName(message)}`);
        continue;
      }
      const role = message.role;
      const calls = message.tool_calls;
      if (role === 'assistant' && Array.isArray(calls) && calls.length > 0) {
        flushTools();
        messages.push({ role: 'function_call', content: readToolCalls(calls, field, issues) });
        continue;
      }
      const content = readContent(message, field, issues, false);
      if (content === undefined) continue;
      if (role === 'tool') {
        pendingTools.push(content);
        continue;
      }
      flushTools();
      if (role === 'system' && i === 0) system = content;
      else if (role === 'user' || role === 'assistant') messages.push({ role, content });
      else {
        const got = typeof role === 'string' ? 'another role' : typeName(role);
        issues.add(
          `${field}.role`,
          role === 'system'
            ? 'expected the system message first'
            : `expected system, user, assistant or tool, got ${got}`,
        );
      }
    }
    flushTools();
  }
  if (issues.empty) {
    const bad = messages.findIndex(
      (m, i) => (m.role === 'user' || m.role === 'observation') !== (i % 2 === 0),
    );
    if (bad >= 0)
      issues.add(key, `expected user/tool and assistant messages to alternate, broken at turn ${bad + 1}`);
    else if (messages.length === 0 || messages.length % 2 !== 0) {
      issues.add(
        key,
        `expected the conversation to end with an assistant message, got ${messages.length} turns`,
      );
    }
  }
  const tools = readTools(obj, cols.tools, issues);
  const extras = readExtras(obj, issues);
  return issues.result(
    assignDefined<Example>({ kind: 'sft', messages }, { system, tools, ...extras, source: ref }),
  );
}

/** A function_call turn back as OpenAI `tool_calls` (ids are regenerated). */
function toolCallsOf(content: string, counter: { next: number }): unknown[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  if (!calls.every((c) => isRecord(c) && typeof c.name === 'string')) return undefined;
  return calls.map((c: RawRecord) => ({
    id: `call_${counter.next++}`,
    type: 'function',
    function: {
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
    },
  }));
}

export function toOpenai(example: Example): RawRecord {
  if (example.kind !== 'sft') throw unwritable(example, 'openai', 'it is a preference example');
  const out: RawRecord[] = [];
  if (example.system !== undefined) out.push({ role: 'system', content: example.system });
  const counter = { next: 0 };
  let lastIds: string[] = [];
  for (const m of messagesWithInput(example)) {
    if (m.role === 'function_call') {
      const calls = toolCallsOf(m.content, counter);
      if (!calls)
        throw unwritable(example, 'openai', 'a function_call turn is not {"name", "arguments"} JSON');
      lastIds = calls.map((c) => (c as { id: string }).id);
      out.push({ role: 'assistant', content: null, tool_calls: calls });
    } else if (m.role === 'observation') {
      const parts = m.content.split(TOOL_JOIN);
      for (const [i, part] of parts.entries()) {
        out.push(assignDefined<RawRecord>({ role: 'tool', content: part }, { tool_call_id: lastIds[i] }));
      }
    } else {
      out.push({ role: m.role, content: m.content });
    }
  }
  let tools: unknown = example.tools;
  if (tools !== undefined) {
    try {
      tools = JSON.parse(example.tools as string);
    } catch {
      // not JSON: written as the string it is
    }
  }
  return assignDefined<RawRecord>({ messages: out }, { tools, ...extrasOf(example) });
}
