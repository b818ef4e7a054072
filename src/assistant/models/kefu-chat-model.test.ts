import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../../core/errors.js';
import { SYSTEM_PROMPT } from '../../shop/sample/dialogue/phrases.js';
import { KefuChatModel, toTrainingMessages } from './kefu-chat-model.js';
import { tinyTrainedWorkspace } from './test-helpers/tiny-trained-workspace.js';

const BASE = join(process.cwd(), 'assets/base-model');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const USER =
  '请问DD20240315521468 物流怎么样了\n订单号: DD20240315521468\n承运商: 顺丰\n运单号: SF3538806364092\n物流状态: 已签收';

describe('KefuChatModel', () => {
  it('renders the prompt with the same ids training uses and streams until <|im_end|>', async () => {
    const model = await KefuChatModel.load(BASE);
    expect(model.contextLength).toBe(512);
    const messages = [
      { role: 'system' as const, content: SYSTEM_PROMPT },
      { role: 'user' as const, content: '你好' },
      { role: 'assistant' as const, content: '您好，请问有什么可以帮您？' },
      { role: 'user' as const, content: USER },
    ];
    const ids = model.encodePrompt(messages);
    const tokenizer = (model as unknown as { tokenizer: { decode(ids: number[]): string } }).tokenizer;
    expect(tokenizer.decode(ids)).toBe(
      `<|im_start|>system\n${SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n` +
        `您好，请问有什么可以帮您？<|im_end|>\n<|im_start|>user\n${USER}<|im_end|>\n<|im_start|>assistant\n`,
    );
    let text = '';
    let finish:
      | { finishReason: string; usage: { promptTokens: number; completionTokens: number } }
      | undefined;
    for await (const chunk of model.stream({ messages, maxTokens: 24 })) {
      if (chunk.type === 'text-delta') text += chunk.text;
      else finish = chunk;
    }
    expect(finish?.usage.promptTokens).toBe(ids.length);
    expect(finish?.usage.completionTokens).toBeGreaterThan(0);
    expect(text).not.toContain('<|im_end|>');
    expect(model.countTokens('订单')).toBeGreaterThan(0);
  });

  it('stops when the signal aborts', async () => {
    const model = await KefuChatModel.load(BASE);
    const controller = new AbortController();
    controller.abort();
    const run = async () => {
      for await (const _ of model.stream({
        messages: [{ role: 'user', content: '你好' }],
        signal: controller.signal,
      }));
    };
    await expect(run()).rejects.toBeInstanceOf(AbortedError);
  });

  it('joins consecutive turns of one role and starts with a user turn', () => {
    const { system, messages } = toTrainingMessages([
      { role: 'system', content: 'S' },
      { role: 'assistant', content: 'A' },
      { role: 'user', content: 'U1' },
      { role: 'user', content: 'U2' },
    ]);
    expect(system).toBe('S');
    expect(messages).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', content: 'A' },
      { role: 'user', content: 'U1\nU2' },
    ]);
  });

  it('merges SFT + DPO adapters (trained here for two steps each) and decodes with them', async () => {
    const root = await tinyTrainedWorkspace();
    made.push(root);
    const QUICK = join(root, 'models');
    const model = await KefuChatModel.load(BASE, {
      adapter: [join(QUICK, 'sft'), join(QUICK, 'dpo')],
    });
    expect(model.id).toBe('base-model+sft+dpo');
    let text = '';
    for await (const chunk of model.stream({
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: USER },
      ],
      maxTokens: 96,
    })) {
      if (chunk.type === 'text-delta') text += chunk.text;
    }
    expect(text.length).toBeGreaterThan(5);
    expect(text).not.toContain('<|im_end|>');
  }, 20_000);
});
