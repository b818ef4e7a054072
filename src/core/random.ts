/**
 * mulberry32: a tiny seeded PRNG (one uint32 of state) giving uniform numbers in [0, 1). Used where
 * reproducible randomness is needed and no state has to be saved (benchmark data, test fixtures).
 * Classes that checkpoint their state (training data order, sample shop) keep their own copy of
 * the two-line step so that state stays a plain number they own.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
