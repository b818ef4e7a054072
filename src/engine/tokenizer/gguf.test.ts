/** Tests for gguf.ts: tokens, token types, merges, role ids, padding and llama.cpp pre names. */

import { describe, expect, it } from 'vitest';
import { ggufPre, ggufTokenizerMetadata, TOKEN_TYPE } from './gguf.js';
import { GPT2_PATTERN, LLAMA3_PATTERN, QWEN2_PATTERN } from './pretokenize.js';
import { trainBpe } from './train.js';

describe('ggufTokenizerMetadata', () => {
  const tok = trainBpe(
    ['您好，请问订单什么时候发货？', '您好，订单已发货。'].flatMap((t) => Array(20).fill(t)),
    {
      vocabSize: 300,
      specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
    },
  );

  it('lists every id with byte-level strings, types, merges and role ids', () => {
    const meta = ggufTokenizerMetadata(tok);
    expect(meta.model).toBe('gpt2');
    expect(meta.pre).toBe('qwen2');
    expect(meta.preExact).toBe(true);
    expect(meta.tokens).toHaveLength(tok.vocabSize);
    expect(meta.token_type).toHaveLength(tok.vocabSize);
    expect(meta.tokens[32]).toBe('Ġ');
    const eos = tok.tokenId('<|im_end|>')!;
    expect(meta.tokens[eos]).toBe('<|im_end|>');
    expect(meta.token_type[eos]).toBe(TOKEN_TYPE.control);
    expect(meta.token_type[65]).toBe(TOKEN_TYPE.normal);
    expect(meta.merges[0]).toMatch(/^\S+ \S+$/);
    expect(meta.merges).toHaveLength(tok.model.merges.length);
    expect(meta.eos_token_id).toBe(eos);
    expect(meta.padding_token_id).toBe(tok.tokenId('<|endoftext|>'));
    expect(meta.bos_token_id).toBeUndefined();
    expect(meta.add_bos_token).toBe(false);
  });

  it('pads to a larger model vocabulary with unused [PAD] tokens', () => {
    const meta = ggufTokenizerMetadata(tok, { vocabSize: 320 });
    expect(meta.tokens).toHaveLength(320);
    expect(meta.tokens[319]).toBe('[PAD319]');
    expect(meta.token_type[319]).toBe(TOKEN_TYPE.unused);
  });

  it("names llama.cpp's pre-tokenizers", () => {
    expect(ggufPre([QWEN2_PATTERN])).toEqual({ pre: 'qwen2', exact: true });
    expect(ggufPre([LLAMA3_PATTERN])).toEqual({ pre: 'llama-bpe', exact: true });
    expect(ggufPre([GPT2_PATTERN])).toEqual({ pre: 'gpt-2', exact: true });
    expect(ggufPre(['\\d+'])).toEqual({ pre: 'default', exact: false });
  });
});
