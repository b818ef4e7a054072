import { describe, expect, it } from 'vitest';
import type { TargetReply, TurnExpectation } from '../types.js';
import { gradeTurn } from './rules.js';
import { asksConfirmation, asksForOrderNumber, containsFact, orderIdsIn } from './text.js';

const reply = (text: string, extra: Partial<TargetReply> = {}): TargetReply => ({
  text,
  toolCalls: [],
  ttftMs: 1,
  totalMs: 2,
  ...extra,
});
const expectation = (extra: Partial<TurnExpectation> = {}): TurnExpectation => ({
  required: [],
  forbidden: [],
  ...extra,
});

describe('fact matching', () => {
  it('ignores width, spaces and thousands separators; any spelling counts', () => {
    expect(containsFact('实付¥1,626.70元', ['1626.70', '1626.7元'])).toBe(true);
    expect(containsFact('商品：雪颜保湿精华SE36', '雪颜保湿精华 SE36')).toBe(true);
    expect(containsFact('预计７月３日送达', ['2024-07-03', '7月3日'])).toBe(true);
    expect(containsFact('已发货', '已签收')).toBe(false);
    expect(orderIdsIn('查DD20240101000001和#W2611340')).toEqual(['DD20240101000001', '#W2611340']);
  });

  it('spots re-asking and confirmation questions', () => {
    expect(asksForOrderNumber('请您提供一下订单号哦', [])).toBe(true);
    expect(asksForOrderNumber('订单DD20240101000001已签收', ['DD20240101000001'])).toBe(false);
    expect(asksForOrderNumber('您的订单已签收。', [])).toBe(false);
    expect(asksForOrderNumber('运单号SF1234567890123，预计明天送达。还有其他可以帮您的吗？', [])).toBe(false);
    expect(asksForOrderNumber('您要查的是哪一笔订单呢？', [])).toBe(true);
    expect(asksConfirmation('确认要取消订单DD20240101000001吗？')).toBe(true);
    expect(asksConfirmation('订单已取消。')).toBe(false);
  });
});

describe('gradeTurn', () => {
  const context = { reportsTools: true };

  it('passes a reply that meets every rule', () => {
    const r = reply('订单DD20240101000001当前状态：已发货', {
      task: 'order',
      toolCalls: [{ name: 'get_order_details', outcome: 'ok' }],
    });
    expect(
      gradeTurn(
        r,
        expectation({ required: ['已发货'], task: 'order', tool: 'order_lookup', noHandoff: true }),
        context,
      ),
    ).toEqual({ pass: true, failures: [] });
  });

  it('names every failed rule', () => {
    const r = reply('您的订单已签收，另一笔¥369.00。请提供订单号？', {
      task: 'shipping',
      toolCalls: [{ name: 'cancel_order', outcome: 'ok' }],
      handoff: { reason: 'low_confidence' },
    });
    const grade = gradeTurn(
      r,
      expectation({
        required: ['已发货'],
        forbidden: ['369.00'],
        task: 'order',
        tool: 'order_lookup',
        noMutation: true,
        asksConfirmation: true,
        noReask: true,
        noHandoff: true,
      }),
      { reportsTools: true, knownOrderIds: ['DD20240101000001'] },
    );
    expect(grade.pass).toBe(false);
    expect(grade.failures.map((f) => f.rule).sort()).toEqual(
      [
        'confirmation',
        'forbidden_fact',
        'handoff',
        'mutation',
        'reask',
        'required_fact',
        'task',
        'tool',
      ].sort(),
    );
  });

  it('accepts any listed task or tool kind', () => {
    const r = reply('保修12个月', {
      task: 'after_sales',
      toolCalls: [{ name: 'track_shipment', outcome: 'ok' }],
    });
    const both = expectation({
      required: [['12个月', '一年']],
      task: ['product', 'after_sales'],
      tool: ['product_lookup', 'shipment_track'],
    });
    expect(gradeTurn(r, both, context).pass).toBe(true);
    expect(gradeTurn(r, expectation({ task: 'product' }), context).failures).toEqual([
      { rule: 'task', detail: 'expected product, got after_sales' },
    ]);
  });

  it('skips tool and task rules for targets that do not report them', () => {
    const grade = gradeTurn(
      reply('已发货'),
      expectation({ required: ['已发货'], task: 'order', tool: 'order_lookup' }),
      { reportsTools: false },
    );
    expect(grade.pass).toBe(true);
  });

  it('counts a cited passage as the policy lookup, and a refused change as no change', () => {
    expect(
      gradeTurn(reply('7天', { sources: 2 }), expectation({ tool: 'policy_lookup' }), context).pass,
    ).toBe(true);
    expect(gradeTurn(reply('7天'), expectation({ tool: 'policy_lookup' }), context).pass).toBe(false);
    const refused = reply('请确认是否取消？', {
      toolCalls: [{ name: 'cancel_order', outcome: 'needs_confirmation' }],
    });
    expect(gradeTurn(refused, expectation({ noMutation: true, asksConfirmation: true }), context).pass).toBe(
      true,
    );
  });
});
