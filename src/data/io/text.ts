/**
 * A file as a stream of strictly decoded UTF-8 text chunks, for the record readers. A UTF-8 BOM is
 * dropped silently; a UTF-16 BOM, invalid UTF-8 (typically a GBK/GB18030 export from a Chinese
 * shop system) or a missing file throw `InputError` naming the file and the line of the first bad
 * byte. Splitting the text into records is not done here (see json-array.ts, lines.ts, csv.ts).
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../../core/errors.js';

const NOT_UTF8 = 'not UTF-8 (looks like GBK/GB18030?); convert with iconv -f GBK -t UTF-8';

/** Offset of the first byte that cannot start or continue a UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  // Up to three continuation bytes may finish a character begun in the previous chunk.
  while (i < 3 && i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -1; // the character continues in the next chunk
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function countNewlineBytes(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

/** Decoded text of `file`, chunk by chunk (about `chunkSize` bytes each). */
export async function* readText(file: string, chunkSize = 1 << 20): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file, { highWaterMark: chunkSize });
  let newlines = 0;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (
          chunk.length >= 2 &&
          ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
        ) {
          throw new InputError(
            'UTF-16 text (byte-order mark found); kefu reads UTF-8 only',
            { file, line: 1 },
            {
              hint: 'save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8',
            },
          );
        }
      }
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const at = firstInvalidUtf8(chunk);
        const line = newlines + countNewlineBytes(chunk, Math.max(at, 0)) + 1;
        throw new InputError(NOT_UTF8, { file, line });
      }
      newlines += countNewlines(text);
      if (text) yield text;
    }
    let rest: string;
    try {
      rest = decoder.decode();
    } catch {
      throw new InputError(`${NOT_UTF8} (the file ends inside a character)`, { file, line: newlines + 1 });
    }
    if (rest) yield rest;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('no such file', { file }, { cause: error });
    if (code === 'EISDIR') throw new InputError('is a folder, expected a file', { file }, { cause: error });
    throw new InputError(`cannot read: ${code ?? 'unknown error'}`, { file }, { cause: error });
  } finally {
    stream.destroy();
  }
}
