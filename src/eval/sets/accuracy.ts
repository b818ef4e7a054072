/**
 * The accuracy set: single-turn questions over the four tasks, each asked as the customer who
 * owns the data, with the facts a correct reply must contain (from the order book), facts it must
 * not contain (another order's amount, another customer's phone), the expected task and tool kind,
 * and a reference answer for BLEU/ROUGE. Deterministic by seed; questions are unique.
 */
import type { Rng } from '../../shop/sample/random.js';
import type { AccuracyCase, EvalTask } from '../types.js';
import { KINDS, type KindSpec } from './accuracy-kinds.js';
import { SHOP_KINDS } from './accuracy-kinds-shop.js';
import { ACCURACY_TEMPLATES } from './phrases.js';
import { otherCustomer, type ShopPools } from './pools.js';

const ALL_KINDS: readonly KindSpec[] = [...KINDS, ...SHOP_KINDS];

export const ACCURACY_KINDS: readonly string[] = ALL_KINDS.map((k) => k.kind);

/**
 * `count` questions spread evenly over the four tasks and, inside a task, over its kinds. A task
 * the shop cannot ask about (τ-bench states no policy windows) leaves its share to the others.
 */
export function generateAccuracySet(rng: Rng, pools: ShopPools, count: number): AccuracyCase[] {
  const out: AccuracyCase[] = [];
  const seen = new Set<string>();
  const draw = (kinds: readonly KindSpec[], quota: number) => {
    let made = 0;
    for (let attempt = 0; made < quota && attempt < quota * 30; attempt++) {
      const spec = kinds[attempt % kinds.length] as KindSpec;
      const draft = spec.draw(rng, pools, rng.pick(ACCURACY_TEMPLATES[spec.kind] ?? []));
      if (!draft) continue;
      // Policy questions repeat by nature; the asking customer keeps them apart.
      const key = `${draft.customerId}|${draft.question}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const leak = otherCustomer(pools, draft.customerId, out.length);
      out.push({
        id: `acc-${String(out.length + 1).padStart(4, '0')}`,
        kind: spec.kind,
        task: spec.task,
        customerId: draft.customerId,
        question: draft.question,
        reference: draft.reference,
        expect: {
          required: draft.required,
          forbidden: [...(draft.forbidden ?? []), ...(leak?.phone ? [leak.phone] : [])],
          task: spec.alsoTask ? [spec.task, spec.alsoTask] : spec.task,
          ...(spec.tool ? { tool: spec.tool } : {}),
          noHandoff: true,
        },
      });
      made++;
    }
  };
  const tasks: EvalTask[] = ['order', 'shipping', 'after_sales', 'product'];
  for (const [i, task] of tasks.entries()) {
    draw(
      ALL_KINDS.filter((k) => k.task === task),
      Math.floor(count / 4) + (i < count % 4 ? 1 : 0),
    );
  }
  if (out.length < count) draw(ALL_KINDS, count - out.length);
  return out;
}
