/** Tests for byte-level.ts: the GPT-2 byte alphabet and the UTF-8 encoder. */

import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, byteLevelDecode, byteLevelEncode, utf8Bytes } from './byte-level.js';

describe('byte-level alphabet', () => {
  it('maps 256 bytes to 256 distinct characters, GPT-2 style', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(byteLevelEncode(utf8Bytes(' 订单'))).toBe('Ġè®¢åįķ');
  });

  it('round-trips bytes and rejects foreign characters', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(byteLevelDecode(byteLevelEncode(all))).toEqual(all);
    expect(byteLevelDecode('订')).toBeUndefined();
  });

  it('encodes UTF-8 like TextEncoder, lone surrogates included', () => {
    const enc = new TextEncoder();
    for (const s of ['', 'abc', 'é', '订单', '😀', '\ud800', 'a\udc00b', '\ud83d', '\uffff']) {
      expect(utf8Bytes(s)).toEqual(enc.encode(s));
    }
  });
});
