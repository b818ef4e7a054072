/**
 * Phrase tables for dialogues: agent openers and closers, the system prompt, and the user-side
 * variation (colloquial prefixes, typos, mixed Chinese/English, emoji). Also `styleUser`, which
 * applies that variation to a user message without touching ids or numbers. No facts live here.
 */
import type { Rng } from '../random.js';

export const SYSTEM_PROMPT =
  '你是悦家优选官方旗舰店的智能客服。请根据「已查询信息」和店铺政策，专业、准确、友好地回答顾客关于订单、物流、售后和商品的问题；不编造信息，不泄露其他顾客的信息，无法处理时转人工客服。';

export const OPENERS = ['您好，', '亲，您好～', '您好呀，', '亲，', '您好！', '亲爱的顾客您好，'];
export const LOOKUP_OPENERS = [
  '感谢您的耐心等待，',
  '亲，已为您查询到，',
  '您好，帮您查到了：',
  '让您久等了，',
];
export const FOLLOW_OPENERS = ['好的，', '亲，', '好的亲，', '明白～', '', '嗯嗯，'];
export const CLOSERS = [
  '还有其他可以帮您的吗？',
  '如有其他问题随时联系我们哦～',
  '祝您购物愉快！',
  '感谢您的理解与支持～',
  '有任何问题随时找我哦～',
  '',
];
export const HANDOFF = [
  '我这边已为您转接人工客服，请稍候，人工客服会尽快为您处理。',
  '为了更好地帮您解决，已为您转人工客服跟进，请稍等片刻～',
  '这个问题需要人工客服核实处理，正在为您转接人工，请稍候。',
];
export const APOLOGY = ['非常抱歉给您带来不便，', '真的很抱歉让您久等了，', '抱歉给您添麻烦了，'];

const PREFIXES: [string, number][] = [
  ['', 0.55],
  ['你好，', 0.08],
  ['在吗 ', 0.06],
  ['客服，', 0.05],
  ['hi，', 0.03],
  ['亲，', 0.05],
  ['请问', 0.08],
  ['麻烦问下，', 0.05],
  ['hello ', 0.02],
  ['急！', 0.03],
];

const SUFFIXES: [string, number][] = [
  ['', 0.5],
  ['？', 0.12],
  ['??', 0.06],
  ['～', 0.04],
  [' 谢谢', 0.07],
  [' thx', 0.02],
  [' 🙏', 0.04],
  [' 😭', 0.03],
  [' 😊', 0.03],
  ['。。。', 0.03],
  [' 急急急', 0.02],
  ['呀', 0.04],
];

/** [standard, variant] pairs: typos, slang and English mixing. */
const SWAPS: [string, string][] = [
  ['订单', '定单'],
  ['什么', '啥'],
  ['什么', '神马'],
  ['怎么', '咋'],
  ['怎么', '怎麽'],
  ['快递', '快第'],
  ['快递', 'express'],
  ['已经', '以经'],
  ['查一下', 'check一下'],
  ['查下', '查查'],
  ['退款', 'refund'],
  ['物流', '物流信息'],
  ['发货', 'ship'],
  ['谢谢', '3q'],
  ['可以', '可不可以'],
  ['吗', '嘛'],
  ['这个', '这个这个'],
  ['订单号', 'order号'],
  ['运单号', 'tracking number'],
  ['多少钱', '多少米'],
  ['质量', '质量嘛'],
  ['有没有', '有木有'],
];

function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  return i < 0 ? text : text.slice(0, i) + to + text.slice(i + from.length);
}

/** Colloquial variation of a user message. ASCII ids and numbers are never altered. */
export function styleUser(text: string, rng: Rng): string {
  let out = text;
  const swaps = rng.chance(0.45) ? rng.int(1, 2) : 0;
  for (let i = 0; i < swaps; i++) {
    const [from, to] = rng.pick(SWAPS);
    out = replaceOnce(out, from, to);
  }
  if (rng.chance(0.15))
    out = out
      .replace(/[，。？！]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const prefix = rng.weighted(PREFIXES);
  if (prefix === '请问' && out.startsWith('请问')) return out + rng.weighted(SUFFIXES);
  return prefix + out + (/[？?～~！!。]$/.test(out) ? '' : rng.weighted(SUFFIXES));
}

/** Agent reply: opener + body + closer, with `lookup` openers after a data lookup. */
export function say(
  rng: Rng,
  body: string,
  opts: { lookup?: boolean; follow?: boolean; close?: boolean } = {},
): string {
  const opener = opts.follow
    ? rng.pick(FOLLOW_OPENERS)
    : rng.pick(opts.lookup && rng.chance(0.5) ? LOOKUP_OPENERS : OPENERS);
  const closer = opts.close === false ? '' : rng.pick(CLOSERS);
  return `${opener}${body}${closer}`;
}

/** Pronoun-ish references to the order or product talked about earlier. */
export const ORDER_REFS = ['它', '这个订单', '这单', '那个订单', '刚才那单'];
export const PRODUCT_REFS = ['它', '这款', '这个', '刚才那款'];
