/**
 * fastExp against Math.exp: within one float32 ulp over the ranges the softmax and SiLU loops
 * use, and the special values (±∞, NaN, huge and tiny arguments).
 */
import { describe, expect, it } from 'vitest';
import { fastExp } from './fast-exp.js';

describe('fastExp', () => {
  it('is within 1.2e-7 relative of Math.exp, almost always float32-identical', () => {
    let worst = 0;
    let same = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = -87 + (175 * i) / n + Math.sin(i) * 1e-3; // float32 normal range
      const want = Math.fround(Math.exp(x));
      const got = Math.fround(fastExp(x));
      worst = Math.max(worst, Math.abs(got - want) / want);
      if (got === want) same++;
    }
    expect(worst).toBeLessThan(1.2e-7);
    expect(same / n).toBeGreaterThan(0.98);
  });

  it('handles the edges like Math.exp', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(fastExp(-1e6)).toBe(0);
    expect(fastExp(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(fastExp(1e6)).toBe(Number.POSITIVE_INFINITY);
    expect(fastExp(Number.NaN)).toBeNaN();
    expect(Math.abs(fastExp(700) / Math.exp(700) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(fastExp(-700) / Math.exp(-700) - 1)).toBeLessThan(1e-12);
  });
});
