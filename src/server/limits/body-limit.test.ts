import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit } from './body-limit.js';

class TooLarge extends Error {}

function app() {
  const hono = new Hono();
  hono.use(
    '*',
    bodyLimit(10, () => new TooLarge('too large')),
  );
  hono.onError((error, c) => c.text(error.message, error instanceof TooLarge ? 413 : 500));
  hono.post('/', async (c) => c.text(`got ${(await c.req.text()).length}`));
  return hono;
}

describe('bodyLimit', () => {
  it('judges a declared length by its header, before reading the body', async () => {
    const ok = await app().request('/', {
      method: 'POST',
      body: '12345',
      headers: { 'content-length': '5' },
    });
    expect(await ok.text()).toBe('got 5');
    const big = await app().request('/', { method: 'POST', body: '1', headers: { 'content-length': '11' } });
    expect(big.status).toBe(413);
    const bogus = await app().request('/', { method: 'POST', body: '1', headers: { 'content-length': 'x' } });
    expect(bogus.status).toBe(413);
  });

  it('counts a body without a declared length while reading it', async () => {
    expect(await (await app().request('/', { method: 'POST', body: '1234567890' })).text()).toBe('got 10');
    expect((await app().request('/', { method: 'POST', body: '12345678901' })).status).toBe(413);
  });
});
