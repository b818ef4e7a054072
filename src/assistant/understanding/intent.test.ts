import { describe, expect, it } from 'vitest';
import { classifyIntent } from './intent.js';

describe('classifyIntent', () => {
  it('reads "走到哪一步 / 进度" as the order’s status, and the parcel as tracking', () => {
    expect(classifyIntent('我那笔#W3101067目前走到哪一步了', { hasOrder: true }).intent).toBe('order_status');
    expect(classifyIntent('再说回刚刚那一单，它到哪一步了').intent).toBe('order_status');
    expect(classifyIntent('帮忙核实下订单编号DD20240618322839的进度呗', { hasOrder: true }).intent).toBe(
      'order_status',
    );
    expect(classifyIntent('我的包裹走到哪一步了').intent).toBe('shipping_track');
    expect(classifyIntent('我给#W3101067提的售后现在什么进度', { hasOrder: true }).intent).toBe(
      'after_sales_status',
    );
  });

  it('reads a dispatch-time question in hours as a shipping rule, not an order', () => {
    expect(classifyIntent('拍下付完款几个小时内会寄出')).toEqual({
      task: 'shipping',
      intent: 'shipping_policy',
    });
  });
});
