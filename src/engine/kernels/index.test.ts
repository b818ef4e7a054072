/**
 * Backend selection: auto picks native when the addon loads and portable otherwise (simulated by
 * mocking the loader), 'native' without the addon throws a RuntimeFailure with an install hint,
 * kernelsInfo reports both. Also the raw addon's argument checks and thread control when built.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nativeAddonStatus } from './native.js';

const addon = nativeAddonStatus().addon;
if (!addon) console.warn(`index.test: native checks skipped: ${nativeAddonStatus().reason}`);

afterEach(() => {
  vi.doUnmock('./native.js');
  vi.resetModules();
});

describe('getKernels', () => {
  it('falls back to portable silently when the addon is absent, and explains for "native"', async () => {
    vi.resetModules();
    vi.doMock('./native.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('./native.js')>()),
      nativeAddonStatus: () => ({ addon: undefined, reason: 'not built (mocked)' }),
    }));
    const { getKernels, kernelsInfo } = await import('./index.js');
    const { RuntimeFailure } = await import('../../core/errors.js'); // the instance index.js sees
    expect(getKernels().name).toBe('portable-wasm');
    expect(getKernels('portable').name).toBe('portable-wasm');
    expect(kernelsInfo()).toMatchObject({
      auto: 'portable-wasm',
      native: { available: false, reason: 'not built (mocked)' },
    });
    let thrown: unknown;
    try {
      getKernels('native');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RuntimeFailure);
    expect((thrown as InstanceType<typeof RuntimeFailure>).code).toBe('E_NATIVE_UNAVAILABLE');
    expect((thrown as InstanceType<typeof RuntimeFailure>).hint).toMatch(/libopenblas-dev.*npm install/);
  });

  it.skipIf(!addon)('picks native-openblas when the addon loads', async () => {
    const { getKernels, kernelsInfo } = await import('./index.js');
    expect(getKernels().name).toBe('native-openblas');
    expect(getKernels('native').name).toBe('native-openblas');
    expect(getKernels('portable').name).toBe('portable-wasm');
    expect(kernelsInfo()).toMatchObject({ auto: 'native-openblas', native: { available: true, threads: 2 } });
  });
});

describe.skipIf(!addon)('kefu_blas addon', () => {
  it('sets and reports OpenBLAS threads', () => {
    const before = addon!.getThreads();
    addon!.setThreads(1);
    expect(addon!.getThreads()).toBe(1);
    addon!.setThreads(before);
    expect(() => addon!.setThreads(0)).toThrow(RangeError);
  });

  it('checks argument types and bounds instead of touching memory out of range', () => {
    const f = (length: number) => new Float32Array(length);
    expect(() => addon!.sgemm(false, false, 2, 2, 2, 1, f(3), 2, f(4), 2, 0, f(4), 2)).toThrow(RangeError);
    expect(() => addon!.sgemm(false, false, 2, 2, 2, 1, f(4), 2, f(4), 2, 0, f(4), 1)).toThrow(RangeError);
    expect(() => addon!.sgemm(true, false, 2, 3, 2, 1, f(4), 1, f(6), 3, 0, f(6), 3)).toThrow(RangeError);
    const wrong = new Float64Array(4) as unknown as Float32Array;
    expect(() => addon!.sgemm(false, false, 2, 2, 2, 1, wrong, 2, f(4), 2, 0, f(4), 2)).toThrow(TypeError);
    // alpha, beta and leading dimensions reach cblas_sgemm: C = 2·A·B + 1·C on a 2×2 view of 2×3 storage
    const c = new Float32Array([1, 1, 9, 1, 1, 9]);
    addon!.sgemm(
      false,
      false,
      2,
      2,
      2,
      2,
      new Float32Array([1, 2, 3, 4]),
      2,
      new Float32Array([1, 0, 0, 1]),
      2,
      1,
      c,
      3,
    );
    expect([...c]).toEqual([3, 5, 9, 7, 9, 9]);
  });
});
