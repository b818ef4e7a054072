/**
 * Log-softmax gather: logprob[n] = logits[n, target[n]] − logsumexp(logits[n, :]), 0 where the
 * target is IGNORE_INDEX. Backward turns dlogprob into dlogits = dlogprob·(onehot − softmax).
 * Works on any row block, so the model can run the lm_head in chunks without keeping (N, V).
 * `keepProbs` leaves softmax(logits) in the logits buffer (one exp per element, no recompute in
 * backward: `logprobBackwardFromProbs`); otherwise backward recomputes exp from the saved lse.
 */
import { IGNORE_INDEX } from '../../contracts.js';
import { fastExp } from './fast-exp.js';

export function logprobForward(
  logprobs: Float32Array, // (N)
  lse: Float32Array, // (N) saved
  logits: Float32Array, // (N, V) in: logits; out: softmax probabilities when keepProbs
  targets: Int32Array, // (N)
  N: number,
  V: number,
  keepProbs = false,
): void {
  for (let n = 0; n < N; n++) {
    const row = logits.subarray(n * V, n * V + V);
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < V; j++) {
      const x = row[j]!;
      if (x > max) max = x;
    }
    const t = targets[n]!;
    const target = t === IGNORE_INDEX ? 0 : row[t]!;
    let sum = 0;
    if (keepProbs) {
      for (let j = 0; j < V; j++) {
        const e = fastExp(row[j]! - max);
        row[j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < V; j++) row[j]! *= inv;
    } else {
      for (let j = 0; j < V; j++) sum += fastExp(row[j]! - max);
    }
    const m = max + Math.log(sum);
    lse[n] = m;
    logprobs[n] = t === IGNORE_INDEX ? 0 : target - m;
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
    const row = logits.subarray(n * V, n * V + V);
    const t = targets[n]!;
    const g = t === IGNORE_INDEX ? 0 : dlogprobs[n]!;
    if (g === 0) {
      row.fill(0);
      continue;
    }
    const m = lse[n]!;
    for (let j = 0; j < V; j++) row[j] = -g * fastExp(row[j]! - m);
    row[t]! += g;
  }
}

/** Like logprobBackwardInPlace, from the probabilities `logprobForward(…, keepProbs)` left. */
export function logprobBackwardFromProbs(
  probs: Float32Array, // (N, V) in: softmax, out: dlogits
  dlogprobs: Float32Array, // (N)
  targets: Int32Array, // (N)
  N: number,
  V: number,
): void {
  for (let n = 0; n < N; n++) {
    const row = probs.subarray(n * V, n * V + V);
    const t = targets[n]!;
    const g = t === IGNORE_INDEX ? 0 : dlogprobs[n]!;
    if (g === 0) {
      row.fill(0);
      continue;
    }
    const ng = -g;
    for (let j = 0; j < V; j++) row[j]! *= ng;
    row[t]! += g;
  }
}
