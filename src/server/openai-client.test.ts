/**
 * The official `openai` npm client, unchanged, against a real listening kefu server: chat
 * completion (plain and streamed), models.list and embeddings.create (the client asks for base64).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KnowledgeBase, openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { type Listening, listen } from './listen.js';
import { InstantChatModel } from './test-helpers/models.js';
import { type ServerFixture, serverFixture } from './test-helpers/server-fixture.js';

let f: ServerFixture;
let server: Listening;
let kb: KnowledgeBase;
let docs: string;

beforeAll(async () => {
  docs = mkdtempSync(join(tmpdir(), 'kefu-server-'));
  writeFileSync(
    join(docs, 'returns.md'),
    '# 退换货政策\n\n## 七天无理由\n\n签收后七天内可申请无理由退货，商品需完好。\n',
  );
  writeFileSync(
    join(docs, 'shipping.md'),
    '# 配送说明\n\n## 发货时间\n\n下单后48小时内发货，默认顺丰快递。\n',
  );
  kb = await openKnowledgeBase({ dbPath: ':memory:' });
  await kb.ingest([docs]);
  f = await serverFixture(new InstantChatModel('kefu-test'), { deps: { embedder: () => kb.embedder } });
  server = await listen(f.app, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await f?.close();
  await kb?.close();
  rmSync(docs, { recursive: true, force: true });
});

const client = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: f.alice.token, maxRetries: 0 });

describe('the official openai client', () => {
  it('gets a chat completion with the kefu extension', async () => {
    const completion = await client().chat.completions.create({
      model: 'kefu-test',
      messages: [{ role: 'user', content: '七天无理由退货怎么办理' }],
    });
    expect(completion.choices[0]!.message.content).toBeTruthy();
    const kefu = (completion as unknown as { kefu: { session_id: string; origin: string } }).kefu;
    expect(kefu.session_id).toMatch(/^s_/);
    expect(['model', 'template']).toContain(kefu.origin);
  });

  it('streams a chat completion to the end', async () => {
    const stream = await client().chat.completions.create({
      model: 'kefu-test',
      messages: [{ role: 'user', content: '你们多久发货' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it('lists models and creates embeddings', async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['kefu-test']);
    const embeddings = await client().embeddings.create({ model: 'kb', input: ['退货', '发货'] });
    expect(embeddings.data).toHaveLength(2);
    const vector = embeddings.data[0]!.embedding;
    expect(vector.length).toBe(kb.embedder!.dimensions);
    const norm = Math.sqrt(vector.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 3);
    const floats = await client().embeddings.create({ model: 'kb', input: '退货', encoding_format: 'float' });
    expect(floats.data[0]!.embedding[0]).toBeCloseTo(vector[0]!, 5);
  });

  it('shows a customer-token error as an APIError with the status', async () => {
    const bad = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'nope', maxRetries: 0 });
    await expect(bad.models.list()).rejects.toMatchObject({ status: 401 });
  });
});
