/**
 * The one place where errors become HTTP responses. kefu's typed errors (src/core/errors.ts) keep
 * their stable `code`; this module adds the few the HTTP layer raises itself (auth, limits,
 * deadlines) and maps every code to a status. The body is `{ error: { code, message, hint, field?,
 * type } }`, close to OpenAI's error shape so its client shows the message.
 * Does not: log (the error handler in ./app.ts does) or decide what is an error.
 */
import { KefuError, type KefuErrorOptions } from '../core/errors.js';

/** An HTTP-level refusal with its own status (401, 403, 413, 429, 503, 504 …). */
export class HttpError extends KefuError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: KefuErrorOptions & { headers?: Record<string, string> } = {},
  ) {
    super(code, message, status >= 500 ? 3 : 2, options);
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

export const unauthorized = (message = 'missing or invalid credentials') =>
  new HttpError(401, 'E_UNAUTHORIZED', message, {
    hint: 'send Authorization: Bearer <customer token | agent token | admin key>',
    headers: { 'www-authenticate': 'Bearer' },
  });

export const forbidden = (message = 'these credentials may not use this route') =>
  new HttpError(403, 'E_FORBIDDEN', message, { hint: 'use a token of the right kind for this route' });

export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new HttpError(429, code, message, {
    hint: `retry after ${retryAfterSeconds} s`,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

export const deadlineExceeded = (ms: number) =>
  new HttpError(504, 'E_DEADLINE', `the answer took longer than the ${ms} ms deadline`, {
    hint: 'try again; if it persists raise server.deadlines.requestMs or use a faster model',
  });

/** Status of each stable code that is not an HttpError. */
const STATUS_BY_CODE: Record<string, number> = {
  E_USAGE: 400,
  E_INPUT: 400,
  E_CONFIG: 400,
  E_VALIDATION: 400,
  E_SESSION_CLOSED: 409,
  E_CONFLICT: 409,
  E_NOT_FOUND: 404,
  E_ABORTED: 499,
  E_UNAVAILABLE: 503,
};

export function statusOf(error: KefuError): number {
  if (error instanceof HttpError) return error.status;
  const known = STATUS_BY_CODE[error.code];
  if (known) return known;
  // Bad input (exit 2) is the client's fault whatever its specific code; the rest is ours.
  return error.exitCode === 2 || error.exitCode === 1 ? 400 : 500;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    type: string;
    hint?: string;
    field?: string;
    requestId?: string;
  };
}

export function errorBody(error: KefuError, requestId?: string): ErrorBody {
  const status = statusOf(error);
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  return {
    error: {
      code: error.code,
      message: error.message,
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      ...(error.hint ? { hint: error.hint } : {}),
      ...(field ? { field } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
}
