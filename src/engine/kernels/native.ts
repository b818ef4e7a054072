/**
 * The OpenBLAS `Kernels` backend ("native-openblas"): loads the optional N-API addon
 * build/Release/kefu_blas.node (built by scripts/build-native.mjs at `npm install`) and maps
 * `matmul` onto row-major `cblas_sgemm`. Two OpenBLAS threads by default (this machine's cores),
 * configurable per backend or with KEFU_BLAS_THREADS.
 *
 * It does not build anything and never throws on load: a missing or broken addon is reported as
 * `undefined` plus a reason (`nativeAddonStatus`), and index.ts decides whether that is an error.
 * OpenBLAS's thread count is process-wide; a backend sets it before each call when it differs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Kernels } from '../contracts.js';
import { checkMatmulShapes } from './portable.js';

/** The addon's exports (see native/kefu_blas.c). */
export interface KefuBlasAddon {
  /** Row-major cblas_sgemm: C = alpha·op(A)·op(B) + beta·C. Throws RangeError on short arrays. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  setThreads(threads: number): void;
  getThreads(): number;
}

/** Where the addon lives: the same relative path from src/engine/kernels and dist/engine/kernels. */
export const NATIVE_ADDON_PATH = fileURLToPath(
  new URL('../../../build/Release/kefu_blas.node', import.meta.url),
);

export const DEFAULT_BLAS_THREADS = 2;

let loaded: { addon: KefuBlasAddon | undefined; reason: string | undefined } | undefined;

/** The addon, loaded once; undefined when it is absent or fails to load. */
export function loadNativeAddon(): KefuBlasAddon | undefined {
  return nativeAddonStatus().addon;
}

/** The addon and, when it is unavailable, why (absent file, or the loader's message). */
export function nativeAddonStatus(): { addon: KefuBlasAddon | undefined; reason: string | undefined } {
  if (loaded) return loaded;
  if (!existsSync(NATIVE_ADDON_PATH)) {
    loaded = { addon: undefined, reason: `${NATIVE_ADDON_PATH} is not built` };
    return loaded;
  }
  try {
    const addon = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as KefuBlasAddon;
    if (typeof addon.sgemm !== 'function' || typeof addon.setThreads !== 'function') {
      throw new Error('the addon lacks sgemm/setThreads (stale build?)');
    }
    loaded = { addon, reason: undefined };
  } catch (error) {
    loaded = { addon: undefined, reason: error instanceof Error ? error.message : String(error) };
  }
  return loaded;
}

/** Threads from KEFU_BLAS_THREADS when it is a positive integer, else the default (2). */
export function defaultBlasThreads(): number {
  const value = Number(process.env.KEFU_BLAS_THREADS);
  return Number.isInteger(value) && value >= 1 ? value : DEFAULT_BLAS_THREADS;
}

/** A `Kernels` backend over a loaded addon, running OpenBLAS with `threads` threads. */
export function createNativeKernels(
  addon: KefuBlasAddon,
  options: { threads?: number } = {},
): Kernels & { readonly threads: number } {
  const threads = options.threads ?? defaultBlasThreads();
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`BLAS threads must be >= 1, got ${threads}`);
  addon.setThreads(threads);
  return {
    name: 'native-openblas',
    threads,
    matmul(c, a, b, m, k, n, opts = {}) {
      checkMatmulShapes(c, a, b, m, k, n);
      const transA = opts.transA === true;
      const transB = opts.transB === true;
      if (addon.getThreads() !== threads) addon.setThreads(threads);
      addon.sgemm(
        transA,
        transB,
        m,
        n,
        k,
        1,
        a,
        Math.max(1, transA ? m : k),
        b,
        Math.max(1, transB ? k : n),
        opts.accumulate === true ? 1 : 0,
        c,
        Math.max(1, n),
      );
    },
  };
}
