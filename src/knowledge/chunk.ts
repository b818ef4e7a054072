/**
 * Structure-aware chunking: a document's sections (already cut at headings) are split into
 * paragraphs, paragraphs are packed into chunks of about `size` characters (code points, so a
 * Chinese character counts one), and a paragraph longer than `size` is cut at sentence ends
 * (。！？；.!?\n), then hard-cut. Consecutive chunks of one section share `overlap` characters: the
 * next chunk starts with the tail of the previous one, snapped to a sentence start where one lies
 * inside the tail. Chunks never cross a heading. Does not parse files or compute ids.
 *
 * Example: a 700-character section with size 300 and overlap 50 gives three chunks of <= 300 + 50
 * characters, each after the first starting with the last ~50 characters of the one before.
 */
import type { ChunkDraft, ParsedDocument } from './types.js';

export interface ChunkOptions {
  /** Target chunk length in characters. */
  size: number;
  /** Characters repeated from the end of a chunk at the start of the next in the same section. */
  overlap: number;
}

const length = (text: string) => [...text].length;

/** Split at sentence ends, keeping the end mark with its sentence. */
export function splitSentences(text: string): string[] {
  const parts = text.match(/[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)/gu) ?? [];
  return parts.filter((part) => part.trim().length > 0);
}

/** Cut `text` into pieces of at most `size` characters, at sentence ends where possible. */
function cutLong(text: string, size: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const sentence of splitSentences(text)) {
    if (length(current) + length(sentence) <= size) {
      current += sentence;
      continue;
    }
    if (current.trim()) pieces.push(current.trim());
    current = '';
    const chars = [...sentence];
    while (chars.length > size) pieces.push(chars.splice(0, size).join('').trim());
    current = chars.join('');
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces.filter(Boolean);
}

/** The last `overlap` characters of `text`, starting at a sentence start when one is inside. */
function tail(text: string, overlap: number): string {
  if (overlap <= 0) return '';
  const chars = [...text];
  if (chars.length <= overlap) return '';
  const window = chars.slice(chars.length - overlap).join('');
  const boundary = window.search(/[。！？；!?;\n]/u);
  const snapped = boundary >= 0 && boundary < window.length - 1 ? window.slice(boundary + 1) : window;
  return snapped.trim();
}

/** Pack one section's paragraphs into chunk texts. */
export function chunkText(text: string, options: ChunkOptions): string[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((p) => (length(p) > options.size ? cutLong(p, options.size) : [p]));
  const chunks: string[] = [];
  let current: string[] = [];
  let currentLength = 0;
  for (const paragraph of paragraphs) {
    const add = length(paragraph) + (current.length ? 2 : 0);
    if (current.length && currentLength + add > options.size) {
      chunks.push(current.join('\n\n'));
      const carried = tail(chunks.at(-1)!, options.overlap);
      current = carried ? [carried] : [];
      currentLength = length(carried);
    }
    currentLength += length(paragraph) + (current.length ? 2 : 0);
    current.push(paragraph);
  }
  if (current.length) chunks.push(current.join('\n\n'));
  return chunks;
}

/** Every chunk of a document, in order, each with its section's heading path. */
export function chunkDocument(document: ParsedDocument, options: ChunkOptions): ChunkDraft[] {
  if (!(options.size > 0)) throw new RangeError(`chunk size must be > 0, got ${options.size}`);
  if (options.overlap < 0 || options.overlap >= options.size) {
    throw new RangeError(`chunk overlap must be in [0, size), got ${options.overlap}`);
  }
  return document.sections.flatMap((section) =>
    chunkText(section.text, options).map((text) => ({ headings: section.headings, text })),
  );
}

/** The text that is indexed and embedded for a chunk: title and heading path give it context. */
export function indexedText(title: string, headings: readonly string[], text: string): string {
  return `${[title, ...headings].filter(Boolean).join(' › ')}\n${text}`;
}
