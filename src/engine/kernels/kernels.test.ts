/**
 * Parity and gradient checks for every `Kernels` backend: each matmul layout (transA × transB),
 * accumulate, overwrite-ignores-NaN, odd and block-crossing sizes against a float64 reference;
 * finite-difference gradients of matmul used as a differentiable op (dA = dC·Bᵀ, dB = Aᵀ·dC, and
 * the linear-layer form y = x·Wᵀ). The native backend is skipped, with a logged reason, only when
 * the addon is not built.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../contracts.js';
import { createNativeKernels, nativeAddonStatus } from './native.js';
import { portableKernels, portableMatmul, startPortableThreads } from './portable.js';

const status = nativeAddonStatus();
beforeAll(async () => {
  await startPortableThreads(); // so the largest sizes take the multi-threaded path
});
if (!status.addon) console.warn(`kernels.test: native backend skipped: ${status.reason}`);

/** Deterministic uniform values in [-1, 1). */
function random(length: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** float64 op(A)·op(B) and Σ|a||b| per element (the scale float32 rounding error is relative to). */
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i]! : a[i * k + p]!;
        const y = transB ? b[j * k + p]! : b[p * n + j]!;
        sum += x * y;
        abs += Math.abs(x * y);
      }
      value[i * n + j] = sum;
      scale[i * n + j] = abs;
    }
  }
  return { value, scale };
}

/** Largest |got − want| / (Σ|a||b| + |base|), where the sum of magnitudes bounds float32 error. */
function worstError(got: Float32Array, want: Float64Array, scale: Float64Array, base?: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const offset = base ? base[i]! : 0;
    const error = Math.abs(got[i]! - (want[i]! + offset)) / (scale[i]! + Math.abs(offset) + 1e-30);
    if (!(error <= worst)) worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
  }
  return worst;
}

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 4],
  [5, 3, 2],
  [2, 9, 300],
  [17, 33, 65],
  [64, 48, 40],
  [130, 21, 300], // padded edge rows and columns of the portable panels
  [6, 515, 37], // crosses the portable NC (512 columns) block
  [67, 530, 300], // crosses the portable KC (256) and NC blocks, split across the portable threads
];
const LAYOUTS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

const backends: [string, Kernels | undefined][] = [
  ['portable-wasm', portableKernels],
  ['native-openblas', status.addon ? createNativeKernels(status.addon, { threads: 2 }) : undefined],
];

