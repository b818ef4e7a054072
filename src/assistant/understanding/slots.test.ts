import { describe, expect, it } from 'vitest';
import { classifyIntent } from './intent.js';
import { extractSlots } from './slots.js';

describe('extractSlots', () => {
  it.each([
    ['我的订单DD20240315521468到哪了', { orderIds: ['DD20240315521468'] }],
    ['dd20240315521468 和 DD20240126691904', { orderIds: ['DD20240315521468', 'DD20240126691904'] }],
    ['order #W2611340 status', { orderIds: ['#W2611340'] }],
    ['W2611340 能取消吗', { orderIds: ['#W2611340'] }],
    ['运单号SF3538806364092', { trackingNumbers: ['SF3538806364092'], orderIds: [] }],
    ['中通 75318421046655 到哪了', { trackingNumbers: ['75318421046655'] }],
    ['圆通YT1234567890123', { trackingNumbers: ['YT1234567890123'] }],
    ['EMS EA123456789CN', { trackingNumbers: ['EA123456789CN'] }],
    ['tracking 357962501027', { trackingNumbers: ['357962501027'] }],
    ['KF-35GW 有货吗', { models: ['KF-35GW'] }],
    ['P10023 的尺寸', { productIds: ['P10023'], models: [] }],
    ['我要买两件', { quantity: 2 }],
    ['买3台', { quantity: 3 }],
    ['2024-03-15下的单', { dates: ['2024-03-15'] }],
    ['3月5日到的', { dates: ['03-05'] }],
  ])('%s', (text, expected) => {
    expect(extractSlots(text)).toMatchObject(expected);
  });

  it.each([
    ['它什么时候到', 'current'],
    ['这个订单呢', 'current'],
    ['这单能退吗', 'current'],
    ['那上一单呢', 'previous'],
    ['刚才那单怎么样了', 'recent'],
  ])('reference in %s', (text, kind) => {
    expect(extractSlots(text).reference?.kind).toBe(kind);
  });

  it('reads ordinals as 0-based indexes and ignores references when an order is named', () => {
    expect(extractSlots('第二个呢').reference).toEqual({ kind: 'ordinal', index: 1 });
    expect(extractSlots('第3单').reference).toEqual({ kind: 'ordinal', index: 2 });
    expect(extractSlots('它是DD20240315521468吗').reference).toBeUndefined();
  });

  it.each([
    ['确认', 'yes'],
    ['是的', 'yes'],
    ['好的', 'yes'],
    ['可以', 'yes'],
    ['确认取消', 'yes'],
    ['不用了', 'no'],
    ['算了', 'no'],
    ['取消', 'no'],
    ['不要了', 'no'],
    ['我的订单到哪了', undefined],
  ])('answer to a confirmation: %s', (text, answer) => {
    expect(extractSlots(text).answer).toBe(answer);
  });

  it('spots handoff requests and anger', () => {
    expect(extractSlots('转人工').handoffAsked).toBe(true);
    expect(extractSlots('我要找真人客服').handoffAsked).toBe(true);
    expect(extractSlots('人工客服在吗').handoffAsked).toBe(true);
    expect(extractSlots('订单到哪了').handoffAsked).toBe(false);
    expect(extractSlots('你们这什么破店，垃圾！').angry).toBe(true);
    expect(extractSlots('谢谢你').angry).toBe(false);
  });

  it('reads a broken product as a quality question, not anger', () => {
    for (const text of [
      '买的水壶坏了，能保修吗',
      '用了三天就不能用了',
      '滚筒洗衣机坏了怎么办',
      '再也不能开机了',
      '订单DD20240123156763的退款申请审核了没', // 12315 inside an order number is not the hotline
    ])
      expect(extractSlots(text).angry).toBe(false);
    for (const text of ['质量太差了，我要投诉', '气死我了！！！', '滚！', '再不处理我就打12315'])
      expect(extractSlots(text).angry).toBe(true);
  });

  it('spots a go-ahead for the change just discussed', () => {
    expect(extractSlots('好的，就按这个帮我提交吧').goAhead).toBe(true);
    expect(extractSlots('那麻烦直接帮我办理一下').goAhead).toBe(true);
    expect(extractSlots('不用了，先不办理').goAhead).toBe(false);
  });
});

describe('classifyIntent', () => {
  it.each([
    ['DD20240315521468物流怎么样了', 'shipping', 'shipping_track'],
    ['帮我查一下订单DD20240315521468', 'order', 'order_status'],
    ['DD20240315521468', 'order', 'order_status'],
    ['订单DD20240315521468帮我取消掉', 'order', 'order_cancel'],
    ['我想退货', 'after_sales', 'return'],
    ['退货政策是怎样的', 'after_sales', 'after_sales_policy'],
    ['能换个颜色吗', 'after_sales', 'exchange'],
    ['这款有货吗', 'product', 'product_stock'],
    ['KF-35GW 的尺寸是多少', 'product', 'product_info'],
    ['我最近的订单有哪些', 'order', 'order_list'],
    ['今天天气怎么样', 'other', 'other'],
    // A rule question without an order reference is a policy question.
    ['下单后多久能发货啊', 'shipping', 'shipping_policy'],
    ['买多少钱可以免运费', 'shipping', 'shipping_policy'],
    ['退货寄回去以后钱多久退给我', 'after_sales', 'after_sales_policy'],
    ['尺码不对的话多少天内能换', 'after_sales', 'after_sales_policy'],
    ['我的快递几天能到', 'shipping', 'shipping_track'],
    ['DD20240315521468多久能发货', 'order', 'order_status'],
    ['订单DD20240315521468的退款申请审核了没', 'after_sales', 'after_sales_status'],
    ['DD20240315521468是寄到哪个地址的', 'order', 'order_address'],
    ['我最近都下过哪些单', 'order', 'order_list'],
  ])('%s → %s / %s', (text, task, intent) => {
    expect(classifyIntent(text, { hasOrder: /DD\d/.test(text) })).toEqual({ task, intent });
  });
});
