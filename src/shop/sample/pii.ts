/**
 * Fake personal data for noise injection: mobile numbers in several spellings (plain,
 * '+86 138 1234 5678', full-width digits), 18-digit resident ID numbers with a valid GB 11643
 * check digit, bank card numbers passing the Luhn check, e-mail and street addresses; plus the
 * validators the tests use. All values are random, not real people's.
 */
import { CITIES, mobile, randomEmail, streetAddress } from './people.js';
import type { Rng } from './random.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idCardCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export function isValidIdCard(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCardCheckDigit(id.slice(0, 17)) === id[17];
}

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

export function luhnValid(digits: string): boolean {
  const s = digits.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let n = Number(s[s.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return s.length >= 12 && sum % 10 === 0;
}

const BINS = ['622202', '621700', '622848', '622588', '621226', '625907', '436742'];

export function bankCardNumber(rng: Rng): string {
  const len = rng.chance(0.7) ? 19 : 16;
  const body = rng.pick(BINS) + rng.digits(len - 7);
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
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
