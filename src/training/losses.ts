/**
 * Losses on per-token log-probabilities (what `TrainableModel.forward` returns) and their
 * gradients with respect to those log-probabilities (what `backward` takes):
 *   SFT / pt: loss = −(1/N) Σ log p over the N kept target positions; dLogprobs = −1/N there.
 *   DPO (sigmoid, TRL / LLaMA-Factory): per sequence logπ = Σ token log-probs over the reply;
 *     z = β[(logπ(c) − logπ(r)) − (logπref(c) − logπref(r))],
 *     loss = −(1−ε) log σ(z) − ε log σ(−z), averaged over pairs;
 *     metrics as TRL: rewards/chosen = β(logπ(c) − logπref(c)), rewards/rejected, accuracies
 *     (chosen reward > rejected reward), margins, logps/chosen, logps/rejected — batch means.
 * `scale` lets a caller spread one mean over several micro-batches (gradient accumulation).
 * Does not: call the model.
 */
import { IGNORE_INDEX } from '../engine/contracts.js';

/** log σ(x) without overflow. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export interface SftLoss {
  /** Σ −log p over kept positions (the caller divides by the token count). */
  nllSum: number;
  kept: number;
  dLogprobs: Float32Array;
}

/**
 * Negative log-likelihood summed over positions whose target is kept; dLogprobs = −1/`denominator`
 * there (pass the kept count of the whole accumulation group so the step's loss is one mean).
 */
export function sftLoss(logprobs: Float32Array, targets: Int32Array, denominator: number): SftLoss {
  const dLogprobs = new Float32Array(logprobs.length);
  let nllSum = 0;
  let kept = 0;
  const g = denominator > 0 ? -1 / denominator : 0;
  for (let i = 0; i < logprobs.length; i++) {
    if (targets[i] === IGNORE_INDEX) continue;
    nllSum -= logprobs[i]!;
    kept++;
    dLogprobs[i] = g;
  }
  return { nllSum, kept, dLogprobs };
}

/** Σ of kept log-probs per row of a (B, T) batch. */
export function sequenceLogps(
  logprobs: Float32Array,
  targets: Int32Array,
  batch: number,
  seqLen: number,
): Float64Array {
  const out = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let sum = 0;
    for (let t = 0; t < seqLen; t++) {
      const i = b * seqLen + t;
      if (targets[i] !== IGNORE_INDEX) sum += logprobs[i]!;
    }
    out[b] = sum;
  }
  return out;
}

export interface DpoOptions {
  beta: number;
  labelSmoothing: number;
}

export interface DpoMetrics {
  'rewards/chosen': number;
  'rewards/rejected': number;
  'rewards/accuracies': number;
  'rewards/margins': number;
  'logps/chosen': number;
  'logps/rejected': number;
}

export const DPO_METRIC_KEYS = [
  'rewards/chosen',
  'rewards/rejected',
  'rewards/accuracies',
  'rewards/margins',
  'logps/chosen',
  'logps/rejected',
] as const;

export interface DpoResult {
  /** Σ of per-pair losses (the caller divides by the pair count). */
  lossSum: number;
  /** Σ over pairs of each metric (divide by the pair count for TRL's batch means). */
  metricSums: DpoMetrics;
  /** dLoss/dlogπ per pair, already multiplied by `scale`. */
  dChosen: Float64Array;
  dRejected: Float64Array;
}

/** Sigmoid DPO over pairs; gradients w.r.t. the policy's sequence log-probs, times `scale`. */
export function dpoLoss(
  policyChosen: Float64Array,
  policyRejected: Float64Array,
  refChosen: ArrayLike<number>,
  refRejected: ArrayLike<number>,
  options: DpoOptions,
  scale = 1,
): DpoResult {
  const n = policyChosen.length;
  const { beta, labelSmoothing: eps } = options;
  const dChosen = new Float64Array(n);
  const dRejected = new Float64Array(n);
  const m: DpoMetrics = {
    'rewards/chosen': 0,
    'rewards/rejected': 0,
    'rewards/accuracies': 0,
    'rewards/margins': 0,
    'logps/chosen': 0,
    'logps/rejected': 0,
  };
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const pc = policyChosen[i]!;
    const pr = policyRejected[i]!;
    const rc = refChosen[i]!;
    const rr = refRejected[i]!;
    const z = beta * (pc - pr - (rc - rr));
    lossSum += -(1 - eps) * logSigmoid(z) - eps * logSigmoid(-z);
    // d/dz of −(1−ε) log σ(z) − ε log σ(−z) = −(1−ε) σ(−z) + ε σ(z)
    const dz = -(1 - eps) * sigmoid(-z) + eps * sigmoid(z);
    dChosen[i] = scale * beta * dz;
    dRejected[i] = -scale * beta * dz;
    const chosenReward = beta * (pc - rc);
    const rejectedReward = beta * (pr - rr);
    m['rewards/chosen'] += chosenReward;
    m['rewards/rejected'] += rejectedReward;
    m['rewards/accuracies'] += chosenReward > rejectedReward ? 1 : 0;
    m['rewards/margins'] += chosenReward - rejectedReward;
    m['logps/chosen'] += pc;
    m['logps/rejected'] += pr;
  }
  return { lossSum, metricSums: m, dChosen, dRejected };
}

/** Spread per-row sequence gradients over that row's kept positions (the model's dLogprobs). */
export function rowGradients(
  rowGrads: ArrayLike<number>,
  targets: Int32Array,
  batch: number,
  seqLen: number,
): Float32Array {
  const d = new Float32Array(batch * seqLen);
  for (let b = 0; b < batch; b++) {
    const g = rowGrads[b]!;
    for (let t = 0; t < seqLen; t++) {
      const i = b * seqLen + t;
      if (targets[i] !== IGNORE_INDEX) d[i] = g;
    }
  }
  return d;
}
