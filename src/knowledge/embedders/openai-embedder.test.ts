import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeFailure } from '../../core/errors.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

/** A real HTTP server speaking the /v1/embeddings protocol: a vector from character codes. */
let server: Server;
let baseUrl: string;
const seen: { auth?: string; inputs: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const request = JSON.parse(body) as { model: string; input: string[] };
      seen.push({ auth: req.headers.authorization, inputs: request.input.length });
      if (request.model !== 'tiny-embed') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"message":"no such model"}}');
        return;
      }
      const data = request.input.map((text, index) => {
        const v = [0, 0, 0, 0];
        for (const ch of text) v[ch.codePointAt(0)! % 4]! += 1;
        return { object: 'embedding', index, embedding: v.map((x) => x + 1) };
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: request.model }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('OpenAI-compatible embedder', () => {
  it('batches, keeps input order by index, normalises, sends the key', async () => {
    const embedder = await createOpenAiEmbedder({
      baseUrl,
      model: 'tiny-embed',
      apiKey: 'sk-test',
      batchSize: 2,
    });
    expect(embedder.dimensions).toBe(4);
    const texts = ['退货', '运费怎么算', 'abc', '退货'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(Array.from(vectors[0]!)).toEqual(Array.from(vectors[3]!));
    expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!));
    expect(seen.slice(-2).map((s) => s.inputs)).toEqual([2, 2]);
    expect(seen.at(-1)!.auth).toBe('Bearer sk-test');
  });

  it('names the URL and status when the server refuses', async () => {
    const failing = createOpenAiEmbedder({ baseUrl, model: 'missing' });
    await expect(failing).rejects.toBeInstanceOf(RuntimeFailure);
    await expect(failing).rejects.toThrow(/\/v1\/embeddings answered 404/);
  });
});
