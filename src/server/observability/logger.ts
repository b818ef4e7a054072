/**
 * Structured JSON logs, one object a line: time, level, msg, requestId and fields. Strings in the
 * fields pass through the data pipeline's personal-data masking (phones, ids, cards, e-mails,
 * addresses, names) before they are written, so a log never holds a customer's personal data.
 * Does not: decide what to log (the request middleware and routes do) or rotate files.
 */
import { maskPii } from '../../data/clean/pii.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/** Masks personal data in every string of `value` (objects and arrays walked, depth-limited). */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value).text;
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = /authorization|token|secret|key/i.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  minLevel: LogLevel = 'info',
): Logger {
  return {
    log(level, msg, fields = {}) {
      if (RANK[level] < RANK[minLevel]) return;
      const entry = {
        time: new Date().toISOString(),
        level,
        msg: redact(msg),
        ...(redact(fields) as object),
      };
      write(`${JSON.stringify(entry)}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
