import { describe, expect, it } from 'vitest';
import { TAU_POLICY } from '../../shop/import/tau-bench.js';
import { yuan } from '../../shop/sample/format.js';
import type { PolicyFacts } from '../../shop/types.js';
import { dollars } from '../tools/facts.js';
import { policyLines } from './policy-facts.js';

const KEFU: PolicyFacts = {
  returnDays: 7,
  exchangeDays: 15,
  freeShippingThreshold: 9900,
  standardShippingFee: 1000,
  shipWithinHours: 48,
  priceProtectDays: 7,
  refundDaysOriginal: '1-3个工作日',
  returnShippingByShopIfQuality: true,
  invoiceKinds: ['电子普通发票', '增值税专用发票'],
  serviceHours: '9:00-22:00',
  cancelWindow: '发货前',
};

const rules = (policy: PolicyFacts, q: string, money = yuan) =>
  policyLines(policy, q, money).map((l) => `${l.topic}:${l.rule ?? '-'}`);

describe('policyLines: a rule question answered from the shop’s stated policy', () => {
  it('answers each kind of rule question with its number', () => {
    expect(rules(KEFU, '你们仓库收到退货后多久打款')).toEqual(['退款到账时间:1-3个工作日']);
    expect(rules(KEFU, '退款一般几天能到账')).toEqual(['退款到账时间:1-3个工作日']);
    expect(rules(KEFU, '不喜欢的话最多几天可以退回去').join()).toContain('7天');
    expect(rules(KEFU, '尺码不对的话多少天内能换').join()).toContain('15天');
    expect(rules(KEFU, '拍下付完款几个小时内会寄出').join()).toContain('48小时');
    expect(rules(KEFU, '你家满多少包邮啊').join()).toContain('¥99.00');
    expect(rules(KEFU, '你们能开什么发票').join()).toContain('增值税专用发票');
    expect(rules(KEFU, '想了解下你们的退换货规矩')).toHaveLength(2);
  });

  it('does not read a return-shipping or warranty question as another rule', () => {
    expect(rules(KEFU, '退货运费谁出')).toEqual([]);
    expect(rules(KEFU, '保修政策是什么')).toEqual([]);
  });

  it('says a rule τ-bench does not state is not stated, and gives the one it does', () => {
    expect(rules(TAU_POLICY, '退款一般几天能到账', dollars)).toEqual([
      `退款到账时间:${TAU_POLICY.refundDaysOriginal}`,
    ]);
    expect(rules(TAU_POLICY, '无理由退货的期限是几天', dollars)).toEqual(['无理由退货:-']);
    expect(rules(TAU_POLICY, '你家满多少包邮啊', dollars)).toEqual(['运费:-']);
  });
});
