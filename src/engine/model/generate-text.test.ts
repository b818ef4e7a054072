import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../contracts.js';
import type { Decoder } from './generate.js';
import { generateText } from './generate-text.js';
import type { KVCache } from './inference.js';

/** A real Decoder whose next token is fixed by a script (logits one-hot on the scripted id). */
function scripted(script: number[], vocab = 300): Decoder {
  const config = { vocab_size: vocab, max_position_embeddings: 512 } as ModelConfig;
  let i = 0;
  const logits = () => {
    const out = new Float32Array(vocab);
    out[script[Math.min(i++, script.length - 1)]!] = 10;
    return out;
  };
  return {
    config,
    prefill: (_t: Int32Array, _c: KVCache) => logits(),
    step: () => logits(),
  };
}

/** Byte-level "tokenizer": ids are UTF-8 bytes. */
const bytes = { decode: (ids: readonly number[]) => new TextDecoder().decode(new Uint8Array(ids)) };
const utf8 = (s: string) => [...new TextEncoder().encode(s)];

async function collect(gen: AsyncGenerator<string, { text: string; finishReason: string }>) {
  const deltas: string[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { deltas, result: next.value };
    deltas.push(next.value);
  }
}

describe('generateText', () => {
  it('streams whole characters only, never half a UTF-8 sequence', async () => {
    const model = scripted(utf8('您好，订单'));
    const { deltas, result } = await collect(generateText(model, bytes, [1], { maxTokens: 15 }));
    expect(deltas.join('')).toBe('您好，订单');
    expect(deltas.every((d) => !d.includes('\uFFFD'))).toBe(true);
    expect(result).toMatchObject({ text: '您好，订单', finishReason: 'length' });
  });

  it('stops at a stop sequence spread over several tokens and never yields part of it', async () => {
    const model = scripted(utf8('已发货。<|im_end|>多余的话'));
    const { deltas, result } = await collect(
      generateText(model, bytes, [1], { maxTokens: 60, stop: ['<|im_end|>'] }),
    );
    expect(deltas.join('')).toBe('已发货。');
    expect(deltas.join('')).not.toContain('<|');
    expect(result).toMatchObject({ text: '已发货。', finishReason: 'stop' });
  });

  it('releases held-back text that turned out not to be a stop sequence', async () => {
    const model = scripted(utf8('a<b<|x'));
    const { deltas } = await collect(generateText(model, bytes, [1], { maxTokens: 6, stop: ['<|im_end|>'] }));
    expect(deltas.join('')).toBe('a<b<|x');
  });
});

describe('generateText with acceptText', () => {
  it('keeps a number inside the allowed value and may forbid ending early', async () => {
    // The script wants "DD19"; tokens are bytes, so rejected digits fall back to the next logits.
    const vocab = 300;
    const config = { vocab_size: vocab, max_position_embeddings: 512 } as ModelConfig;
    const wanted = utf8('DD19');
    let i = 0;
    const logits = () => {
      const out = new Float32Array(vocab);
      for (let b = 48; b < 58; b++) out[b] = 1 + b / 100; // digits, '9' ranked highest
      out[wanted[Math.min(i, wanted.length - 1)]!] = 10;
      out[0] = i++ >= wanted.length ? 20 : 0; // then the stop token
      return out;
    };
    const model: Decoder = { config, prefill: () => logits(), step: () => logits() };
    const allowed = 'DD1234';
    const { result } = await collect(
      generateText(model, bytes, [1], {
        maxTokens: 12,
        stopTokenIds: [0],
        maxAcceptTries: 300,
        acceptText: ({ text, ends }) => (ends ? text === allowed : allowed.startsWith(text)),
      }),
    );
    expect(result.text).toBe(allowed);
  });
});
