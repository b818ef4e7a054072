/**
 * Picks the matrix-kernel backend. `getKernels('auto')` returns the OpenBLAS backend when the
 * native addon loads and the portable WebAssembly backend otherwise, silently; `'native'` insists on
 * OpenBLAS and throws a `RuntimeFailure` with an install hint; `'portable'` always gives WebAssembly.
 * `kernelsInfo()` says what is available and why not, for `kefu doctor`-style output and logs.
 *
 * It does not build the addon (scripts/build-native.mjs does, at `npm install`) and keeps one
 * native backend per thread count.
 */
import { RuntimeFailure } from '../../core/errors.js';
import type { Kernels } from '../contracts.js';
import { createNativeKernels, defaultBlasThreads, NATIVE_ADDON_PATH, nativeAddonStatus } from './native.js';
import { portableKernels } from './portable.js';

export type KernelsPreference = 'auto' | 'native' | 'portable';

export interface KernelsInfo {
  /** The backend `getKernels('auto')` returns. */
  auto: 'native-openblas' | 'portable-wasm';
  native: {
    available: boolean;
    path: string;
    /** Why it is unavailable (file missing, load error). */
    reason?: string;
    /** OpenBLAS threads the native backend uses. */
    threads?: number;
  };
  portable: { available: true };
}

const INSTALL_HINT =
  'install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas-dev) and rerun `npm install` to build ' +
  'build/Release/kefu_blas.node; or use the portable kernels';

const nativeByThreads = new Map<number, Kernels>();

function nativeKernels(threads: number): Kernels | undefined {
  const { addon } = nativeAddonStatus();
  if (!addon) return undefined;
  let kernels = nativeByThreads.get(threads);
  if (!kernels) {
    kernels = createNativeKernels(addon, { threads });
    nativeByThreads.set(threads, kernels);
  }
  return kernels;
}

/**
 * The kernels to use. `threads` (native only) defaults to KEFU_BLAS_THREADS or 2.
 * Throws `RuntimeFailure` (E_NATIVE_UNAVAILABLE) for `'native'` when the addon is unavailable.
 */
export function getKernels(prefer: KernelsPreference = 'auto', options: { threads?: number } = {}): Kernels {
  if (prefer === 'portable') return portableKernels;
  const native = nativeKernels(options.threads ?? defaultBlasThreads());
  if (native) return native;
  if (prefer === 'auto') return portableKernels;
  throw new RuntimeFailure('the native OpenBLAS kernels are not available', {
    code: 'E_NATIVE_UNAVAILABLE',
    hint: INSTALL_HINT,
    details: { addon: NATIVE_ADDON_PATH, reason: nativeAddonStatus().reason },
  });
}

/** What is available, without throwing. */
export function kernelsInfo(): KernelsInfo {
  const { addon, reason } = nativeAddonStatus();
  return {
    auto: addon ? 'native-openblas' : 'portable-wasm',
    native: addon
      ? { available: true, path: NATIVE_ADDON_PATH, threads: defaultBlasThreads() }
      : { available: false, path: NATIVE_ADDON_PATH, ...(reason ? { reason } : {}) },
    portable: { available: true },
  };
}

export type { KefuBlasAddon } from './native.js';
export { loadNativeAddon } from './native.js';
export { portableKernels } from './portable.js';
