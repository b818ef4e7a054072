import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../engine/export/export-model.js';
import { SYSTEM_PROMPT } from '../../shop/sample/dialogue/phrases.js';
import type { ChatModel, ChatTurn } from '../contracts.js';
import { KefuChatModel } from './kefu-chat-model.js';
import { LlamaCppChatModel } from './llama-cpp-chat-model.js';

const BASE = join(process.cwd(), 'assets/base-model');
let dir: string;
let gguf: LlamaCppChatModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-llama-chat-'));
  await exportModel({ model: BASE, outDir: join(dir, 'out'), formats: ['gguf'] });
  gguf = await LlamaCppChatModel.load(join(dir, 'out', 'model.gguf'), { contextSize: 512 });
});

afterAll(async () => {
  await gguf?.close();
  await rm(dir, { recursive: true, force: true });
});

async function reply(model: ChatModel, messages: ChatTurn[], maxTokens: number) {
  let text = '';
  let usage = { promptTokens: 0, completionTokens: 0 };
  for await (const chunk of model.stream({ messages, maxTokens, temperature: 0 })) {
    if (chunk.type === 'text-delta') text += chunk.text;
    else usage = chunk.usage;
  }
  return { text, usage };
}

describe('LlamaCppChatModel', () => {
  it('answers greedily like kefu’s engine on the same model, prompt and token count', async () => {
    const messages: ChatTurn[] = [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: '订单DD20240315521468到哪了\n订单号: DD20240315521468\n物流状态: 运输中' },
    ];
    const kefu = await KefuChatModel.load(BASE);
    const ours = await reply(kefu, messages, 12);
    const theirs = await reply(gguf, messages, 12);
    expect(theirs.usage.promptTokens).toBe(ours.usage.promptTokens);
    expect(theirs.text).toBe(ours.text);
    expect(gguf.contextLength).toBe(512);
    expect(gguf.countTokens('您好')).toBe(kefu.countTokens('您好'));
  });

  it('serialises concurrent streams on its one context', async () => {
    const messages: ChatTurn[] = [{ role: 'user', content: '你好' }];
    const [a, b] = await Promise.all([reply(gguf, messages, 6), reply(gguf, messages, 6)]);
    expect(a.text).toBe(b.text);
  });
});
