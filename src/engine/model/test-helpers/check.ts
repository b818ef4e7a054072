/**
 * Test utilities for the model: seeded random arrays, max-difference reporting in llm.c style,
 * and a central finite-difference gradient check over a scalar loss.
 */
import { Rng } from '../rng.js';

export function randn(n: number, seed: number, std = 1): Float32Array {
  const out = new Float32Array(n);
  new Rng(seed).fillNormal(out, std);
  return out;
}

export function randf64(n: number, seed: number, std = 1): Float64Array {
  return Float64Array.from(randn(n, seed, std));
}

/** max |a − b|, printed as llm.c does ("name: max diff …"). */
export function maxDiff(name: string, a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`${name}: length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  console.log(`${name}: max diff ${m.toExponential(3)}`);
  return m;
}

/**
 * Compares `analytic` with central differences of `loss` wrt `x[i]` for the given indices
 * (all when omitted). Returns the max relative error |a − n| / max(|a| + |n|, floor).
 */
export function gradCheck(
  name: string,
  x: { [i: number]: number; length: number },
  analytic: ArrayLike<number>,
  loss: () => number,
  h: number,
  indices?: number[],
  floor = 1e-4,
): number {
  let worst = 0;
  let worstAbs = 0;
  const idx = indices ?? Array.from({ length: x.length }, (_, i) => i);
  for (const i of idx) {
    const orig = x[i]!;
    x[i] = orig + h;
    const lp = loss();
    x[i] = orig - h;
    const lm = loss();
    x[i] = orig;
    const num = (lp - lm) / (2 * h);
    const a = analytic[i]!;
    worstAbs = Math.max(worstAbs, Math.abs(a - num));
    worst = Math.max(worst, Math.abs(a - num) / Math.max(Math.abs(a) + Math.abs(num), floor));
  }
  console.log(
    `${name}: grad max rel err ${worst.toExponential(3)} (abs ${worstAbs.toExponential(3)}, ${idx.length} checked)`,
  );
  return worst;
}
