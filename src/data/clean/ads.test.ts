/** Tests for ads.ts: URL, contact and promotion detectors, positives and negatives, allow-lists. */

import { describe, expect, it } from 'vitest';
import { detectAds, detectContacts, detectPromotions, detectUrls } from './ads.js';

const codes = (text: string, options?: Parameters<typeof detectAds>[1]) =>
  detectAds(text, options).map((f) => f.code);

describe('URLs', () => {
  it.each([
    ['点击 http://t.cn/abc123 领取', 't.cn'],
    ['详情见https://example.com/a?b=1', 'example.com'],
    ['访问www.abc.com领取', 'abc.com'],
    ['访问ｗｗｗ．ａｂｃ．ｃｏｍ', 'abc.com'],
    ['上xx.cn看看', 'xx.cn'],
    ['去 shop-888.top 下单', 'shop-888.top'],
  ])('flags %s', (text, host) => {
    expect(detectUrls(text)).toEqual([{ code: 'ad.url', detail: host }]);
  });

  it.each([
    '型号KF-35GW，XR-2000',
    'iPhone 15 Pro 和 3.5mm 耳机',
    '请发邮件到service@qq.com',
    '价格是12.50元',
    '版本v2.1.3',
    'node.js',
  ])('ignores %s', (text) => {
    expect(detectUrls(text)).toEqual([]);
  });

  it('allows the shop domains and their subdomains', () => {
    const allow = ['myshop.com'];
    expect(detectUrls('官网 https://www.myshop.com/help 和 m.myshop.com', allow)).toEqual([]);
    expect(detectUrls('notmyshop.com', allow)).toHaveLength(1);
  });
});

describe('contacts', () => {
  it.each([
    '加微信abc12345领优惠',
    'vx：kefu_8888',
    '加V: shop2024a',
    '薇信号 a1234567',
    'V信 wxid_abcdef',
    '扣扣 123456789',
    'QQ：12345678',
    '加我13812345678',
    '联系我 138-1234-5678',
    '私聊我[手机号]',
    '加我[手机号]',
  ])('flags %s', (text) => {
    expect(detectContacts(text).map((f) => f.code)).toContain('ad.contact');
  });

  it.each([
    '可以用微信支付吗',
    'QQ音乐会员能用吗',
    '微信付款了，订单号123456789',
    '快递到了联系我13812345678',
    '麻烦送到后联系我[手机号]',
    '我的手机号是[手机号]',
    'wxyz12345',
  ])('ignores %s', (text) => {
    expect(detectContacts(text)).toEqual([]);
  });

  it('allows the shop ids and phones', () => {
    expect(detectContacts('客服微信：myshop_kf', [], ['myshop_kf'])).toEqual([]);
    expect(detectContacts('加我 138 0000 0000', ['13800000000'])).toEqual([]);
  });
});

describe('promotions', () => {
  it.each([
    '兼职日结，在家可做',
    '专业刷 单',
    '加微信领优惠',
    '扫码关注公众号',
    '全新低价出',
    '免费领取试用装',
  ])('flags %s', (text) => {
    expect(detectPromotions(text).length).toBeGreaterThan(0);
  });
  it.each(['请问什么时候发货', '这个优惠券怎么用', '可以免费退换吗'])('ignores %s', (text) => {
    expect(detectPromotions(text)).toEqual([]);
  });
  it('uses the configured list', () => {
    expect(detectPromotions('限时秒杀', ['秒杀'])).toEqual([{ code: 'ad.promotion', detail: '秒杀' }]);
    expect(detectPromotions('刷单', [])).toEqual([]);
  });
});

describe('detectAds', () => {
  it('combines all detectors', () => {
    expect(codes('加微信abc12345，详见www.abc.com，免费领取')).toEqual([
      'ad.url',
      'ad.contact',
      'ad.promotion',
    ]);
    expect(codes('您好，订单已发货，请耐心等待')).toEqual([]);
  });
});
