/** Tests for pipeline.ts: decisions, reasons, masking, duplicates, determinism and summary. */

import { describe, expect, it } from 'vitest';
import type { Example } from '../example.js';
import { parseCleanConfig } from './config.js';
import { Cleaner } from './pipeline.js';

const sft = (user: string, assistant: string, extra: Partial<Example> = {}): Example => ({
  kind: 'sft',
  messages: [
    { role: 'user', content: user },
    { role: 'assistant', content: assistant },
  ],
  ...extra,
});

const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code);

describe('Cleaner', () => {
  it('keeps a clean dialogue unchanged', () => {
    const c = new Cleaner();
    const ex = sft('请问什么时候发货？', '您好，您的订单今天下午会从杭州仓发出，预计两天内送达。', {
      id: 'r1',
    });
    const d = c.process(ex);
    expect(d).toEqual({ action: 'keep', example: ex, reasons: [], masked: {} });
  });

  it('keeps the order number and masks the phone', () => {
    const c = new Cleaner();
    const d = c.process(
      sft(
        '我的订单DD20240315000123还没到，我电话13812345678',
        '您好，订单DD20240315000123已发出，快递员会拨打您的手机联系您。',
        { input: '订单号：2024031512345672' },
      ),
    );
    expect(d.action).toBe('keep');
    expect(d.example.messages[0]!.content).toBe('我的订单DD20240315000123还没到，我电话[手机号]');
    expect(d.example.messages[1]!.content).toContain('DD20240315000123');
    expect(d.example.input).toBe('订单号：2024031512345672');
    expect(d.masked).toEqual({ phone: 1 });
    expect(d.reasons).toEqual([{ code: 'pii.phone', field: 'messages[0].content', detail: '1' }]);
  });

  it('masks every field, also in dropped records, and never drops for PII', () => {
    const c = new Cleaner();
    const d = c.process({
      kind: 'preference',
      system: '你是客服',
      messages: [{ role: 'user', content: '收件人：张伟，地址：浙江省杭州市西湖区文三路90号，能改地址吗' }],
      chosen: '好的张伟先生，已为您修改，新地址会同步给快递。',
      rejected: '不能改。',
    });
    expect(d.action).toBe('keep');
    expect(d.example.messages[0]!.content).toBe('收件人：[姓名]，地址：[地址]，能改地址吗');
    expect(d.example.chosen).toBe('好的[姓名]先生，已为您修改，新地址会同步给快递。');
    expect(d.masked).toEqual({ name: 2, address: 1 });
    const junk = c.process(sft('我电话13812345678', '锟斤拷锟斤拷'));
    expect(junk.action).toBe('drop');
    expect(junk.example.messages[0]!.content).toBe('我电话[手机号]');
  });

  it('drops junk with field-level reasons', () => {
    const c = new Cleaner();
    expect(codes(c.process(sft('在吗', '')))).toEqual(['junk.empty']);
    expect(codes(c.process(sft('在吗', '在')))).toEqual(['junk.too_short']);
    expect(codes(c.process(sft('什么时候发货', '好'.repeat(4001))))).toEqual(['junk.too_long']);
    expect(codes(c.process(sft('发货了吗\u0000', '亲，已经发货了哦')))).toEqual(['junk.control']);
    const moji = c.process(sft('ä½ å¥½ï¼Œå‘è´§äº†å—', '您好，已经发货了'));
    expect(moji.reasons).toEqual([
      { code: 'junk.mojibake', field: 'messages[0].content', detail: expect.any(String) },
    ]);
    expect(codes(c.process(sft('请问什么时候发货？', '请问什么时候发货')))).toEqual([
      'junk.repeats_question',
    ]);
    expect(codes(c.process({ kind: 'sft', messages: [] }))).toEqual(['junk.empty']);
  });

  it('does not hold rejected answers to the reply rules', () => {
    const c = new Cleaner();
    const d = c.process({
      kind: 'preference',
      messages: [{ role: 'user', content: '请问什么时候发货？' }],
      chosen: '您好，订单今天下午发出。',
      rejected: '请问什么时候发货？去 www.other.com 看看',
    });
    expect(d.action).toBe('keep');
  });

  it('drops ads in replies and in user turns, honouring the allow-lists', () => {
    const c = new Cleaner(parseCleanConfig({ allow: { domains: ['myshop.com'], phones: ['13800000000'] } }));
    expect(codes(c.process(sft('有优惠吗', '加微信abc12345领优惠券')))).toEqual(['ad.contact']);
    expect(codes(c.process(sft('兼职日结，有意私聊', '您好，请问有什么可以帮您？')))).toEqual([
      'ad.promotion',
    ]);
    expect(codes(c.process(sft('怎么退货', '详见 www.abc.com/tuihuo')))).toEqual(['ad.url']);
    const own = c.process(sft('怎么联系你们', '可以访问 https://www.myshop.com/help 或拨打 138 0000 0000。'));
    expect(own.action).toBe('keep');
    expect(own.example.messages[1]!.content).toContain('138 0000 0000');
  });

  it('drops exact duplicates after normalisation and PII masking', () => {
    const c = new Cleaner();
    expect(c.process(sft('发货了吗？我电话13812345678', '亲，已经发货了哦。', { id: 'a' })).action).toBe(
      'keep',
    );
    const d = c.process(sft('发货了吗?我电话１３９１２３４５６７８', '亲,已经发货了哦.', { id: 'b' }));
    expect(d.reasons).toContainEqual({ code: 'duplicate.exact', field: 'example', detail: 'of a' });
    expect(d.action).toBe('drop');
  });

  it('drops near duplicates including chosen/rejected and keeps the first', () => {
    const c = new Cleaner();
    const pref = (chosen: string, id: string): Example => ({
      kind: 'preference',
      id,
      messages: [
        { role: 'user', content: '我买的XR-2000空气净化器滤网多久换一次？在哪里可以买到原装的滤网？' },
      ],
      chosen,
      rejected: '不清楚，你自己看说明书吧。',
    });
    expect(c.process(pref('您好，建议每三到六个月更换一次滤网，可以在本店购买原装滤网。', 'p1')).action).toBe(
      'keep',
    );
    const near = c.process(pref('您好，建议每三到六个月更换一次滤网，可以在本店购买原装滤网哦！', 'p2'));
    expect(near.action).toBe('drop');
    expect(near.reasons[0]).toMatchObject({
      code: 'duplicate.near',
      detail: expect.stringMatching(/^of p1 /),
    });
    const different = c.process(
      pref('滤网寿命取决于使用环境，灰尘多时两个月一换；原装滤网在店铺首页“配件”分类。', 'p3'),
    );
    expect(different.action).toBe('keep');
  });

  it('does not let dropped junk suppress a later clean copy', () => {
    const c = new Cleaner();
    expect(c.process(sft('发货了吗', '亲，已经发货了哦\u0007')).action).toBe('drop');
    expect(c.process(sft('发货了吗', '亲，已经发货了哦')).action).toBe('keep');
  });

  it('is deterministic and summarises reasons and PII', () => {
    const inputs: Example[] = [];
    for (let i = 0; i < 200; i++) {
      const phone = `139${String(10000000 + i * 7919).slice(0, 8)}`;
      inputs.push(
        sft(
          `订单DD2024${String(i % 50).padStart(6, '0')}什么时候到？电话${phone}`,
          `亲，订单${i % 50}号已发出。`,
        ),
      );
      if (i % 20 === 0) inputs.push(sft('刷单兼职日结', '您好'));
    }
    const run = () => {
      const c = new Cleaner();
      const decisions = inputs.map((e) => c.process(e));
      return { decisions, summary: c.summary() };
    };
    const a = run();
    const b = run();
    expect(b).toEqual(a);
    const s = a.summary;
    expect(s.processed).toBe(inputs.length);
    expect(s.kept + s.dropped).toBe(s.processed);
    // 50 distinct texts, each seen 4 times; templates differing only in the order number are near-duplicates.
    expect(s.kept + (s.reasons['duplicate.near'] ?? 0)).toBe(50);
    expect(s.kept).toBeGreaterThan(0);
    expect(s.reasons['duplicate.exact']).toBe(150);
    expect(s.reasons['ad.promotion']).toBe(10);
    expect(s.masked.phone).toBe(200);
    expect(s.reasons['pii.phone']).toBe(200);
  });

  it('can switch detectors off', () => {
    const c = new Cleaner(
      parseCleanConfig({
        exactDuplicates: false,
        nearDuplicates: { enabled: false },
        ads: { enabled: false },
      }),
    );
    expect(c.process(sft('加微信abc12345', '好的好的')).action).toBe('keep');
    expect(c.process(sft('加微信abc12345', '好的好的')).action).toBe('keep');
  });
});
