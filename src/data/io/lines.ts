/**
 * Incremental line splitter for JSONL: text chunks in, `{line, text}` out (1-based line numbers,
 * `\r\n` handled, blank lines skipped). A line may be any length; memory holds one line at a time.
 * Parsing the lines is the caller's job.
 */

export interface TextLine {
  line: number;
  text: string;
}

export class LineSplitter {
  private parts: string[] = [];
  private line = 1;

  /** Feed a chunk; returns the lines it completed. */
  push(chunk: string): TextLine[] {
    const out: TextLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.parts.push(chunk.slice(start, nl));
      this.emit(out);
      start = nl + 1;
    }
    if (start < chunk.length) this.parts.push(chunk.slice(start));
    return out;
  }

  /** The last line when the file does not end with a newline. */
  end(): TextLine[] {
    const out: TextLine[] = [];
    if (this.parts.length > 0) this.emit(out);
    return out;
  }

  private emit(out: TextLine[]): void {
    let text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') out.push({ line: this.line, text });
    this.line++;
  }
}
