/**
 * Fake personal data for noise injection: mobile numbers in several spellings (plain,
 * '+86 138 1234 5678', full-width digits), 18-digit resident ID numbers with a valid GB 11643
 * check digit, bank card numbers passing the Luhn check, e-mail and street addresses. The check
 * digit and validators are the cleaner's (data/clean/pii.ts), so generator and cleaner agree.
 * All values are random, not real people's.
 */
import { idCardCheckDigit, passesLuhn } from '../../data/clean/pii.js';
import { CITIES, mobile, randomEmail, streetAddress } from './people.js';
import type { Rng } from './random.js';

const REGIONS = [
  '110105',
  '310104',
  '440106',
  '440305',
  '330106',
  '320102',
  '510107',
  '420111',
  '610113',
  '500103',
];

export function idCardNumber(rng: Rng): string {
  const y = rng.int(1960, 2004);
  const m = String(rng.int(1, 12)).padStart(2, '0');
  const d = String(rng.int(1, 28)).padStart(2, '0');
  const first17 = `${rng.pick(REGIONS)}${y}${m}${d}${rng.digits(3)}`;
  return first17 + idCardCheckDigit(first17);
}

const BINS = ['622202', '621700', '622848', '622588', '621226', '625907', '436742'];

export function bankCardNumber(rng: Rng): string {
  const len = rng.chance(0.7) ? 19 : 16;
  const body = rng.pick(BINS) + rng.digits(len - 7);
  for (let d = 0; d <= 9; d++) if (passesLuhn(body + d)) return body + d;
  throw new Error('unreachable: one check digit always fits');
}

const FULL_WIDTH = (s: string) => s.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A mobile number in one of several spellings. */
export function phoneSpelling(rng: Rng): string {
  const p = mobile(rng);
  return rng.weighted([
    [p, 0.5],
    [`+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`, 0.2],
    [`${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`, 0.1],
    [FULL_WIDTH(p), 0.2],
  ] as const);
}

export function bankCardSpelling(rng: Rng): string {
  const n = bankCardNumber(rng);
  return rng.chance(0.3) ? n.replace(/(\d{4})(?=\d)/g, '$1 ') : n;
}

export function email(rng: Rng): string {
  return randomEmail(rng);
}

export function postalAddress(rng: Rng): string {
  const c = rng.pick(CITIES);
  return `${c.province === c.city ? '' : c.province}${c.city}${rng.pick(c.districts)}${streetAddress(rng)}`;
}
