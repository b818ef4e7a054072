/**
 * Shipments for the sample shop: carrier choice, tracking numbers in each carrier's real format,
 * and a hub-to-hub event timeline (揽收 → 转运中心 → 营业部 → 派送 → 签收) cut off at the shop's
 * "now" for parcels still on the way. Deterministic for a given Rng. Does not decide order status.
 */
import type { Address, Carrier, Shipment, ShipmentEvent } from '../types.js';
import { DAY, HOUR, iso } from './format.js';
import { CITIES } from './people.js';
import type { Rng } from './random.js';

export const CARRIERS: readonly (readonly [Carrier, number])[] = [
  ['顺丰', 0.3],
  ['中通', 0.25],
  ['圆通', 0.2],
  ['京东', 0.15],
  ['EMS', 0.1],
];

export const WAREHOUSES = ['杭州', '广州', '武汉', '北京', '成都'];

/** Carrier hotline, quoted in the shipping policy ('' when unknown). */
export const CARRIER_HOTLINE: Record<Carrier, string> = {
  顺丰: '95338',
  中通: '95311',
  圆通: '95554',
  京东: '950616',
  EMS: '11183',
  其他: '',
};

/** A tracking number in the carrier's usual shape (SF + 13 digits, YT + 13 digits …). */
export function trackingNumber(carrier: Carrier, rng: Rng): string {
  switch (carrier) {
    case '顺丰':
      return `SF${rng.int(1, 9)}${rng.digits(12)}`;
    case '中通':
      return `7${rng.int(3, 8)}${rng.digits(12)}`;
    case '圆通':
      return `YT${rng.int(1, 9)}${rng.digits(12)}`;
    case '京东':
      return `JD00${rng.int(1, 9)}${rng.digits(10)}`;
    case 'EMS':
      return `E${rng.letters(1, 'ABCDJKLMNPQRSTUVWXY')}${rng.digits(9)}CN`;
    case '其他':
      return rng.digits(12);
  }
}

/** The transport hub name for an address' city. */
export function hubOf(address: Address): string {
  return CITIES.find((c) => c.city === address.city)?.hub ?? address.city.replace(/市$/, '');
}

const SIGNERS = ['本人签收', '家门口', '快递柜', '菜鸟驿站', '前台代收', '物业代收'];

export interface ShipmentPlan {
  orderId: string;
  address: Address;
  shippedAt: number;
  now: number;
  /** true when the parcel must still be on the way at `now`. */
  inTransit: boolean;
}

export function makeShipment(plan: ShipmentPlan, rng: Rng): { shipment: Shipment; deliveredAt?: number } {
  const carrier = rng.weighted(CARRIERS);
  const fast = carrier === '顺丰' || carrier === '京东';
  const origin = rng.pick(WAREHOUSES);
  const dest = hubOf(plan.address);
  const station = `${dest}${plan.address.district}营业部`;
  const steps: [number, string, string][] = [];
  let t = plan.shippedAt;
  const add = (hours: [number, number], location: string, description: string) => {
    t += rng.int(hours[0] * 60, hours[1] * 60) * 60_000;
    steps.push([t, location, description]);
  };
  steps.push([t, `${origin}仓`, `商家已发货，${carrier}快递已揽收`]);
  add([2, 6], `${origin}转运中心`, `快件已到达【${origin}转运中心】`);
  if (origin !== dest) {
    add([1, 3], `${origin}转运中心`, `快件已从【${origin}转运中心】发出，下一站【${dest}转运中心】`);
    add(fast ? [8, 18] : [14, 40], `${dest}转运中心`, `快件已到达【${dest}转运中心】`);
  }
  add([1, 4], `${dest}转运中心`, `快件已从【${dest}转运中心】发出，下一站【${station}】`);
  add([3, 8], station, `快件已到达【${station}】`);
  add([1, 2], station, '快递员正在为您派送，请保持电话畅通');
  add([1, 5], station, `已签收（${rng.pick(SIGNERS)}），感谢使用${carrier}快递`);

  let kept = steps;
  if (plan.inTransit) {
    kept = steps.filter(([time]) => time <= plan.now);
    if (kept.length >= steps.length) kept = steps.slice(0, steps.length - rng.int(1, 3));
    if (kept.length < 2) kept = steps.slice(0, 2).map(([, l, d], i) => [plan.now - (2 - i) * HOUR, l, d]);
  }
  const events: ShipmentEvent[] = kept.map(([time, location, description]) => ({
    time: iso(time),
    location,
    description,
  }));
  const last = kept[kept.length - 1]!;
  const delivered = kept.length === steps.length;
  const status = delivered ? 'delivered' : last[2].startsWith('快递员') ? 'out_for_delivery' : 'in_transit';
  const eta = plan.shippedAt + (fast ? rng.int(1, 2) : rng.int(2, 4)) * DAY;
  return {
    shipment: {
      orderId: plan.orderId,
      carrier,
      trackingNumber: trackingNumber(carrier, rng),
      status,
      shippedAt: iso(plan.shippedAt),
      estimatedDelivery: iso(Math.max(eta, status === 'delivered' ? 0 : plan.now + 4 * HOUR)).slice(0, 10),
      events,
    },
    ...(delivered ? { deliveredAt: last[0] } : {}),
  };
}
