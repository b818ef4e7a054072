/** Tests for the seeded PRNG and the PII generators/validators used by the noise injector. */
import { describe, expect, it } from 'vitest';
import { idCardCheckDigit, isValidIdCard, passesLuhn } from '../../data/clean/pii.js';
import { bankCardNumber, idCardNumber, phoneSpelling } from './pii.js';
import { Rng } from './random.js';

describe('Rng', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
  });

  it('forks depend on the label only, not on draws made before', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    b.next();
    expect(a.fork('x').next()).toBe(b.fork('x').next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
  });

  it('keeps helpers in range', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
    expect(r.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(r.digits(12)).toMatch(/^\d{12}$/);
    expect(
      r.weighted([
        ['a', 1],
        ['b', 0],
      ] as const),
    ).toBe('a');
  });
});

describe('PII generators', () => {
  it('computes the GB 11643 check digit', () => {
    expect(idCardCheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('110105194912310021')).toBe(false);
  });

  it('implements Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('4111 1111 1111 1111')).toBe(true);
  });

  it('generates valid ID numbers, bank cards and phone spellings', () => {
    const r = new Rng(5);
    for (let i = 0; i < 200; i++) {
      expect(isValidIdCard(idCardNumber(r))).toBe(true);
      const card = bankCardNumber(r);
      expect(card).toMatch(/^\d{16,19}$/);
      expect(passesLuhn(card)).toBe(true);
      const phone = phoneSpelling(r);
      expect(phone.normalize('NFKC').replace(/\D/g, '').replace(/^86/, '')).toMatch(/^1[3-9]\d{9}$/);
    }
  });
});
