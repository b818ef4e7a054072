import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { adapterChain, defaultModelDir, loadChatModel } from './load-chat-model.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import { tinyTrainedWorkspace } from './test-helpers/tiny-trained-workspace.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('loadChatModel', () => {
  it('takes a URL as an OpenAI-compatible server and a folder without weights as an error', async () => {
    const model = await loadChatModel('http://127.0.0.1:8000/v1', {
      root: process.cwd(),
      serverModel: 'qwen2',
    });
    expect(model).toBeInstanceOf(OpenAiChatModel);
    expect(model.id).toBe('qwen2');
    await expect(loadChatModel('src', { root: process.cwd() })).rejects.toBeInstanceOf(InputError);
  });

  it('loads an HF folder with kefu’s engine', async () => {
    const model = await loadChatModel('assets/base-model', { root: process.cwd() });
    expect(model.id).toBe('base-model');
    expect(model.contextLength).toBe(512);
  });

  it('finds the workspace DPO adapter, the SFT adapter under it and their base', async () => {
    // A workspace laid out as the quickstart leaves it, with adapters trained for two steps.
    const ROOT = await tinyTrainedWorkspace();
    made.push(ROOT);
    expect(defaultModelDir(ROOT)).toBe(join(ROOT, 'models/dpo'));
    expect(adapterChain(join(ROOT, 'models/dpo'), ROOT)).toEqual({
      base: join(ROOT, 'models/base'),
      adapters: [join(ROOT, 'models/sft'), join(ROOT, 'models/dpo')],
    });
    const model = await loadChatModel(undefined, { root: ROOT });
    expect(model.id).toBe('base+sft+dpo');
    expect(model.contextLength).toBe(512);
  }, 20_000);
});
