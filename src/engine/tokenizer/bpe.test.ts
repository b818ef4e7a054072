/** Tests for bpe.ts: seeded round-trip fuzz, special tokens, partial UTF-8 decoding, id/byte accessors. */

import { describe, expect, it } from 'vitest';
import { randomText, sampleShopTexts, seededRandom } from './testing.js';
import { trainBpe } from './train.js';

const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
const tok = trainBpe(sampleShopTexts(0.01), { vocabSize: 1500, specialTokens: SPECIALS });
const byteId = (b: number) => tok.encodeOrdinary(String.fromCharCode(b))[0]!; // ASCII only

describe('BpeTokenizer', () => {
  it('round-trips random Unicode (emoji, controls, whitespace runs, mixed scripts)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 3000; i++) {
      const s = randomText(random, 60);
      expect(tok.decode(tok.encode(s))).toBe(s);
      expect(tok.decode(tok.encode(s, { allowSpecial: false }))).toBe(s);
    }
    for (const s of [
      '',
      ' ',
      '\u00a0\u3000\t\r\n',
      '\ufeffBOM',
      '👨‍👩‍👧 emoji 😀',
      'Hello 世界 123,456.78',
      '\u0000\u0001',
    ]) {
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('recognises special tokens only when allowed', () => {
    const text = '<|im_start|>user\n您好<|im_end|>\n';
    const ids = tok.encode(text, { allowSpecial: true });
    expect(ids[0]).toBe(tok.tokenId('<|im_start|>'));
    expect(ids).toContain(tok.tokenId('<|im_end|>'));
    // The default is plain text: a customer typing a marker cannot forge a turn.
    expect(tok.encode(text)).toEqual(tok.encode(text, { allowSpecial: false }));
    const plain = tok.encode(text, { allowSpecial: false });
    expect(plain).not.toContain(tok.tokenId('<|im_start|>'));
    expect(tok.decode(plain)).toBe(text);
  });

  it('decodes partial UTF-8 with U+FFFD only where bytes are missing', () => {
    // 订 = e8 ae a2: build it from single-byte tokens.
    const single = [0xe8, 0xae, 0xa2]; // trained ids 0–255 are the bytes themselves
    for (const b of single) expect(tok.tokenBytes(b)).toEqual(Uint8Array.of(b));
    expect(tok.decode(single)).toBe('订');
    expect(tok.decode(single.slice(0, 2))).toBe('\ufffd');
    expect(tok.decode([byteId(97), ...single.slice(0, 2), byteId(98)])).toBe('a\ufffdb');
    expect(tok.decode([...single, single[0]!])).toBe('订\ufffd');
    expect(tok.decode([])).toBe('');
  });

  it('exposes token bytes, ids and sizes', () => {
    const id = tok.tokenId('您好');
    expect(id).toBeDefined();
    expect(new TextDecoder().decode(tok.tokenBytes(id!))).toBe('您好');
    expect(tok.tokenString(id!)).toBe('æĤ¨å¥½');
    expect(tok.vocabSize).toBe(1500);
    expect(() => tok.tokenBytes(1500)).toThrow(RangeError);
    expect(() => tok.decode([-1])).toThrow(RangeError);
    expect(tok.tokenId('no such token 不存在')).toBeUndefined();
  });

  it('applies merges by rank: common phrases shrink', () => {
    const text = '您好，请问订单什么时候发货？';
    expect(tok.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });
});
