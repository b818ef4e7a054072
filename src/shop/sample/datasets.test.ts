/**
 * Tests of the generated shop and datasets (scale 0.1, seed 42): volumes, ratios, shop
 * consistency, tracking-number formats, grounding of order/shipping replies in the order book,
 * preference rejections, and the injected noise (duplicates, valid ID/Luhn PII).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidIdCard, passesLuhn } from '../../data/clean/pii.js';
import type { SftRecord } from '../types.js';
import { ORDER_STATUS_LABEL, RETURN_STATUS_LABEL, SHIPMENT_STATUS_LABEL } from './format.js';
import { buildSampleShop, type SampleData } from './write.js';

let data: SampleData;
beforeAll(() => {
  data = buildSampleShop({ seed: 42, scale: 0.1 });
});

const TRACKING: Record<string, RegExp> = {
  顺丰: /^SF\d{13}$/,
  中通: /^7\d{13}$/,
  圆通: /^YT\d{13}$/,
  京东: /^JD\d{13}$/,
  EMS: /^E[A-Z]\d{9}CN$/,
};
const ANY_TRACKING = /SF\d{13}|YT\d{13}|JD\d{13}|(?<!\d)7\d{13}(?!\d)|E[A-Z]\d{9}CN/g;

const field = (input: string, key: string) => input.match(new RegExp(`^${key}: (.*)$`, 'm'))?.[1];
const text = (r: SftRecord) => [r.instruction, r.input, r.output, ...(r.history ?? []).flat()].join('\n');

describe('shop', () => {
  it('has the required volumes', () => {
    const { shop } = data;
    expect(shop.products.length).toBeGreaterThanOrEqual(200);
    expect(new Set(shop.products.map((p) => p.category)).size).toBeGreaterThanOrEqual(7);
    expect(shop.customers.length).toBeGreaterThanOrEqual(500);
    expect(shop.orders.length).toBeGreaterThanOrEqual(2000);
    expect(shop.returns.some((r) => r.type === 'exchange')).toBe(true);
    expect(
      shop.products.every((p) => p.variants.length > 0 && p.variants.every((v) => Number.isInteger(v.price))),
    ).toBe(true);
  });

  it('keeps order ids, times and statuses consistent', () => {
    const ids = new Set<string>();
    for (const o of data.shop.orders) {
      expect(o.id).toMatch(/^DD\d{14}$/);
      expect(o.id.slice(2, 10)).toBe(o.createdAt.slice(0, 10).replaceAll('-', ''));
      ids.add(o.id);
      expect(o.createdAt <= data.shop.now).toBe(true);
      if (o.payment.paidAt) expect(o.payment.paidAt >= o.createdAt).toBe(true);
      if (o.deliveredAt) expect(o.deliveredAt > o.shippedAt! && o.deliveredAt <= data.shop.now).toBe(true);
      const sum = o.items.reduce((s, it) => s + it.unitPrice * it.quantity, 0) + o.shippingFee;
      expect(o.payment.amount).toBe(sum);
    }
    expect(ids.size).toBe(data.shop.orders.length);
  });

  it('uses each carrier’s tracking-number format and ordered events', () => {
    for (const s of data.shop.shipments) {
      expect(s.trackingNumber).toMatch(TRACKING[s.carrier]!);
      const times = s.events.map((e) => e.time);
      expect([...times].sort()).toEqual(times);
      expect(s.events.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('datasets', () => {
  it('has the volumes, task mix and multi-turn share', () => {
    expect(data.sft.length).toBe(1000);
    expect(data.faq.length).toBe(500);
    expect(data.preference.length).toBe(100);
    const multi = data.sft.filter((r) => (r.history?.length ?? 0) > 0).length;
    expect(multi / data.sft.length).toBeGreaterThanOrEqual(0.3);
    expect(new Set(data.sft.map((r) => r.task))).toEqual(
      new Set(['order', 'shipping', 'after_sales', 'product']),
    );
    expect(data.sft.some((r) => r.output.includes('转人工') || r.output.includes('转接人工'))).toBe(true);
    expect(data.sft.some((r) => /上一单/.test(r.instruction))).toBe(true);
    expect(new Set(data.preference.map((p) => p.rejection)).size).toBe(6);
  });

  it('grounds order and shipping replies in the order book', () => {
    const orders = new Map(data.shop.orders.map((o) => [o.id, o]));
    const ships = new Map(data.shop.shipments.map((s) => [s.orderId, s]));
    let checked = 0;
    for (const r of data.sft) {
      if (r.task !== 'order' && r.task !== 'shipping') continue;
      const id = field(r.input, '订单号');
      if (!id) continue;
      const order = orders.get(id);
      expect(order, id).toBeDefined();
      const status = field(r.input, '状态');
      if (status) expect(status).toBe(ORDER_STATUS_LABEL[order!.status]);
      const tracking = field(r.input, '运单号');
      if (tracking) expect(tracking).toBe(ships.get(id)!.trackingNumber);
      const carrier = field(r.input, '承运商');
      if (carrier) expect(carrier).toBe(ships.get(id)!.carrier);
      for (const m of r.output.match(/DD\d{14}/g) ?? []) expect(r.input).toContain(m);
      for (const m of r.output.match(ANY_TRACKING) ?? []) expect(m).toBe(ships.get(id)?.trackingNumber);
      const label = r.output.match(/当前状态为「(.+?)」/)?.[1];
      if (label) expect(label).toBe(ORDER_STATUS_LABEL[order!.status]);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('makes every wrong_fact rejection differ from chosen in a fact of the prompt', () => {
    const wrong = data.preference.filter((p) => p.rejection === 'wrong_fact');
    expect(wrong.length).toBeGreaterThan(5);
    const labels = [
      ...Object.values(ORDER_STATUS_LABEL),
      ...Object.values(RETURN_STATUS_LABEL),
      ...Object.values(SHIPMENT_STATUS_LABEL),
    ];
    for (const p of wrong) {
      expect(p.rejected).not.toBe(p.chosen);
      const values = [...p.prompt.matchAll(/^[^:\n]+: (.+)$/gm)].map((m) => m[1]!).concat(labels);
      const dropped = values.filter((v) => p.chosen.includes(v) && !p.rejected.includes(v));
      expect(dropped.length, p.rejected).toBeGreaterThan(0);
    }
  });

  it('injects at least 5% noise and reports it in the manifest', () => {
    for (const [name, records] of [
      ['sft', data.sft],
      ['faq', data.faq],
    ] as const) {
      const counts = data.manifest.noise[name];
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total / records.length).toBeGreaterThanOrEqual(0.05);
      const keys = records.map((r) => JSON.stringify(r));
      const exactDupes = keys.length - new Set(keys).size;
      expect(exactDupes).toBeGreaterThanOrEqual(counts.duplicate_exact);
      const all = records.map(text).join('\n');
      expect(/锟斤拷|Ã|\uFFFD|å|ï¿½/.test(all)).toBe(true);
      expect(/加微信|https?:\/\/|VX：|QQ群|公众号/.test(all)).toBe(true);
    }
    expect(JSON.stringify(data.sft)).not.toMatch(/noise|injected/i);
  });

  it('injects ID numbers with valid checksums and bank cards passing Luhn', () => {
    const all = [...data.sft, ...data.faq].map((r) => r.instruction).join('\n');
    const ids = all.match(/(?<!\d)\d{17}[\dX](?!\d)/g) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(isValidIdCard(id), id).toBe(true);
    const cards = (all.match(/(?:卡|卡号)(?:是)?(\d[\d ]{14,22}\d)/g) ?? []).map((m) => m.replace(/\D/g, ''));
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(passesLuhn(c), c).toBe(true);
    expect(all).toMatch(/\+86 1\d{2} \d{4} \d{4}|[１-９][０-９]{10}/);
  });
});
