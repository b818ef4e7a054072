import { describe, expect, it } from 'vitest';
import { checkGrounding, extractClaims } from './grounding.js';

const FACTS = [
  '订单号: DD20240315521468',
  '承运商: 顺丰',
  '运单号: SF3538806364092',
  '物流状态: 已签收',
  '签收时间: 2024-03-18 01:56',
  '实付金额: ¥129.90',
  '7天无理由: 支持',
];

describe('grounding', () => {
  it('extracts order and tracking numbers, prices, dates, times, status words and policy numbers', () => {
    const claims = extractClaims(
      '订单DD20240315521468（顺丰 SF3538806364092）已于2024-03-18 01:56签收，实付129.9元，支持7天无理由，满99元包邮，48小时内发货。状态：已签收',
    );
    const byKind = (kind: string) => claims.filter((c) => c.kind === kind).map((c) => c.key);
    expect(byKind('order')).toEqual(['DD20240315521468']);
    expect(byKind('tracking')).toEqual(['SF3538806364092']);
    expect(byKind('price')).toEqual(['¥129.90', '¥99.00']);
    expect(byKind('date')).toEqual(['2024-03-18']);
    expect(byKind('time')).toEqual(['01:56']);
    expect(byKind('status')).toEqual(['已签收']);
    expect(byKind('policy')).toEqual(['7天', '满99', '48小时']);
  });

  it('accepts a reply that only repeats the facts, in another money format', () => {
    const reply =
      '亲，订单DD20240315521468的包裹（顺丰 SF3538806364092）已于2024-03-18 01:56签收，实付129.9元，支持7天无理由退货～';
    expect(checkGrounding(reply, FACTS)).toMatchObject({ grounded: true, unsupported: [] });
  });

  it('rejects an invented order number, price, date and policy number', () => {
    const result = checkGrounding(
      '您好，订单DD20240629665344已签收15天，实付¥199.00，预计3月20日送达，超过了7天无理由退货期。',
      FACTS,
    );
    expect(result.grounded).toBe(false);
    expect(result.unsupported.map((c) => c.text)).toEqual(['DD20240629665344', '¥199.00', '3月20日', '15天']);
  });

  it('accepts what the customer said and a month-day form of a fact date', () => {
    expect(
      checkGrounding('您说的订单DD20240101000001我们会核实，包裹3月18日已签收。', [
        ...FACTS,
        '顾客: 订单DD20240101000001',
      ]).grounded,
    ).toBe(true);
  });

  it('accepts τ-bench order numbers with or without #', () => {
    expect(checkGrounding('订单W2611340已发货', ['订单号: #W2611340', '状态: 已发货']).grounded).toBe(true);
    expect(checkGrounding('订单#W2611341已发货', ['订单号: #W2611340', '状态: 已发货']).grounded).toBe(false);
  });
});
