/**
 * How a fact from the data may be spelled in a reply: money (¥129.90 / 129.90元), day counts
 * (7天 / 七天), warranty months (12个月 / 一年), dates (2024-07-03 / 7月3日). Each helper returns the
 * any-of list a `Fact` holds. Pure functions.
 */
import type { Fen } from '../../shop/types.js';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1..99 in Chinese numerals (七, 十五, 三十). */
export function chineseNumber(n: number): string {
  if (n <= 10) return DIGITS[n] ?? String(n);
  if (n < 20) return `十${DIGITS[n - 10]}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** 12990 → ['129.90', '129.9元'] (and '129元' for whole yuan). */
export function moneyFact(fen: Fen): string[] {
  const whole = Math.floor(Math.abs(fen) / 100);
  const cents = Math.abs(fen) % 100;
  const out = [`${whole}.${String(cents).padStart(2, '0')}`];
  if (cents === 0) out.push(`${whole}元`);
  else if (cents % 10 === 0) out.push(`${whole}.${cents / 10}元`);
  return out;
}

export function daysFact(days: number): string[] {
  return [`${days}天`, `${chineseNumber(days)}天`, `${days}日`];
}

export function hoursFact(hours: number): string[] {
  return [`${hours}小时`, `${chineseNumber(hours)}小时`];
}

export function monthsFact(months: number): string[] {
  const out = [`${months}个月`, `${chineseNumber(months)}个月`];
  if (months % 12 === 0) {
    const years = months / 12;
    out.push(`${years}年`, `${years === 2 ? '两' : chineseNumber(years)}年`);
  }
  return out;
}

/** '2024-07-03T…' → ['2024-07-03', '7月3日', '07-03']. */
export function dateFact(isoTime: string): string[] {
  const month = Number(isoTime.slice(5, 7));
  const day = Number(isoTime.slice(8, 10));
  return [isoTime.slice(0, 10), `${month}月${day}日`, `${month}月${day}号`, isoTime.slice(5, 10)];
}

/** The first spelling of a fact, for reference answers. */
export function firstSpelling(fact: string | readonly string[]): string {
  return typeof fact === 'string' ? fact : (fact[0] ?? '');
}
