import { describe, expect, it } from 'vitest';
import type { Example } from '../data/example.js';
import { IGNORE_INDEX } from '../engine/contracts.js';
import { collate, encodePreference, encodePretrain, encodeSft, inferSeqlen } from './encode.js';
import { ChatMlTemplate } from './template.js';
import { CharTokenizer } from './test-helpers/char-tokenizer.js';

const tok = new CharTokenizer();
const template = new ChatMlTemplate(tok);
const S = 1; // <|im_start|>
const E = 2; // <|im_end|>
const enc = (text: string) => tok.encode(text);
const ign = (ids: number[]) => ids.map(() => IGNORE_INDEX);

describe('encodeSft', () => {
  it('labels every assistant turn and nothing else in a multi-turn chat', () => {
    const example: Example = {
      kind: 'sft',
      system: 'S',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'yo' },
        { role: 'user', content: 'ok' },
        { role: 'assistant', content: 'b' },
      ],
    };
    const source1 = [
      S,
      ...enc('system\nS'),
      E,
      ...enc('\n'),
      S,
      ...enc('user\nhi'),
      E,
      ...enc('\n'),
      S,
      ...enc('assistant\n'),
    ];
    const target1 = [...enc('yo'), E, ...enc('\n')];
    const source2 = [S, ...enc('user\nok'), E, ...enc('\n'), S, ...enc('assistant\n')];
    const target2 = [...enc('b'), E, ...enc('\n')];
    const { inputIds, labels } = encodeSft(template, example, { cutoffLen: 1000 });
    expect(inputIds).toEqual([...source1, ...target1, ...source2, ...target2]);
    expect(labels).toEqual([...ign(source1), ...target1, ...ign(source2), ...target2]);
    expect(tok.decode(inputIds)).toBe(
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyo<|im_end|>\n' +
        '<|im_start|>user\nok<|im_end|>\n<|im_start|>assistant\nb<|im_end|>\n',
    );
  });

  it('joins input to the last user turn with a newline', () => {
    const example: Example = {
      kind: 'sft',
      messages: [
        { role: 'user', content: 'where is my order' },
        { role: 'assistant', content: 'shipped' },
      ],
      input: 'ORD-1',
    };
    const { inputIds } = encodeSft(template, example, { cutoffLen: 1000 });
    expect(tok.decode(inputIds)).toContain('user\nwhere is my order\nORD-1<|im_end|>');
  });

  it('trains function calls and masks observations', () => {
    const example: Example = {
      kind: 'sft',
      messages: [
        { role: 'user', content: 'u' },
        { role: 'function_call', content: 'f' },
        { role: 'observation', content: 'o' },
        { role: 'assistant', content: 'a' },
      ],
    };
    const { inputIds, labels } = encodeSft(template, example, { cutoffLen: 1000 });
    const trained = tok.decode(labels.filter((l) => l !== IGNORE_INDEX));
    expect(trained).toBe('f<|im_end|>\na<|im_end|>\n');
    expect(tok.decode(inputIds)).toContain('<|im_start|>tool\no<|im_end|>\n<|im_start|>assistant\n');
  });

  it('truncates each turn with infer_seqlen and never exceeds cutoff_len', () => {
    expect(inferSeqlen(10, 10, 8)).toEqual([4, 4]);
    expect(inferSeqlen(100, 3, 50)).toEqual([47, 3]);
    expect(inferSeqlen(3, 100, 50)).toEqual([3, 47]);
    const example: Example = {
      kind: 'sft',
      messages: [
        { role: 'user', content: 'x'.repeat(40) },
        { role: 'assistant', content: 'y'.repeat(40) },
      ],
    };
    const { inputIds, labels } = encodeSft(template, example, { cutoffLen: 30 });
    expect(inputIds).toHaveLength(30);
    // source: <s>user\n + 40 x + <e>\n<s>assistant\n = 59 tokens; target: 40 y + <e>\n = 42
    expect(inferSeqlen(59, 42, 30)).toEqual([18, 12]);
    expect(labels.slice(0, 18)).toEqual(new Array(18).fill(IGNORE_INDEX));
    expect(labels.slice(18)).toEqual(enc('y'.repeat(12)));
  });

  it('rejects turns out of order', () => {
    const example: Example = {
      kind: 'sft',
      messages: [
        { role: 'assistant', content: 'a' },
        { role: 'user', content: 'u' },
      ],
    };
    expect(() => encodeSft(template, example, { cutoffLen: 100 })).toThrow(/turn 1 is assistant/);
  });
});

describe('encodePreference and encodePretrain', () => {
  it('shares the prompt and labels only the replies', () => {
    const example: Example = {
      kind: 'preference',
      messages: [{ role: 'user', content: 'q' }],
      chosen: 'good',
      rejected: 'no',
    };
    const { chosen, rejected } = encodePreference(template, example, { cutoffLen: 1000 });
    const prompt = [S, ...enc('user\nq'), E, ...enc('\n'), S, ...enc('assistant\n')];
    expect(chosen.inputIds).toEqual([...prompt, ...enc('good'), E, ...enc('\n')]);
    expect(chosen.labels).toEqual([...ign(prompt), ...enc('good'), E, ...enc('\n')]);
    expect(rejected.labels).toEqual([...ign(prompt), ...enc('no'), E, ...enc('\n')]);
  });

  it('labels every pre-training token and appends the end token', () => {
    const example: Example = {
      kind: 'sft',
      messages: [
        { role: 'user', content: 'ab' },
        { role: 'assistant', content: 'c' },
      ],
    };
    expect(encodePretrain(tok, example, { cutoffLen: 10, endId: 0 })).toEqual({
      inputIds: [...enc('ab\nc'), 0],
      labels: [...enc('ab\nc'), 0],
    });
  });
});

describe('collate', () => {
  it('pads to the longest and shifts labels by one', () => {
    const batch = collate(
      [
        { inputIds: [10, 11, 12, 13], labels: [IGNORE_INDEX, 11, 12, 13] },
        { inputIds: [20, 21], labels: [IGNORE_INDEX, 21] },
      ],
      0,
    );
    expect(batch.seqLen).toBe(3);
    expect([...batch.tokens]).toEqual([10, 11, 12, 20, 21, 0]);
    expect([...batch.targets]).toEqual([11, 12, 13, 21, IGNORE_INDEX, IGNORE_INDEX]);
    expect(batch.kept).toBe(4);
    expect(batch.realTokens).toBe(6);
  });
});
