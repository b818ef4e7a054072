/**
 * Turns a file's bytes into a ParsedDocument (title + sections cut at headings), by extension:
 * Markdown (ATX `#` headings, fenced code kept as text), plain text (one section, paragraphs kept),
 * HTML (scripts and styles dropped, tags stripped, <h1>–<h6> kept as headings, table cells joined
 * with " | ", entities decoded) and PDF (text through unpdf's extractText, one paragraph per line
 * block). A file that cannot be parsed throws InputError naming it. Does not chunk or store.
 */
import { basename, extname } from 'node:path';
import { InputError } from '../core/errors.js';
import type { ParsedDocument, ParsedSection } from './types.js';

export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm', '.pdf'] as const;

export function isSupported(path: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

function fileTitle(path: string): string {
  return basename(path, extname(path));
}

/** Parse Markdown text: the first level-1 heading (else the file name) is the title. */
export function parseMarkdown(text: string, fallbackTitle: string): ParsedDocument {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let title: string | undefined;
  const sections: ParsedSection[] = [];
  // stack[i] = heading at level i+1 (level 1 is the title when it is the first heading)
  const stack: string[] = [];
  let body: string[] = [];
  let fenced = false;
  const flush = () => {
    const joined = body.join('\n').trim();
    if (joined) sections.push({ headings: stack.filter(Boolean), text: joined });
    body = [];
  };
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!match) {
      body.push(line);
      continue;
    }
    flush();
    const level = match[1]!.length;
    const heading = match[2]!.trim();
    if (level === 1 && title === undefined && sections.length === 0 && stack.length === 0) {
      title = heading;
      continue;
    }
    stack.length = Math.max(0, level - 2);
    while (stack.length < level - 2) stack.push('');
    stack.push(heading);
  }
  flush();
  return { title: title ?? fallbackTitle, sections };
}

/** Plain text: one section; the file name is the title. */
export function parseText(text: string, title: string): ParsedDocument {
  const body = text.replace(/\r\n?/g, '\n').trim();
  return { title, sections: body ? [{ headings: [], text: body }] : [] };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  middot: '·',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  yen: '¥',
  copy: '©',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** HTML → Markdown-like text (headings as `#`), then parsed as Markdown; <title> wins as title. */
export function parseHtml(html: string, fallbackTitle: string): ParsedDocument {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const pageTitle = titleMatch ? decodeEntities(titleMatch[1]!.replace(/<[^>]+>/g, '')).trim() : '';
  let text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_w, level: string, inner: string) => {
      const heading = inner
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      return `\n\n${'#'.repeat(Number(level))} ${heading}\n\n`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/t[dh]\s*>\s*(?=<t[dh]\b)/gi, ' | ')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|section|article|tr|li|ul|ol|table|blockquote|pre|header|footer|main)\s*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '');
  text = decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  const parsed = parseMarkdown(text, pageTitle || fallbackTitle);
  if (pageTitle) parsed.title = pageTitle;
  return parsed;
}

/** PDF text through unpdf (pdf.js); pages become paragraphs. */
export async function parsePdf(bytes: Uint8Array, title: string): Promise<ParsedDocument> {
  const { extractText } = await import('unpdf');
  const { text } = await extractText(new Uint8Array(bytes), { mergePages: false });
  const pages = (text as string[]).map((page) => page.trim()).filter(Boolean);
  return parseText(pages.join('\n\n'), title);
}

/** Parse one file by extension; InputError (E_KB_PARSE) naming `source` when it fails. */
export async function parseDocument(source: string, bytes: Uint8Array): Promise<ParsedDocument> {
  const extension = extname(source).toLowerCase();
  const title = fileTitle(source);
  try {
    if (extension === '.pdf') return await parsePdf(bytes, title);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    if (extension === '.md' || extension === '.markdown') return parseMarkdown(text, title);
    if (extension === '.html' || extension === '.htm') return parseHtml(text, title);
    if (extension === '.txt') return parseText(text, title);
  } catch (error) {
    throw new InputError(
      `cannot parse: ${(error as Error).message}`,
      { file: source },
      {
        code: 'E_KB_PARSE',
        cause: error,
        hint: 'fix or remove the file; nothing was ingested',
      },
    );
  }
  throw new InputError(
    `unsupported file type "${extension}"`,
    { file: source },
    {
      code: 'E_KB_FILE_TYPE',
      hint: `supported: ${SUPPORTED_EXTENSIONS.join(' ')}`,
    },
  );
}
