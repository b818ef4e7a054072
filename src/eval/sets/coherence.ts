/**
 * The coherence set: scripted multi-turn scenarios, each testing one thing a human agent does
 * without thinking: remember the order number (`remember`), resolve 这单/它 (`reference`) and
 * 上一单 (`previous_order`), come back after a side question (`switch_back`), and ask before
 * changing anything (`confirm`: the customer asks to cancel, then declines; nothing may change).
 * A scenario passes only if every turn does. Deterministic by seed.
 */
import type { Rng } from '../../shop/sample/random.js';
import type { Order } from '../../shop/types.js';
import type { CoherenceScenario, Fact, ScenarioTurn, TurnExpectation } from '../types.js';
import { moneyFact } from './facts.js';
import { fill, COHERENCE_TEMPLATES as T } from './phrases.js';
import { type ShopPools, statusFact } from './pools.js';

export const COHERENCE_KINDS = ['remember', 'reference', 'previous_order', 'switch_back', 'confirm'] as const;

function expect(required: Fact[], extra: Partial<TurnExpectation> = {}): TurnExpectation {
  return { required, forbidden: [], noHandoff: true, ...extra };
}

function openTurn(rng: Rng, pools: ShopPools, order: Order): ScenarioTurn {
  return {
    say: fill(rng.pick(T.open), { id: order.id }),
    expect: expect([statusFact(pools, order)], { tool: ['order_lookup', 'shipment_track'] }),
  };
}

function build(kind: string, rng: Rng, pools: ShopPools): Omit<CoherenceScenario, 'id' | 'kind'> | undefined {
  const policy = pools.snapshot.policy;
  switch (kind) {
    case 'remember': {
      const o = rng.pick(pools.orders);
      const turns = [
        openTurn(rng, pools, o),
        { say: rng.pick(T.amountFollow), expect: expect([moneyFact(o.payment.amount)], { noReask: true }) },
      ];
      return { customerId: o.customerId, turns };
    }
    case 'reference': {
      if (!pools.shipped.length) return undefined;
      const { order, shipment } = rng.pick(pools.shipped);
      const turns = [
        openTurn(rng, pools, order),
        {
          say: rng.pick(T.carrierFollow),
          expect: expect([[shipment.carrier, shipment.trackingNumber]], {
            noReask: true,
            tool: 'shipment_track',
          }),
        },
      ];
      return { customerId: order.customerId, turns };
    }
    case 'previous_order': {
      if (!pools.repeatBuyers.length) return undefined;
      const c = rng.pick(pools.repeatBuyers);
      const list = pools.snapshot.ordersOf.get(c.id) ?? [];
      const first = rng.pick(list);
      const second = list.find((o) => o.id !== first.id && o.status !== first.status);
      if (!second) return undefined;
      const turns = [
        openTurn(rng, pools, first),
        {
          say: `再帮我看看${second.id}`,
          expect: expect([statusFact(pools, second)], { tool: ['order_lookup', 'shipment_track'] }),
        },
        {
          say: rng.pick(T.previousStatus),
          expect: expect([statusFact(pools, first)], { noReask: true }),
        },
      ];
      return { customerId: c.id, turns };
    }
    case 'switch_back': {
      const o = rng.pick(pools.orders);
      const side = rng.int(0, T.switchTopic.length - 1);
      // A side question about a number the shop does not state (no free-shipping threshold, no
      // refund time) has no answer to expect: draw another scenario. Invoices fall back to '发票'.
      const stated = [true, Boolean(policy.refundDaysOriginal), policy.freeShippingThreshold > 0];
      if (!stated[side]) return undefined;
      const sideFacts: Fact[] = [
        policy.invoiceKinds.length ? [...policy.invoiceKinds] : ['发票'],
        policy.refundDaysOriginal,
        moneyFact(policy.freeShippingThreshold),
      ];
      const turns = [
        openTurn(rng, pools, o),
        { say: T.switchTopic[side] as string, expect: expect([sideFacts[side] as Fact]) },
        { say: rng.pick(T.comeBack), expect: expect([statusFact(pools, o)], { noReask: true }) },
      ];
      return { customerId: o.customerId, turns };
    }
    case 'confirm': {
      const open = pools.cancellable;
      if (!open.length) return undefined;
      const o = rng.pick(open);
      const turns = [
        {
          say: fill(rng.pick(T.cancelAsk), { id: o.id }),
          expect: expect([], { asksConfirmation: true, noMutation: true }),
        },
        { say: rng.pick(T.cancelDecline), expect: expect([], { noMutation: true }) },
      ];
      return { customerId: o.customerId, turns };
    }
    default:
      return undefined;
  }
}

/** `count` scenarios, the kinds in turn. */
export function generateCoherenceSet(rng: Rng, pools: ShopPools, count: number): CoherenceScenario[] {
  const out: CoherenceScenario[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; out.length < count && attempt < count * 30; attempt++) {
    const kind = COHERENCE_KINDS[attempt % COHERENCE_KINDS.length] as string;
    const draft = build(kind, rng, pools);
    if (!draft) continue;
    const key = `${draft.customerId}|${draft.turns.map((t) => t.say).join('|')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: `coh-${String(out.length + 1).padStart(3, '0')}`, kind, ...draft });
  }
  return out;
}
