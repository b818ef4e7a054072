/**
 * GPT-2's byte-level alphabet: each of the 256 byte values maps to one printable Unicode
 * character, so a token made of arbitrary bytes can be written as a JSON string in
 * tokenizer.json and as a GGUF `tokenizer.ggml.tokens` entry. Printable Latin-1 bytes map to
 * themselves; the other 68 (controls, space, 0x7f–0xa0, 0xad) map to U+0100 onwards.
 *
 *   byteLevelEncode(utf8Bytes(' 订单'))  // 'Ġè®¢åįķ'   (space → 'Ġ', 订 → 'è®¢', 单 → 'åįķ')
 *   byteLevelDecode('Ġè®¢')               // Uint8Array [0x20, 0xe8, 0xae, 0xa2]
 *
 * Also a fast UTF-8 encoder for short strings (lone surrogates become U+FFFD, as TextEncoder
 * does). Does not tokenize or decode UTF-8 (TextDecoder does that).
 */

/** BYTE_TO_CHAR[b] is the character that stands for byte b. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const out = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    out[b] = String.fromCharCode(printable ? b : next++);
  }
  return out;
})();

/** Character code → byte, or -1 for characters outside the alphabet. */
const CHAR_TO_BYTE: Int16Array = (() => {
  const out = new Int16Array(512).fill(-1);
  for (let b = 0; b < 256; b++) out[BYTE_TO_CHAR[b]!.charCodeAt(0)] = b;
  return out;
})();

/** Bytes → byte-level string. */
export function byteLevelEncode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_CHAR[bytes[i]!];
  return s;
}

/** Byte-level string → bytes, or undefined when a character is outside the alphabet. */
export function byteLevelDecode(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const b = code < 512 ? CHAR_TO_BYTE[code]! : -1;
    if (b < 0) return undefined;
    out[i] = b;
  }
  return out;
}

/**
 * UTF-8 bytes of `text[start, end)` written into `out` (which must hold 3 bytes per UTF-16
 * unit); returns the byte count. Same bytes as TextEncoder, faster for short pieces.
 */
export function utf8Into(text: string, out: Uint8Array, start = 0, end = text.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
      } else {
        out[n++] = 0xef; // lone surrogate → U+FFFD
        out[n++] = 0xbf;
        out[n++] = 0xbd;
      }
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/** UTF-8 bytes of a whole string. */
export function utf8Bytes(text: string): Uint8Array {
  const buf = new Uint8Array(text.length * 3);
  return buf.slice(0, utf8Into(text, buf));
}
