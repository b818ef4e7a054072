import { describe, expect, it } from 'vitest';
import { readShop } from '../../shop/import/import-shop.js';
import { buildSampleShop } from '../../shop/sample/write.js';
import { containsFact } from '../grade/text.js';
import { snapshotFromShop, snapshotFromShopData } from '../shop-snapshot.js';
import { EVAL_TASKS } from '../types.js';
import { ACCURACY_KINDS } from './accuracy.js';
import { COHERENCE_KINDS } from './coherence.js';
import { generateEvalSets } from './generate.js';

const sample = buildSampleShop({ seed: 42, scale: 0.1 });
const snapshot = snapshotFromShop(sample.shop);

describe('eval sets from the sample shop', () => {
  const sets = generateEvalSets(snapshot, 7);

  it('has the sizes the seed asks for, spread over tasks and kinds', () => {
    expect(sets.accuracy.length).toBe(1000);
    expect(sets.coherence.length).toBe(100);
    expect(sets.replacement.length).toBe(100);
    expect(sets.safety.length).toBe(60);
    for (const task of EVAL_TASKS) expect(sets.accuracy.filter((c) => c.task === task).length).toBe(250);
    expect(new Set(sets.accuracy.map((c) => c.kind))).toEqual(new Set(ACCURACY_KINDS));
    expect(new Set(sets.coherence.map((c) => c.kind))).toEqual(new Set(COHERENCE_KINDS));
    expect(new Set(sets.replacement.map((c) => c.goal))).toEqual(
      new Set(['track', 'cancel', 'return', 'exchange', 'policy', 'person']),
    );
    expect(new Set(sets.safety.map((c) => c.kind))).toEqual(
      new Set(['other_customer', 'injection', 'extraction']),
    );
    expect(new Set(sets.accuracy.map((c) => c.id)).size).toBe(1000);
    expect(new Set(sets.accuracy.map((c) => `${c.customerId}|${c.question}`)).size).toBe(1000);
  });

  it('is deterministic by seed', () => {
    expect(JSON.stringify(generateEvalSets(snapshot, 7))).toBe(JSON.stringify(sets));
    expect(JSON.stringify(generateEvalSets(snapshot, 8).accuracy)).not.toBe(JSON.stringify(sets.accuracy));
  });

  it('asks as the customer who owns the order, with facts from the data', () => {
    for (const c of sets.accuracy) {
      expect(c.expect.required.length).toBeGreaterThan(0);
      const id = c.question.match(/DD\d{14}/)?.[0];
      if (id) expect(snapshot.orders.get(id)?.customerId).toBe(c.customerId);
      // The reference answer (for BLEU/ROUGE) carries every required fact: the two agree.
      for (const fact of c.expect.required) expect(containsFact(c.reference, fact)).toBe(true);
    }
    const safety = sets.safety.filter((s) => s.kind === 'other_customer');
    for (const s of safety)
      expect(snapshot.orders.get(s.watchOrders[0] as string)?.customerId).not.toBe(s.customerId);
  });

  it('uses each order for at most one changing goal', () => {
    const changed = sets.replacement.flatMap((s) => s.changes.map((c) => c.orderId));
    expect(new Set(changed).size).toBe(changed.length);
    for (const s of sets.replacement.filter((r) => r.goal === 'cancel')) {
      expect(['pending', 'paid']).toContain(snapshot.orders.get(s.knows.orderId as string)?.status);
    }
  });

  it('asks for exchanges the shop’s 同款同价 rule allows: the target costs what the item cost', () => {
    for (const s of sets.replacement.filter((r) => r.goal === 'exchange')) {
      const order = snapshot.orders.get(s.knows.orderId as string)!;
      const change = s.changes[0] as { exchangeSku: string };
      const target = snapshot.products.flatMap((p) => p.variants).find((v) => v.sku === change.exchangeSku)!;
      expect(order.items.some((i) => i.unitPrice === target.price)).toBe(true);
    }
  });

  it('is held out: no question appears verbatim in the training dialogues', () => {
    const training = new Set<string>();
    for (const r of [...sample.sft, ...sample.faq]) {
      training.add(r.instruction.trim());
      for (const [user] of r.history ?? []) training.add(user.trim());
    }
    const asked = [
      ...sets.accuracy.map((c) => c.question),
      ...sets.coherence.flatMap((s) => s.turns.map((t) => t.say)),
      ...sets.replacement.map((s) => s.opening),
      ...sets.safety.map((s) => s.message),
    ];
    const reused = asked.filter((q) => training.has(q.trim()));
    expect(reused).toEqual([]);
  });
});

describe('eval sets from the imported τ-bench shop', () => {
  it('still makes 1,000 questions although τ-bench states no policy windows', async () => {
    const data = await readShop('/work/shared/data/tau-bench-retail', {
      format: 'tau-bench',
      now: '2024-07-01T10:00:00+08:00',
    });
    const sets = generateEvalSets(snapshotFromShopData(data), 3);
    expect(sets.accuracy.length).toBe(1000);
    expect(sets.accuracy.some((c) => c.kind === 'after_sales.return_window')).toBe(false);
    expect(sets.accuracy.filter((c) => c.question.includes('#W')).length).toBeGreaterThan(200);
    expect(sets.coherence.length).toBe(100);
    expect(sets.replacement.length).toBe(100);
    // τ-bench's policy: only a 'pending' order can be cancelled (processed imports as paid).
    const tauStatus = (id: string) =>
      (data.orders.find((o) => o.id === id)?.source as { status?: string })?.status;
    for (const s of sets.replacement.filter((r) => r.goal === 'cancel'))
      expect(tauStatus(s.knows.orderId as string)).toMatch(/^pending/);
    for (const s of sets.coherence.filter((c) => c.kind === 'confirm'))
      expect(tauStatus(s.turns[0]!.say.match(/#W\d{7}/)![0])).toMatch(/^pending/);
    // No policy goal or side question expects a number τ-bench does not state ("0天", "0元").
    expect(sets.replacement.some((r) => r.goal === 'policy')).toBe(false);
    const sides = sets.coherence.filter((c) => c.kind === 'switch_back').map((c) => c.turns[1]!.say);
    expect(sides.some((say) => say.includes('包邮'))).toBe(false);
  });
});
