import { describe, expect, it } from 'vitest';
import { buildSampleShop } from '../../shop/sample/write.js';
import { snapshotFromShop } from '../shop-snapshot.js';
import { generateEvalSets } from './generate.js';

const snapshot = snapshotFromShop(buildSampleShop({ seed: 42, scale: 0.1 }).shop);
const accuracy = generateEvalSets(snapshot, 7).accuracy;

describe('order-book accuracy kinds', () => {
  it('asks for a product option axis with values taken from its variants', () => {
    const cases = accuracy.filter((c) => c.kind === 'product.options');
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const product = snapshot.products.find((p) => c.question.includes(p.name));
      const values = new Set(product?.variants.flatMap((v) => Object.values(v.options)));
      for (const fact of c.expect.required) expect(values.has(fact as string)).toBe(true);
    }
  });

  it('expects in stock or out of stock as the named variant is', () => {
    const cases = accuracy.filter((c) => c.kind === 'product.stock');
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const [any] = c.expect.required as string[][];
      const product = snapshot.products.find((p) => c.question.includes(p.name))!;
      const variant = product.variants.find(
        (v) =>
          c.question.includes(`（${Object.values(v.options).join(' ')}）`) ||
          c.question.includes(` ${Object.values(v.options).join(' ')}这款`),
      );
      if (variant) expect(any!.includes(variant.stock > 0 ? '有货' : '缺货')).toBe(true);
    }
  });

  it('expects the order payment method', () => {
    const cases = accuracy.filter((c) => c.kind === 'order.payment');
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const order = [...snapshot.orders.values()].find((o) => c.question.includes(o.id));
      expect(c.expect.required).toEqual([order?.payment.method]);
    }
  });

  it('expects a return to be possible only for a delivered order inside the window', () => {
    const cases = accuracy.filter((c) => c.kind === 'after_sales.eligibility');
    expect(cases.length).toBeGreaterThan(10);
    const answers = new Set<boolean>();
    for (const c of cases) {
      const order = [...snapshot.orders.values()].find((o) => c.question.includes(o.id))!;
      const can = (c.expect.required as string[][])[0]!.includes('可申请');
      answers.add(can);
      if (can) {
        expect(order.status).toBe('delivered');
        const days = (Date.parse(snapshot.now) - Date.parse(order.deliveredAt!)) / 86_400_000;
        expect(days).toBeLessThan(snapshot.policy.returnDays);
      } else expect(['pending', 'paid', 'shipped', 'cancelled']).toContain(order.status);
    }
    expect([...answers].sort()).toEqual([false, true]);
  });
});
