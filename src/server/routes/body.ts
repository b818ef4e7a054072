/**
 * Reading a JSON request body: an empty body is `{}`, anything that is not JSON is a 400 naming
 * the body. Does not: validate the shape (schemas.ts does).
 */
import type { Context } from 'hono';
import { InputError } from '../../core/errors.js';

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`body: not valid JSON (${(error as Error).message})`, undefined, {
      code: 'E_VALIDATION',
      details: { field: 'body' },
      hint: 'send a JSON object with Content-Type: application/json',
    });
  }
}
