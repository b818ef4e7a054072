/**
 * The ChatML chat format used by kefu models (as Qwen2 instruct models use it), both as the
 * Jinja template written to tokenizer_config.json / GGUF `tokenizer.chat_template` and as a TS
 * function that renders exactly the same text:
 *
 *   renderChatMl([{ role: 'user', content: '订单到哪了？' }], { addGenerationPrompt: true })
 *   // '<|im_start|>user\n订单到哪了？<|im_end|>\n<|im_start|>assistant\n'
 *
 * No default system prompt is inserted. Does not tokenise (encode the result with
 * `allowSpecial` so the markers become single tokens).
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | (string & {});
  content: string;
}

/** Jinja source; `\n` inside the string literals is Jinja's escape for a newline. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';

/** Renders messages as CHATML_TEMPLATE does. `addGenerationPrompt` defaults to false. */
export function renderChatMl(
  messages: readonly ChatMessage[],
  options: { addGenerationPrompt?: boolean } = {},
): string {
  let text = '';
  for (const m of messages) text += `${IM_START}${m.role}\n${m.content}${IM_END}\n`;
  if (options.addGenerationPrompt) text += `${IM_START}assistant\n`;
  return text;
}
