/** Converters: round-trips per format, issues without values, turn order, columns/tags, detection. */
import { describe, expect, it } from 'vitest';
import type { Example, RecordFormat, SourceRef } from '../example.js';
import { type ConvertResult, detectFormat, fromRecord, type RawRecord, toRecord } from './index.js';

const ref = (format: RecordFormat): SourceRef => ({ file: 'in.json', line: 7, format });

function ok(result: ConvertResult): Example {
  if ('issues' in result) throw new Error(`unexpected issues: ${JSON.stringify(result.issues)}`);
  return result.example;
}

function issues(result: ConvertResult) {
  if ('example' in result) throw new Error('expected issues');
  return result.issues;
}

function roundTrip(format: RecordFormat, raw: RawRecord): Example {
  const example = ok(fromRecord(raw, ref(format)));
  expect(toRecord(example, format)).toEqual(raw);
  return example;
}

describe('round-trips', () => {
  it('alpaca keeps input and history apart', () => {
    const example = roundTrip('alpaca', {
      instruction: '我的订单到哪了？',
      input: '订单号 20240101',
      output: '已发货。',
      system: '你是客服。',
      history: [['你好', '您好！']],
      task: 'shipping',
      id: 'a1',
    });
    expect(example.kind).toBe('sft');
    expect(example.input).toBe('订单号 20240101');
    expect(example.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(example.task).toBe('shipping');
    expect(example.source).toEqual(ref('alpaca'));
  });

  it('alpaca with empty input', () => {
    roundTrip('alpaca', { instruction: 'hi', input: '', output: 'hello' });
  });

  it('sharegpt with tools and function calls', () => {
    roundTrip('sharegpt', {
      conversations: [
        { from: 'system', value: 's' },
        { from: 'human', value: 'q' },
        { from: 'function_call', value: '{"name": "f", "arguments": {}}' },
        { from: 'observation', value: '{"ok": true}' },
        { from: 'gpt', value: 'a' },
      ],
      tools: '[{"name": "f"}]',
    });
  });

  it('openai', () => {
    roundTrip('openai', {
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
      task: 'order',
    });
  });

  it('openai tool calls become function_call / observation turns and back', () => {
    const raw = {
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
        },
        { role: 'tool', tool_call_id: 'call_0', content: 'r' },
        { role: 'assistant', content: 'a' },
      ],
    };
    const example = roundTrip('openai', raw);
    expect(example.messages[1]).toEqual({
      role: 'function_call',
      content: '{"name":"f","arguments":{"x":1}}',
    });
    expect(example.messages[2]).toEqual({ role: 'observation', content: 'r' });
  });

  it('flat preference', () => {
    const example = roundTrip('preference', { prompt: 'p', chosen: 'good', rejected: 'bad' });
    expect(example).toMatchObject({ kind: 'preference', chosen: 'good', rejected: 'bad' });
    expect(example.messages).toEqual([{ role: 'user', content: 'p' }]);
  });

  it('alpaca_preference', () => {
    roundTrip('alpaca_preference', {
      instruction: 'i',
      input: 'x',
      chosen: 'c',
      rejected: 'r',
      system: 's',
      history: [['q', 'a']],
    });
  });

  it('sharegpt_preference', () => {
    roundTrip('sharegpt_preference', {
      conversations: [
        { from: 'human', value: 'q1' },
        { from: 'gpt', value: 'a1' },
        { from: 'human', value: 'q2' },
      ],
      chosen: { from: 'gpt', value: 'c' },
      rejected: { from: 'gpt', value: 'r' },
    });
  });
});

describe('across formats', () => {
  it('alpaca input joins the last user turn with a newline in sharegpt', () => {
    const example = ok(fromRecord({ instruction: 'i', input: 'x', output: 'o' }, ref('alpaca')));
    expect(toRecord(example, 'sharegpt')).toEqual({
      conversations: [
        { from: 'human', value: 'i\nx' },
        { from: 'gpt', value: 'o' },
      ],
    });
  });

  it('a leading system turn becomes the system prompt', () => {
    const example = ok(
      fromRecord(
        {
          conversations: [
            { from: 'system', value: 's' },
            { from: 'human', value: 'q' },
            { from: 'gpt', value: 'a' },
          ],
        },
        ref('sharegpt'),
      ),
    );
    expect(example.system).toBe('s');
    expect(example.messages).toHaveLength(2);
  });

  it('tool turns cannot be written as alpaca', () => {
    const example = ok(
      fromRecord(
        {
          conversations: [
            { from: 'human', value: 'q' },
            { from: 'function_call', value: '{}' },
            { from: 'observation', value: 'r' },
            { from: 'gpt', value: 'a' },
          ],
        },
        ref('sharegpt'),
      ),
    );
    expect(() => toRecord(example, 'alpaca')).toThrow(/in\.json:7: cannot write this example as alpaca/);
    expect(() => toRecord(example, 'alpaca_preference')).toThrow(/preference/);
  });
});

