/**
 * The request body limit (413). A request that declares its length is judged by its
 * Content-Length header alone, without touching the body, so @hono/node-server keeps its fast
 * path (reading the body straight from the socket; asking for `c.req.raw.body`, as hono's own
 * bodyLimit does on every request, makes it build a full web Request). A body without a declared
 * length (chunked, or an in-process Request) is counted while it is read, by hono's bodyLimit.
 * Does not: read or parse the body (routes/body.ts does).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';

export function bodyLimit(maxBytes: number, tooLarge: () => Error): MiddlewareHandler {
  const counting = countingBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length.trim()) || Number(length) > maxBytes) throw tooLarge();
      return next();
    }
    return counting(c, next);
  };
}
