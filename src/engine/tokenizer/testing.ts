/**
 * Test and benchmark helpers: a seeded PRNG, random Unicode strings for round-trip fuzzing, and
 * a Chinese customer-service corpus from the sample shop. Not used by production code.
 */

import { mulberry32 } from '../../core/random.js';
import { buildSampleShop } from '../../shop/sample/write.js';

/** mulberry32 (src/core/random.ts). */
export const seededRandom = mulberry32;

const RANGES: [number, number][] = [
  [0x00, 0x1f], // controls incl. \t \n \r
  [0x20, 0x7e], // ASCII
  [0x80, 0xff], // Latin-1 incl. U+0085, U+00A0
  [0x300, 0x36f], // combining marks
  [0x4e00, 0x9fff], // CJK
  [0x3000, 0x303f], // CJK punctuation, U+3000 space
  [0xff00, 0xffef], // full-width forms
  [0x2000, 0x206f], // general punctuation, odd spaces
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
  [0x1f300, 0x1faff], // emoji
  [0x10000, 0x10ffff], // any astral
];
const SNIPPETS = [
  '您好',
  '订单',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  "'s",
  "'LL",
  '123',
  'abc',
  '。',
  '<|im_end|>',
  '<|im',
];

/** A random valid Unicode string (no lone surrogates) of up to `maxLength` parts. */
export function randomText(random: () => number, maxLength = 40): string {
  const n = Math.floor(random() * maxLength);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (random() < 0.25) {
      s += SNIPPETS[Math.floor(random() * SNIPPETS.length)];
      continue;
    }
    const [lo, hi] = RANGES[Math.floor(random() * RANGES.length)]!;
    let cp = lo + Math.floor(random() * (hi - lo + 1));
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x4e00;
    s += String.fromCodePoint(cp);
  }
  return s;
}

/** instruction / input / output / prompt / chosen / rejected texts of the sample shop. */
export function sampleShopTexts(scale: number): string[] {
  const data = buildSampleShop({ scale });
  const texts: string[] = [];
  for (const r of [...data.sft, ...data.faq]) {
    texts.push(r.instruction);
    if (r.input) texts.push(r.input);
    texts.push(r.output);
  }
  for (const p of data.preference) texts.push(p.prompt, p.chosen, p.rejected);
  return texts;
}