describe('issues', () => {
  it('missing field and wrong type, without the value', () => {
    const found = issues(fromRecord({ instruction: 12345678, input: '' }, ref('alpaca')));
    expect(found).toEqual([
      { file: 'in.json', line: 7, field: 'instruction', message: 'expected a string, got number' },
      { file: 'in.json', line: 7, field: 'output', message: 'missing: expected a string' },
    ]);
    expect(JSON.stringify(found)).not.toContain('12345678');
  });

  it('history pairs', () => {
    const found = issues(
      fromRecord({ instruction: 'i', output: 'o', history: [['q', 5], 'x'] }, ref('alpaca')),
    );
    expect(found.map((i) => i.field)).toEqual(['history[0][1]', 'history[1]']);
  });

  it('turn values name their path', () => {
    const raw = {
      conversations: [
        { from: 'human', value: 'q' },
        { from: 'gpt', value: 'a' },
        { from: 'human', value: 'q' },
        { from: 'gpt', value: 13800138000 },
      ],
    };
    const found = issues(fromRecord(raw, ref('sharegpt')));
    expect(found).toEqual([
      { file: 'in.json', line: 7, field: 'conversations[3].value', message: 'expected a string, got number' },
    ]);
  });

  it('sharegpt turn order as LLaMA-Factory', () => {
    const raw = {
      conversations: [
        { from: 'human', value: 'q' },
        { from: 'human', value: 'q' },
      ],
    };
    expect(issues(fromRecord(raw, ref('sharegpt')))[0]).toMatchObject({
      field: 'conversations[1].from',
      message: "expected 'gpt' or 'function_call' at turn 2, got 'human'",
    });
    const odd = { conversations: [{ from: 'human', value: 'q' }] };
    expect(issues(fromRecord(odd, ref('sharegpt')))[0]?.message).toMatch(/even number of turns .*, got 1$/);
    const secret = { conversations: [{ from: '张三 13800138000', value: 'q' }] };
    expect(JSON.stringify(issues(fromRecord(secret, ref('sharegpt'))))).not.toContain('13800138000');
  });

  it('task is checked against TASKS', () => {
    const found = issues(fromRecord({ instruction: 'i', output: 'o', task: 'refund-now' }, ref('alpaca')));
    expect(found[0]).toMatchObject({ field: 'task' });
    expect(found[0]?.message).not.toContain('refund-now');
  });

  it('not an object', () => {
    expect(issues(fromRecord([1, 2], ref('openai')))[0]?.message).toBe('expected a JSON object, got array');
  });

  it('openai alternation', () => {
    const raw = {
      messages: [
        { role: 'user', content: 'q' },
        { role: 'user', content: 'q' },
      ],
    };
    expect(issues(fromRecord(raw, ref('openai')))[0]?.message).toMatch(/alternate, broken at turn 2/);
  });
});

describe('columns and tags', () => {
  it('renamed alpaca keys', () => {
    const example = ok(
      fromRecord({ question: 'q', answer: 'a', system_prompt: 's' }, ref('alpaca'), {
        columns: { prompt: 'question', response: 'answer', system: 'system_prompt' },
      }),
    );
    expect(example.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ]);
    expect(example.system).toBe('s');
  });

  it('renamed sharegpt roles', () => {
    const tags = { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' };
    const raw = {
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
    };
    const mapping = { columns: { messages: 'messages' }, tags };
    expect(detectFormat(raw, mapping)).toBe('sharegpt');
    const example = ok(fromRecord(raw, ref('sharegpt'), mapping));
    expect(example.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const bad = issues(
      fromRecord({ messages: [{ role: 'assistant', content: 'a' }] }, ref('sharegpt'), mapping),
    );
    expect(bad[0]).toMatchObject({ field: 'messages[0].role' });
  });
});

describe('detectFormat', () => {
  it.each([
    [{ instruction: 'i', input: '', output: 'o' }, 'alpaca'],
    [{ conversations: [] }, 'sharegpt'],
    [{ conversations: [], chosen: {}, rejected: {} }, 'sharegpt_preference'],
    [{ messages: [{ role: 'user', content: 'q' }] }, 'openai'],
    [{ messages: [{ from: 'human', value: 'q' }] }, 'sharegpt'],
    [{ prompt: 'p', chosen: 'c', rejected: 'r' }, 'preference'],
    [{ instruction: 'i', chosen: 'c', rejected: 'r' }, 'alpaca_preference'],
    [{ text: 'x' }, undefined],
    ['string', undefined],
  ] as const)('%j is %s', (raw, format) => {
    expect(detectFormat(raw)).toBe(format);
  });
});
