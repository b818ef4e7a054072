import { describe, expect, it } from 'vitest';
import { CopyConstraint } from './copy-constraint.js';

const rule = new CopyConstraint([
  '订单号: DD20240315521468',
  '实付金额: ¥129.90',
  '运单号: YT7010537970164',
  '状态: 已签收',
  '承运商: 圆通',
  '下单时间: 2024-03-15 08:18',
  '商品: 鲜农挂耳咖啡 CF-354 ×2',
]);
const grow = (text: string) => rule.accepts(text.slice(0, -1), text, false);

describe('CopyConstraint', () => {
  it('keeps claim-prefixed numbers a prefix of an evidence number', () => {
    expect(grow('订单DD2024031')).toBe(true);
    expect(grow('订单DD2024039')).toBe(false);
    expect(grow('包裹 YT70')).toBe(true);
    expect(grow('包裹 YT79')).toBe(false);
  });

  it('lets a number end only where an evidence number ends', () => {
    expect(rule.accepts('订单DD2024', '订单DD2024的', false)).toBe(false);
    expect(rule.accepts('订单DD20240315521468', '订单DD20240315521468的', false)).toBe(true);
    expect(rule.accepts('订单DD2024', '订单DD2024', true)).toBe(false);
  });

  it('accepts money in short forms and rejects made-up amounts and quantities', () => {
    expect(grow('实付¥129.9')).toBe(true);
    expect(grow('实付¥139')).toBe(false);
    expect(grow('共2件')).toBe(true);
    expect(grow('共75件')).toBe(false);
  });

  it('rejects unsupported status words, carriers and dates as they complete', () => {
    expect(grow('状态已签收')).toBe(true);
    expect(grow('状态已发')).toBe(false);
    expect(grow('由中通')).toBe(false);
    expect(grow('由圆通')).toBe(true);
    expect(grow('于2024-03-15')).toBe(true);
    expect(grow('于2024-03-16')).toBe(false);
    expect(rule.accepts('订单DD20240315521468', '订单DD20240315521468，', false)).toBe(true);
  });

  it('leaves product codes and short bare numbers alone, and lists stray numbers', () => {
    expect(grow('型号 PD67')).toBe(true);
    expect(rule.strayNumbers('订单DD20，运单YT7010537970164，2024年')).toEqual(['DD20']);
  });
});
