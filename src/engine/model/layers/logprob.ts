/**
 * Log-softmax gather: logprob[n] = logits[n, target[n]] − logsumexp(logits[n, :]), 0 where the
 * target is IGNORE_INDEX. Backward turns dlogprob into dlogits = dlogprob·(onehot − softmax).
 * Works on any row block, so the model can run the lm_head in chunks without keeping (N, V).
 */
import { IGNORE_INDEX } from '../../contracts.js';

export function logprobForward(
  logprobs: Float32Array, // (N)
  lse: Float32Array, // (N) saved
  logits: Float32Array, // (N, V)
  targets: Int32Array, // (N)
  N: number,
  V: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * V;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < V; j++) if (logits[o + j]! > max) max = logits[o + j]!;
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(logits[o + j]! - max);
    const m = max + Math.log(sum);
    lse[n] = m;
    const t = targets[n]!;
    logprobs[n] = t === IGNORE_INDEX ? 0 : logits[o + t]! - m;
  }
}

/**
 * Overwrites `logits` in place with dlogits (the logits are not needed afterwards), rows whose
 * target is ignored become 0. This is the one `=` (not `+=`) backward: the caller recomputes the
 * logits per chunk, so there is nothing to accumulate into.
 */
export function logprobBackwardInPlace(
  logits: Float32Array, // (N, V) in: logits, out: dlogits
  dlogprobs: Float32Array, // (N)
  lse: Float32Array, // (N)
  targets: Int32Array, // (N)
  N: number,
  V: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const t = targets[n]!;
    const g = t === IGNORE_INDEX ? 0 : dlogprobs[n]!;
    if (g === 0) {
      logits.fill(0, o, o + V);
      continue;
    }
    const m = lse[n]!;
    for (let j = 0; j < V; j++) logits[o + j] = -g * Math.exp(logits[o + j]! - m);
    logits[o + t]! += g;
  }
}
