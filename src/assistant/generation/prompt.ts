/**
 * The prompt the model sees, in exactly the shape it was trained on: system = the shop's system
 * prompt (src/shop/sample/dialogue/phrases.ts SYSTEM_PROMPT with the shop name filled in), earlier
 * turns as plain (customer, assistant) history, and the last user turn = the customer's message +
 * "\n" + fact lines `key: value` (alpaca instruction + input, joined as training's withInput does).
 * Passages become `资料:` / `要点:` lines after the tool facts. Fits the model's window by dropping
 * the oldest history first, then the lowest-ranked passages, then truncating long values.
 * Values are flattened to one line, so data (an order note, an address, a passage) can never forge
 * a fact line or a turn. Does not call the model.
 */
import { SYSTEM_PROMPT } from '../../shop/sample/dialogue/phrases.js';
import type { ChatModel, ChatTurn, Passage } from '../contracts.js';

export const TRAINED_SHOP_NAME = '悦家优选官方旗舰店';

export interface Fact {
  key: string;
  value: string;
}

export interface PromptInput {
  systemPrompt?: string;
  shopName: string;
  /** Earlier (customer, assistant) pairs, oldest first. */
  history: [string, string][];
  message: string;
  facts: readonly Fact[];
  passages: readonly Passage[];
}

/** The system prompt for a shop: an explicit one, else the trained one with the name swapped. */
export function systemPromptFor(shopName: string, explicit?: string): string {
  if (explicit) return explicit;
  return SYSTEM_PROMPT.replace(TRAINED_SHOP_NAME, shopName);
}

const oneLine = (text: string) =>
  text
    .replace(/<\|[^|]*\|>/g, '')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();

export function factLines(facts: readonly Fact[]): string[] {
  return facts.filter((f) => f.key && f.value !== '').map((f) => `${oneLine(f.key)}: ${oneLine(f.value)}`);
}

export function passageLines(passages: readonly Passage[], maxChars = 400): string[] {
  return passages.map((p) => {
    const text = oneLine(p.text);
    const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
    const where = [p.title, ...p.headings.slice(-1)].filter(Boolean).join(' ');
    return `要点: ${where ? `${oneLine(where)}：` : ''}${cut}`;
  });
}

export function userContent(message: string, lines: readonly string[]): string {
  const text = oneLine(message);
  return lines.length ? `${text}\n${lines.join('\n')}` : text;
}

/**
 * Messages that fit `model.contextLength - reserve` tokens. Returns the messages and the passages
 * kept (for the sources shown and for grounding).
 */
export function assemblePrompt(
  input: PromptInput,
  model: Pick<ChatModel, 'countTokens' | 'contextLength'>,
  reserve: number,
): { messages: ChatTurn[]; passages: Passage[] } {
  const system = systemPromptFor(input.shopName, input.systemPrompt);
  const budget = model.contextLength - reserve;
  let history = input.history.slice();
  let passages = input.passages.slice();
  let maxValue = 400;
  const build = (): ChatTurn[] => {
    const facts = factLines(input.facts).map((l) => (l.length > maxValue ? `${l.slice(0, maxValue)}…` : l));
    return [
      { role: 'system', content: system },
      ...history.flatMap(([user, reply]): ChatTurn[] => [
        { role: 'user', content: oneLine(user) },
        { role: 'assistant', content: reply },
      ]),
      { role: 'user', content: userContent(input.message, [...facts, ...passageLines(passages, maxValue)]) },
    ];
  };
  // ChatML adds ~5 tokens per turn around the content.
  const cost = (messages: ChatTurn[]) =>
    messages.reduce((n, m) => n + model.countTokens(m.content) + 5, 0) + 3;
  let messages = build();
  while (cost(messages) > budget) {
    if (history.length) history = history.slice(1);
    else if (passages.length) passages = passages.slice(0, -1);
    else if (maxValue > 40) maxValue = Math.floor(maxValue / 2);
    else break;
    messages = build();
  }
  return { messages, passages };
}