describe.each(backends)('%s', (_name, kernels) => {
  const skip = kernels === undefined;

  it.skipIf(skip)('matches a float64 reference for every layout and size', () => {
    for (const [m, n, k] of SIZES) {
      for (const [transA, transB] of LAYOUTS) {
        const a = random(m * k, m * 7 + k);
        const b = random(k * n, n * 13 + k);
        const c = new Float32Array(m * n).fill(Number.NaN); // overwrite must not read C
        kernels!.matmul(c, a, b, m, k, n, { transA, transB });
        const { value, scale } = reference(a, b, m, k, n, transA, transB);
        const error = worstError(c, value, scale);
        expect(error, `${m}×${k}·${k}×${n} transA=${transA} transB=${transB}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it.skipIf(skip)('accumulates into C', () => {
    for (const [m, n, k] of SIZES) {
      for (const [transA, transB] of LAYOUTS) {
        const a = random(m * k, 3 + m);
        const b = random(k * n, 5 + n);
        const base = random(m * n, 11 + k);
        const c = base.slice();
        kernels!.matmul(c, a, b, m, k, n, { transA, transB, accumulate: true });
        const { value, scale } = reference(a, b, m, k, n, transA, transB);
        expect(worstError(c, value, scale, base), `${m}×${k}·${k}×${n}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it.skipIf(skip)('handles empty dimensions and rejects short buffers', () => {
    const c = new Float32Array([7, 7, 7, 7]);
    kernels!.matmul(c, new Float32Array(0), new Float32Array(0), 2, 0, 2, { accumulate: true });
    expect([...c]).toEqual([7, 7, 7, 7]);
    kernels!.matmul(c, new Float32Array(0), new Float32Array(0), 2, 0, 2);
    expect([...c]).toEqual([0, 0, 0, 0]);
    expect(() => kernels!.matmul(c, new Float32Array(3), new Float32Array(4), 2, 2, 2)).toThrow(RangeError);
    expect(() =>
      kernels!.matmul(new Float32Array(3), new Float32Array(4), new Float32Array(4), 2, 2, 2),
    ).toThrow(RangeError);
  });

  it.skipIf(skip)('gives finite-difference gradients: C = A·B, dA = dC·Bᵀ, dB = Aᵀ·dC', () => {
    const [m, k, n] = [3, 4, 5];
    const a = random(m * k, 21);
    const b = random(k * n, 22);
    const dC = random(m * n, 23); // loss = Σ dC ⊙ (A·B)
    const loss = (x: Float32Array, y: Float32Array) => {
      const c = new Float32Array(m * n);
      kernels!.matmul(c, x, y, m, k, n);
      return c.reduce((sum, v, i) => sum + v * dC[i]!, 0);
    };
    const dA = new Float32Array(m * k);
    const dB = new Float32Array(k * n);
    kernels!.matmul(dA, dC, b, m, n, k, { transB: true });
    kernels!.matmul(dB, a, dC, k, m, n, { transA: true });
    expectGradient(a, dA, (x) => loss(x, b));
    expectGradient(b, dB, (y) => loss(a, y));
  });

  it.skipIf(skip)(
    'gives finite-difference gradients of a linear layer: y = x·Wᵀ, dx = dy·W, dW += dyᵀ·x',
    () => {
      const [rows, inF, outF] = [4, 6, 5];
      const x = random(rows * inF, 31);
      const w = random(outF * inF, 32); // [out, in], as HF stores weights
      const dy = random(rows * outF, 33);
      const loss = (xx: Float32Array, ww: Float32Array) => {
        const y = new Float32Array(rows * outF);
        kernels!.matmul(y, xx, ww, rows, inF, outF, { transB: true });
        return y.reduce((sum, v, i) => sum + v * dy[i]!, 0);
      };
      const dx = new Float32Array(rows * inF);
      kernels!.matmul(dx, dy, w, rows, outF, inF);
      const previous = random(outF * inF, 34); // gradients accumulate with +=
      const dW = previous.slice();
      kernels!.matmul(dW, dy, x, outF, rows, inF, { transA: true, accumulate: true });
      expectGradient(x, dx, (xx) => loss(xx, w));
      expectGradient(
        w,
        dW.map((v, i) => v - previous[i]!),
        (ww) => loss(x, ww),
      );
    },
  );
});

/** Central differences of `f` at `x` against `analytic`, element by element. */
function expectGradient(x: Float32Array, analytic: Float32Array, f: (x: Float32Array) => number): void {
  const h = 1e-2;
  for (let i = 0; i < x.length; i++) {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] = x[i]! + h;
    minus[i] = x[i]! - h;
    const step = plus[i]! - minus[i]!; // the float32 step actually taken
    const numeric = (f(plus) - f(minus)) / step;
    expect(Math.abs(numeric - analytic[i]!), `element ${i}`).toBeLessThanOrEqual(
      1e-3 * (1 + Math.abs(numeric)),
    );
  }
}

describe('portable-wasm row chunks', () => {
  it('splits op(A) into row chunks when the packed operands exceed the memory bound', () => {
    const [m, k, n] = [67, 30, 40];
    const bound = n * k + (k + n) * 12; // B plus 12 rows of A and C per chunk: six chunks, the last of 7 rows
    for (const [transA, transB] of LAYOUTS) {
      const a = random(m * k, 41);
      const b = random(k * n, 42);
      const base = random(m * n, 43);
      const c = base.slice();
      portableMatmul(c, a, b, m, k, n, { transA, transB, accumulate: true }, bound);
      const { value, scale } = reference(a, b, m, k, n, transA, transB);
      expect(worstError(c, value, scale, base), `transA=${transA} transB=${transB}`).toBeLessThanOrEqual(
        1e-5,
      );
    }
  });

  it('refuses a product whose op(B) alone exceeds the bound, naming the shape', () => {
    const c = new Float32Array(64 * 64);
    expect(() => portableMatmul(c, c, c, 64, 64, 64, {}, 64 * 64)).toThrow(/64×64 is too large/);
  });
});
