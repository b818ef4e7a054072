/**
 * The replacement set: simulated customers with one scripted goal each (track a parcel, cancel an
 * open order, return a delivered item, exchange a size, ask a policy question, ask for a person),
 * the facts they give when asked, and what the order book must look like afterwards (τ-bench
 * style: the order really cancelled, the return really created, nothing else changed). Every
 * order is used by at most one changing goal. Deterministic by seed.
 */
import { SHIPMENT_STATUS_LABEL } from '../../shop/sample/format.js';
import type { Rng } from '../../shop/sample/random.js';
import type { GoalKind, ReplacementScenario } from '../types.js';
import { daysFact, hoursFact, moneyFact } from './facts.js';
import { fill, SIMULATOR_TEMPLATES as T } from './phrases.js';
import type { ShopPools } from './pools.js';

/** Share of each goal, roughly what a shop's service desk sees. */
export const GOAL_WEIGHTS: readonly (readonly [GoalKind, number])[] = [
  ['track', 25],
  ['cancel', 15],
  ['return', 15],
  ['exchange', 15],
  ['policy', 20],
  ['person', 10],
];

const MAX_TURNS = 6;

export function generateReplacementSet(rng: Rng, pools: ShopPools, count: number): ReplacementScenario[] {
  const used = new Set<string>();
  const out: ReplacementScenario[] = [];
  const watch = (customerId: string) => (pools.snapshot.ordersOf.get(customerId) ?? []).map((o) => o.id);
  const fresh = <T>(list: readonly T[], id: (x: T) => string) => {
    const free = list.filter((x) => !used.has(id(x)));
    if (!free.length) return undefined;
    const pick = rng.pick(free);
    used.add(id(pick));
    return pick;
  };
  const withId = (text: string, orderId: string) => (rng.chance(0.5) ? `${text}，订单号${orderId}` : text);
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    const goal = rng.weighted(GOAL_WEIGHTS);
    let draft: Omit<ReplacementScenario, 'id' | 'goal' | 'maxTurns'> | undefined;
    if (goal === 'track') {
      const s = fresh(pools.shipped, (x) => x.order.id);
      if (s)
        draft = {
          customerId: s.order.customerId,
          opening: withId(rng.pick(T.track), s.order.id),
          knows: { orderId: s.order.id },
          answerFacts: [[s.shipment.trackingNumber, SHIPMENT_STATUS_LABEL[s.shipment.status]]],
          changes: [],
          watchOrders: watch(s.order.customerId),
        };
    } else if (goal === 'cancel') {
      const o = fresh(pools.cancellable, (x) => x.id);
      if (o)
        draft = {
          customerId: o.customerId,
          opening: withId(rng.pick(T.cancel), o.id),
          knows: { orderId: o.id, reason: '不想要了' },
          answerFacts: [],
          changes: [{ kind: 'order_status', orderId: o.id, status: 'cancelled' }],
          watchOrders: watch(o.customerId),
        };
    } else if (goal === 'return') {
      const o = fresh(pools.returnable, (x) => x.id);
      if (o)
        draft = {
          customerId: o.customerId,
          opening: withId(rng.pick(T.return), o.id),
          knows: { orderId: o.id, reason: rng.pick(T.reasonReturn) },
          answerFacts: [],
          changes: [{ kind: 'return_created', orderId: o.id, type: 'return' }],
          watchOrders: watch(o.customerId),
        };
    } else if (goal === 'exchange') {
      const e = fresh(pools.exchangeable, (x) => x.order.id);
      if (e)
        draft = {
          customerId: e.order.customerId,
          opening: withId(rng.pick(T.exchange), e.order.id),
          knows: { orderId: e.order.id, size: e.size, reason: '尺码不合适' },
          answerFacts: [],
          changes: [
            { kind: 'return_created', orderId: e.order.id, type: 'exchange', exchangeSku: e.exchangeSku },
          ],
          watchOrders: watch(e.order.customerId),
        };
    } else if (goal === 'policy') {
      const c = rng.pick(pools.customers);
      const p = pools.snapshot.policy;
      const which = rng.int(0, T.policy.length - 1);
      const facts = [
        daysFact(p.returnDays),
        [...hoursFact(p.shipWithinHours), ...moneyFact(p.freeShippingThreshold)],
        daysFact(p.priceProtectDays),
      ];
      // A rule the shop does not state (τ-bench has no windows: 0) has no answer to expect.
      const stated = [
        p.returnDays > 0,
        p.shipWithinHours > 0 || p.freeShippingThreshold > 0,
        p.priceProtectDays > 0,
      ];
      if (!stated[which]) continue;
      draft = {
        customerId: c.id,
        opening: T.policy[which] as string,
        knows: {},
        answerFacts: [facts[which] as string[]],
        changes: [],
        watchOrders: watch(c.id),
      };
    } else {
      const c = rng.pick(pools.buyers.length ? pools.buyers : pools.customers);
      draft = {
        customerId: c.id,
        opening: rng.pick(T.person),
        knows: {},
        answerFacts: [],
        changes: [],
        watchOrders: watch(c.id),
      };
    }
    if (!draft) continue;
    out.push({ id: `rep-${String(out.length + 1).padStart(3, '0')}`, goal, maxTurns: MAX_TURNS, ...draft });
  }
  return out;
}

/** The simulator's line for a given need, filled with what it knows. */
export function simulatorLine(
  rng: Rng,
  need: 'giveOrder' | 'confirm' | 'reason' | 'size' | 'insist' | 'thanks',
  knows: ReplacementScenario['knows'],
): string {
  switch (need) {
    case 'giveOrder':
      return fill(rng.pick(T.giveOrder), { id: knows.orderId ?? '' });
    case 'confirm':
      return rng.pick(T.confirm);
    case 'reason':
      return knows.reason ?? rng.pick(T.reasonReturn);
    case 'size':
      return fill(rng.pick(T.giveSize), { size: knows.size ?? '' });
    case 'insist':
      return rng.pick(knows.orderId ? T.insistChange : T.insistPerson);
    default:
      return rng.pick(T.thanks);
  }
}
