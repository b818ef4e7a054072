/**
 * A small RFC 4180 CSV reader and writer: comma-separated, double-quoted fields that may hold
 * commas, quotes ("" inside quotes) and line breaks; a UTF-8 BOM is skipped; CRLF or LF. Rows
 * come back as header → cell maps with the 1-based line each row starts on, so errors can point
 * at it. Does not: infer types (every cell is a string).
 */
import { InputError } from '../../core/errors.js';

export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

/** Parses `text` (named `file` in errors); the first row is the header. */
export function parseCsv(file: string, text: string): { header: string[]; rows: CsvRow[] } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted)
    throw new InputError(
      'a quoted field is not closed',
      { file, line: recordLine },
      { code: 'E_SHOP_FORMAT' },
    );
  if (field !== '' || fields.length > 0) endRecord();
  const [head, ...body] = records;
  if (!head)
    throw new InputError('the file is empty (expected a header row)', { file }, { code: 'E_SHOP_FORMAT' });
  const header = head.fields.map((h) => h.trim());
  const rows = body.map(({ line: at, fields: values }) => {
    if (values.length !== header.length) {
      throw new InputError(
        `expected ${header.length} fields, found ${values.length}`,
        { file, line: at },
        { code: 'E_SHOP_FORMAT', hint: 'quote fields that contain commas, quotes or line breaks' },
      );
    }
    return { line: at, cells: Object.fromEntries(header.map((h, k) => [h, values[k]!])) };
  });
  return { header, rows };
}

const quote = (value: string) =>
  /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;

/** CSV text for `rows` under `header` (LF line ends, trailing newline). */
export function stringifyCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[header, ...rows].map((row) => row.map(quote).join(',')).join('\n')}\n`;
}
