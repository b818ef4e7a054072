import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeFailure } from '../../core/errors.js';
import type { ChatChunk } from '../contracts.js';
import { OpenAiChatModel } from './openai-chat-model.js';

/** A small real server speaking the OpenAI chat-completions SSE protocol. */
let server: Server;
let baseUrl: string;
const received: Record<string, unknown>[] = [];

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      res.writeHead(404).end('{"error":"not found"}');
      return;
    }
    if (req.headers.authorization !== 'Bearer sk-test') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
      return;
    }
    const request = JSON.parse(await body(req)) as Record<string, unknown>;
    received.push(request);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    // Deltas split mid-event across writes, as real servers' chunking does.
    for (const piece of ['您好，', '订单', 'DD20240315521468', '已签收。']) {
      send({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece } }] });
    }
    send({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    res.write('data: {"id":"c1","choices":[],"usage":{"prompt_tokens":42,');
    res.write('"completion_tokens":9}}\n\n');
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('OpenAiChatModel', () => {
  it('streams text deltas over SSE and reports the server usage', async () => {
    const model = new OpenAiChatModel({ baseUrl, model: 'kefu-test', apiKey: 'sk-test' });
    const chunks: ChatChunk[] = [];
    for await (const chunk of model.stream({
      messages: [{ role: 'user', content: '订单到哪了' }],
      maxTokens: 32,
      temperature: 0,
    }))
      chunks.push(chunk);
    const text = chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');
    expect(text).toBe('您好，订单DD20240315521468已签收。');
    expect(chunks.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 42, completionTokens: 9 },
    });
    expect(received.at(-1)).toMatchObject({
      model: 'kefu-test',
      stream: true,
      max_tokens: 32,
      temperature: 0,
    });
  });

  it('turns an HTTP error into a RuntimeFailure with the status', async () => {
    const model = new OpenAiChatModel({ baseUrl, model: 'kefu-test', apiKey: 'wrong' });
    const run = async () => {
      for await (const _ of model.stream({ messages: [{ role: 'user', content: 'hi' }] }));
    };
    await expect(run()).rejects.toBeInstanceOf(RuntimeFailure);
    await expect(run()).rejects.toThrow(/401/);
  });

  it('fails clearly when nothing listens', async () => {
    const model = new OpenAiChatModel({ baseUrl: 'http://127.0.0.1:9/v1', model: 'x' });
    const run = async () => {
      for await (const _ of model.stream({ messages: [{ role: 'user', content: 'hi' }] }));
    };
    await expect(run()).rejects.toMatchObject({ code: 'E_MODEL_UNREACHABLE' });
  });
});
