/**
 * Incremental RFC 4180 CSV parser: text chunks in, rows of cells out with the 1-based line where
 * each row starts. Handles quoted fields with `""` escapes, commas and newlines inside quotes,
 * CRLF or LF row ends, and skips blank rows. A quote left open at the end of the file, or text
 * after a closing quote, throws `InputError` with the line. Header handling is the caller's.
 */
import { InputError } from '../../core/errors.js';

export interface CsvRow {
  line: number;
  cells: string[];
}

export class CsvParser {
  private cells: string[] = [];
  private field = '';
  private quoted = false; // inside a quoted field
  private closed = false; // just after a closing quote (or the first half of "")
  private fieldStarted = false; // the current row has content
  private skipLf = false;
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;

  constructor(private readonly file: string) {}

  push(chunk: string): CsvRow[] {
    const out: CsvRow[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.skipLf) {
        this.skipLf = false;
        if (ch === '\n') continue; // the LF of a CRLF row end
      }
      if (this.quoted) {
        if (ch === '"') {
          this.quoted = false;
          this.closed = true;
        } else {
          if (ch === '\n') this.line++;
          this.field += ch;
        }
        continue;
      }
      if (this.closed) {
        this.closed = false;
        if (ch === '"') {
          this.field += '"';
          this.quoted = true;
          continue;
        }
        if (ch !== ',' && ch !== '\n' && ch !== '\r') {
          throw new InputError(
            "invalid CSV: expected ',' or a line end after a closing quote",
            { file: this.file, line: this.line },
            {
              hint: 'quotes inside a quoted cell are written twice: "say ""hi"""',
            },
          );
        }
      }
      if (ch === ',') {
        this.endField();
      } else if (ch === '\n' || ch === '\r') {
        this.endRow(out);
        this.line++;
        this.skipLf = ch === '\r';
        this.rowLine = this.line;
      } else if (ch === '"' && this.field === '' && !this.closed) {
        this.quoted = true;
        this.fieldStarted = true;
        this.quoteLine = this.line;
      } else {
        this.field += ch;
        this.fieldStarted = true;
      }
    }
    return out;
  }

  end(): CsvRow[] {
    if (this.quoted) {
      throw new InputError(
        'truncated CSV: a quoted cell is never closed',
        { file: this.file, line: this.quoteLine },
        {
          hint: 'check for a stray " in this cell',
        },
      );
    }
    const out: CsvRow[] = [];
    this.closed = false;
    this.endRow(out);
    return out;
  }

  private endField(): void {
    this.cells.push(this.field);
    this.field = '';
    this.fieldStarted = true;
  }

  private endRow(out: CsvRow[]): void {
    if (this.fieldStarted || this.cells.length > 0) {
      this.cells.push(this.field);
      out.push({ line: this.rowLine, cells: this.cells });
    }
    this.cells = [];
    this.field = '';
    this.fieldStarted = false;
  }
}
