/** Test helper: two encoded SFT sequences of different lengths. Not for production use. */
import type { TextTokenizer } from '../../engine/contracts.js';
import { type Encoded, encodeSft } from '../encode.js';
import { ChatMlTemplate } from '../template.js';
import { sftExamples } from './toy-data.js';

export function prepareForTest(tokenizer: TextTokenizer): Encoded[] {
  const template = new ChatMlTemplate(tokenizer);
  return sftExamples(2).map((e) => encodeSft(template, e, { cutoffLen: 100 }));
}
