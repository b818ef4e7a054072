/**
 * Tiny helpers for preallocated float buffers that grow on demand and are handed out as exact
 * views, so hot loops never allocate and kernels always see exactly-sized arrays.
 */

/** Returns `buf` when it holds at least `size` floats, else a new buffer (contents not kept). */
export function grow(buf: Float32Array, size: number): Float32Array {
  return buf.length >= size ? buf : new Float32Array(size);
}

/** The first `size` floats of `buf` as a view. */
export function view(buf: Float32Array, size: number): Float32Array {
  return buf.length === size ? buf : buf.subarray(0, size);
}
