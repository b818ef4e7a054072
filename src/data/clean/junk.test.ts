/** Tests for junk.ts: mojibake, control characters, length limits, replies that repeat the question. */

import { describe, expect, it } from 'vitest';
import {
  checkLength,
  detectControl,
  detectEncodingJunk,
  detectMojibake,
  detectRepeatsQuestion,
  replySimilarity,
} from './junk.js';

// Decoded as GBK the odd trailing byte becomes U+FFFD; drop it to test the rare-character rule alone.
const gbkDebris = new TextDecoder('gbk')
  .decode(new TextEncoder().encode('你好，请问我的快递什么时候发货'))
  .replace(/\uFFFD/g, '');
const latin1Debris = Buffer.from('您好，已经为您安排发货', 'utf8').toString('latin1');

describe('detectMojibake', () => {
  it.each([
    ['请问\uFFFD\uFFFD发货', 'U+FFFD'],
    ['锟斤拷锟斤拷', '锟斤拷'],
    ['烫烫烫烫', '烫烫烫'],
    ['ï¿½ï¿½', 'ï¿½'],
    ['cafÃ© au lait', 'Latin-1'],
    ['å¥½çš„', 'Latin-1'],
    ['donâ€™t', 'Latin-1'],
    [latin1Debris, 'Latin-1'],
    [gbkDebris, 'GBK'],
    ['浣犲ソ锛岃闂綘浠殑搴楅摵', 'GBK'],
    ['ÄÖÜßäöüÿñçàèìòù', 'Latin-1 supplement share'],
  ])('flags %s', (text, fragment) => {
    expect(detectMojibake(text)).toContain(fragment);
  });

  it.each([
    '你好，请问什么时候发货呢？',
    '嗯嗯，好的亲，麻烦尽快哦',
    '这款iPhone 15 Pro支持5G吗',
    'café crème, 5 €',
    '温度范围：-10℃～40℃，尺寸 30×20cm，¥199',
    '鑫淼犇骉', // rare but genuine characters, too few to judge
    '',
  ])('accepts %s', (text) => {
    expect(detectMojibake(text)).toBeUndefined();
  });
});

describe('detectControl', () => {
  it.each(['a\u0000b', 'a\u0007b', 'a\u001Bb', 'a\u007Fb', 'a\u0085b', 'a\rb'])('flags %j', (text) => {
    expect(detectControl(text)).toMatch(/^U\+00[0-9A-F]{2}$/);
  });
  it.each(['a\nb', 'a\tb', 'a\r\nb', '你好\u3000世界'])('accepts %j', (text) => {
    expect(detectControl(text)).toBeUndefined();
  });
});

describe('checkLength', () => {
  const limits = { minChars: 2, maxChars: 10 };
  it('finds empty, short and long texts', () => {
    expect(checkLength('', limits)?.code).toBe('junk.empty');
    expect(checkLength(' \n\t ', limits)?.code).toBe('junk.empty');
    expect(checkLength('好', limits)?.code).toBe('junk.too_short');
    expect(checkLength('一二三四五六七八九十十', limits)?.code).toBe('junk.too_long');
  });
  it('accepts texts within limits, counting code points', () => {
    expect(checkLength('好的', limits)).toBeUndefined();
    expect(checkLength('一二三四五六七八九十', limits)).toBeUndefined();
    expect(checkLength('😀😀', limits)).toBeUndefined();
  });
});

describe('repeats the question', () => {
  it('flags replies that echo the question', () => {
    expect(detectRepeatsQuestion('请问什么时候发货？', '请问什么时候发货', 0.8)?.code).toBe(
      'junk.repeats_question',
    );
    expect(detectRepeatsQuestion('请问什么时候发货？', '请问 什么时候 发货呢?', 0.8)).toBeDefined();
    expect(replySimilarity('ABC发货', 'abc发货')).toBe(1);
  });
  it('accepts real answers, also when they quote the question', () => {
    expect(
      detectRepeatsQuestion('请问什么时候发货？', '您好，订单已于今天下午发出，预计两天内送达。', 0.8),
    ).toBeUndefined();
    expect(
      detectRepeatsQuestion('什么时候发货', '关于什么时候发货：您的订单今天下午就会从杭州仓发出。', 0.8),
    ).toBeUndefined();
    expect(replySimilarity('', '好的')).toBe(0);
  });
});

describe('detectEncodingJunk', () => {
  it('reports both kinds with codes', () => {
    expect(detectEncodingJunk('锟斤拷\u0001').map((f) => f.code)).toEqual(['junk.mojibake', 'junk.control']);
    expect(detectEncodingJunk('正常的文本')).toEqual([]);
  });
});
