/**
 * Incremental splitter for a top-level JSON array: text chunks in, the source text of each element
 * out with the 1-based line where it starts, so a file of any size is read with memory for one
 * element at a time. It tracks strings, escapes and nesting depth only; `JSON.parse` of each
 * element (by the caller) does the real validation. Structural problems (not an array, missing
 * `,`, unterminated array or element) throw `InputError` with file and line.
 */
import { InputError } from '../../core/errors.js';

export interface JsonElement {
  line: number;
  text: string;
}

type State = 'start' | 'before' | 'value' | 'after' | 'end';
type Kind = 'container' | 'string' | 'scalar';

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class JsonArraySplitter {
  private state: State = 'start';
  private kind: Kind = 'scalar';
  private afterComma = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: string[] = [];
  private line = 1;
  private elementLine = 1;
  private count = 0;

  constructor(private readonly file: string) {}

  /** Feed a chunk; returns the elements it completed. */
  push(chunk: string): JsonElement[] {
    const out: JsonElement[] = [];
    let segStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.state === 'value') {
        if (this.kind === 'scalar') {
          if (isSpace(c) || c === 0x2c || c === 0x5d) {
            this.parts.push(chunk.slice(segStart, i));
            this.emit(out);
            this.state = 'after';
            // fall through: the delimiter is handled by the 'after' state below
          } else continue;
        } else {
          if (c === 0x0a) this.line++;
          if (this.inString) {
            if (this.escape) this.escape = false;
            else if (c === 0x5c) this.escape = true;
            else if (c === 0x22) {
              this.inString = false;
              if (this.kind === 'string') this.finish(chunk, segStart, i, out);
            }
          } else if (c === 0x22) this.inString = true;
          else if (c === 0x7b || c === 0x5b) this.depth++;
          else if (c === 0x7d || c === 0x5d) {
            if (--this.depth === 0) this.finish(chunk, segStart, i, out);
          }
          continue;
        }
      }
      if (isSpace(c)) {
        if (c === 0x0a) this.line++;
        continue;
      }
      switch (this.state) {
        case 'start':
          if (c !== 0x5b) throw this.notArray(c);
          this.state = 'before';
          break;
        case 'before':
          if (c === 0x5d) {
            if (this.afterComma) throw this.error("expected an element after ',' (trailing comma)");
            this.state = 'end';
            break;
          }
          if (c === 0x2c) throw this.error("expected an element, got ','");
          this.state = 'value';
          this.elementLine = this.line;
          segStart = i;
          this.kind = c === 0x7b || c === 0x5b ? 'container' : c === 0x22 ? 'string' : 'scalar';
          this.depth = this.kind === 'container' ? 1 : 0;
          this.inString = this.kind === 'string';
          this.escape = false;
          break;
        case 'after':
          if (c === 0x2c) {
            this.state = 'before';
            this.afterComma = true;
          } else if (c === 0x5d) this.state = 'end';
          else
            throw this.error(`expected ',' or ']' after the element that starts on line ${this.elementLine}`);
          break;
        case 'end':
          throw this.error("unexpected text after the array's closing ']'");
      }
    }
    if (this.state === 'value') this.parts.push(chunk.slice(segStart));
    return out;
  }

  /** Call after the last chunk; throws when the array or an element is not closed. */
  end(): JsonElement[] {
    if (this.state === 'start')
      throw new InputError('empty file, expected a JSON array of records', { file: this.file });
    if (this.state === 'value' && this.kind === 'scalar') {
      this.parts = [];
      throw this.truncated(`the element that starts on line ${this.elementLine} is cut off`);
    }
    if (this.state === 'value')
      throw this.truncated(`the element that starts on line ${this.elementLine} is not closed`);
    if (this.state !== 'end') throw this.truncated("the array has no closing ']'");
    return [];
  }

  /** Elements seen so far. */
  get elements(): number {
    return this.count;
  }

  private finish(chunk: string, segStart: number, i: number, out: JsonElement[]): void {
    this.parts.push(chunk.slice(segStart, i + 1));
    this.emit(out);
    this.state = 'after';
  }

  private emit(out: JsonElement[]): void {
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.afterComma = false;
    this.count++;
    out.push({ line: this.elementLine, text });
  }

  private error(message: string): InputError {
    return new InputError(`invalid JSON: ${message}`, { file: this.file, line: this.line });
  }

  private truncated(message: string): InputError {
    return new InputError(
      `truncated JSON: ${message}`,
      { file: this.file, line: this.state === 'value' ? this.elementLine : this.line },
      {
        hint: 'the file was probably cut short while copying or exporting; export it again',
      },
    );
  }

  private notArray(c: number): InputError {
    const got = c === 0x7b ? 'an object' : 'something else';
    return new InputError(
      `expected a JSON array of records, got ${got}`,
      { file: this.file, line: this.line },
      {
        hint: c === 0x7b ? 'a file with one JSON record per line should be named .jsonl' : undefined,
      },
    );
  }
}
