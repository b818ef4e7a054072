/** Tests for chat-template.ts: renderChatMl against the Jinja template it mirrors. */

import { describe, expect, it } from 'vitest';
import { CHATML_TEMPLATE, renderChatMl } from './chat-template.js';

// @huggingface/jinja (the Jinja engine transformers.js uses) arrives with node-llama-cpp; it is
// not a direct dependency, so the comparison is skipped when it is absent.
const jinja = await import('@huggingface/jinja').catch(() => undefined);

const conversation = [
  { role: 'system', content: '你是小店的客服。' },
  { role: 'user', content: '订单 KF-35GW 到哪了？\n谢谢' },
  { role: 'assistant', content: "您好，已发货。It's on the way." },
];

describe('ChatML', () => {
  it('renders the documented layout', () => {
    expect(renderChatMl([{ role: 'user', content: '你好' }], { addGenerationPrompt: true })).toBe(
      '<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(renderChatMl([])).toBe('');
  });

  it.skipIf(jinja === undefined)('matches the Jinja template exactly', () => {
    const template = new jinja!.Template(CHATML_TEMPLATE);
    for (const addGenerationPrompt of [false, true]) {
      for (const messages of [conversation, conversation.slice(1, 2), []]) {
        expect(renderChatMl(messages, { addGenerationPrompt })).toBe(
          template.render({ messages, add_generation_prompt: addGenerationPrompt }),
        );
      }
    }
  });
});
