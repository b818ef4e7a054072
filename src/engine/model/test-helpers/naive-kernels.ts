/**
 * A straightforward triple-loop `Kernels` for the model tests, so they need no native code and do
 * not depend on the kernels being written in parallel. Accumulates in float64 per output element.
 */
import type { Kernels } from '../../contracts.js';

export const naiveKernels: Kernels = {
  name: 'naive-test',
  matmul(c, a, b, m, k, n, options = {}) {
    const { transA = false, transB = false, accumulate = false } = options;
    if (c.length < m * n || a.length < m * k || b.length < k * n) {
      throw new Error(`naive matmul: buffers too small for ${m}×${k}·${k}×${n}`);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[p * m + i]! : a[i * k + p]!;
          const bv = transB ? b[j * k + p]! : b[p * n + j]!;
          s += av * bv;
        }
        c[i * n + j] = accumulate ? c[i * n + j]! + s : s;
      }
    }
  },
};
