/**
 * The small dense linear algebra the LSA fit needs, in float64: modified Gram–Schmidt
 * orthonormalisation of a matrix's columns and the cyclic Jacobi eigen-decomposition of a
 * symmetric matrix. Sizes here are a few hundred, so plain loops suffice. No I/O.
 */

/**
 * Orthonormalise the columns of `a` (rows × cols, row-major) in place. A column that is (nearly)
 * dependent on the ones before becomes zero. Returns how many columns are non-zero.
 */
export function orthonormaliseColumns(a: Float64Array, rows: number, cols: number): number {
  let rank = 0;
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += a[i * cols + p]! * a[i * cols + j]!;
        if (dot === 0) continue;
        for (let i = 0; i < rows; i++) a[i * cols + j]! -= dot * a[i * cols + p]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += a[i * cols + j]! ** 2;
    norm = Math.sqrt(norm);
    const scale = norm > 1e-10 ? 1 / norm : 0;
    if (scale) rank++;
    for (let i = 0; i < rows; i++) a[i * cols + j]! *= scale;
  }
  return rank;
}

/**
 * Eigen-decomposition of the symmetric n × n matrix `s` (row-major; destroyed). Returns the
 * eigenvalues in decreasing order and the matching eigenvectors as the columns of `vectors`.
 */
export function symmetricEigen(s: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += s[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += s[i * n + j]! ** 2;
    }
    if (off <= 1e-22 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = s[p * n + p]!;
        const aqq = s[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p]!;
          const skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k]!;
          const sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b * n + b]! - s[a * n + a]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = s[from * n + from]!;
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from]!;
  });
  return { values, vectors };
}
