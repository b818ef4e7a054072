/**
 * One optimizer step's worth of forward/backward through the `TrainableModel`, for language
 * modelling (sft, pt) and for DPO, plus forward-only passes: validation loss and the DPO
 * reference log-probabilities. Gradient accumulation is exact: SFT divides by the kept-token
 * count of the whole step (HF's num_items_in_batch), DPO by its pair count, so a step over k
 * micro-batches equals one step over their union. DPO runs chosen and rejected sequences in one
 * forward, chosen rows first (as LLaMA-Factory's pairwise collator).
 * Does not: update parameters, clip, schedule or log.
 */
import { IGNORE_INDEX, type TrainableModel } from '../engine/contracts.js';
import { collate, type Encoded, type EncodedPair } from './encode.js';

import {
  DPO_METRIC_KEYS,
  type DpoMetrics,
  type DpoOptions,
  dpoLoss,
  rowGradients,
  sequenceLogps,
  sftLoss,
} from './losses.js';

export interface ReferenceLogps {
  chosen: Float64Array;
  rejected: Float64Array;
}

export interface StepResult {
  /** Mean loss of the step (per kept token for LM, per pair for DPO); NaN/Inf when it blew up. */
  loss: number;
  /** Real tokens processed (for throughput). */
  tokens: number;
  /** DPO only: pairs and metric sums over them. */
  pairs: number;
  metricSums?: DpoMetrics;
}

/** Targets an encoded sequence contributes after the shift. */
export function keptTargets(seq: Encoded): number {
  let n = 0;
  for (let t = 1; t < seq.labels.length; t++) if (seq.labels[t] !== IGNORE_INDEX) n++;
  return n;
}

export function emptyMetrics(): DpoMetrics {
  return Object.fromEntries(DPO_METRIC_KEYS.map((k) => [k, 0])) as unknown as DpoMetrics;
}

export function addMetrics(into: DpoMetrics, from: DpoMetrics): void {
  for (const k of DPO_METRIC_KEYS) into[k] += from[k];
}

/** Forward + backward of every micro-batch of an LM step; grads accumulate in the model. */
export function lmStep(
  model: TrainableModel,
  items: readonly Encoded[],
  micro: readonly number[][],
  padId: number,
  backward = true,
): StepResult {
  let kept = 0;
  for (const ids of micro) for (const i of ids) kept += keptTargets(items[i]!);
  let nll = 0;
  let tokens = 0;
  for (const ids of micro) {
    const batch = collate(
      ids.map((i) => items[i]!),
      padId,
    );
    tokens += batch.realTokens;
    if (batch.kept === 0) continue;
    const logprobs = model.forward(batch.tokens, batch.targets, batch.batch, batch.seqLen);
    const loss = sftLoss(logprobs, batch.targets, kept);
    nll += loss.nllSum;
    if (!Number.isFinite(nll)) return { loss: nll, tokens, pairs: 0 };
    if (backward) model.backward(loss.dLogprobs);
  }
  return { loss: kept > 0 ? nll / kept : 0, tokens, pairs: 0 };
}

function pairBatch(pairs: readonly EncodedPair[], ids: readonly number[], padId: number) {
  return collate([...ids.map((i) => pairs[i]!.chosen), ...ids.map((i) => pairs[i]!.rejected)], padId);
}

/** Forward + backward of every micro-batch of a DPO step against cached reference log-probs. */
export function dpoStep(
  model: TrainableModel,
  pairs: readonly EncodedPair[],
  reference: ReferenceLogps,
  micro: readonly number[][],
  padId: number,
  options: DpoOptions,
  backward = true,
): StepResult {
  const total = micro.reduce((n, ids) => n + ids.length, 0);
  const metricSums = emptyMetrics();
  let lossSum = 0;
  let tokens = 0;
  for (const ids of micro) {
    const n = ids.length;
    const batch = pairBatch(pairs, ids, padId);
    tokens += batch.realTokens;
    const logprobs = model.forward(batch.tokens, batch.targets, batch.batch, batch.seqLen);
    const rows = sequenceLogps(logprobs, batch.targets, batch.batch, batch.seqLen);
    const result = dpoLoss(
      rows.subarray(0, n),
      rows.subarray(n),
      ids.map((i) => reference.chosen[i]!),
      ids.map((i) => reference.rejected[i]!),
      options,
      1 / total,
    );
    lossSum += result.lossSum;
    addMetrics(metricSums, result.metricSums);
    if (!Number.isFinite(lossSum)) return { loss: lossSum, tokens, pairs: total, metricSums };
    if (backward) {
      const rowGrads = new Float64Array(2 * n);
      rowGrads.set(result.dChosen, 0);
      rowGrads.set(result.dRejected, n);
      model.backward(rowGradients(rowGrads, batch.targets, batch.batch, batch.seqLen));
    }
  }
  return { loss: total > 0 ? lossSum / total : 0, tokens, pairs: total, metricSums };
}

/** Consecutive index chunks of `size` over n items (evaluation and reference passes). */
export function chunks(n: number, size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i += size) out.push(Array.from({ length: Math.min(size, n - i) }, (_, k) => i + k));
  return out;
}

/**
 * Reference log-probs of every pair: forward only, in dataset order, with the model as it is now.
 * Returns undefined when `signal` fires between batches.
 */
export function referenceLogps(
  model: TrainableModel,
  pairs: readonly EncodedPair[],
  batchSize: number,
  padId: number,
  signal?: AbortSignal,
  onBatch?: (done: number) => void,
): ReferenceLogps | undefined {
  const chosen = new Float64Array(pairs.length);
  const rejected = new Float64Array(pairs.length);
  for (const ids of chunks(pairs.length, batchSize)) {
    if (signal?.aborted) return undefined;
    const batch = pairBatch(pairs, ids, padId);
    const rows = sequenceLogps(
      model.forward(batch.tokens, batch.targets, batch.batch, batch.seqLen),
      batch.targets,
      batch.batch,
      batch.seqLen,
    );
    ids.forEach((i, k) => {
      chosen[i] = rows[k]!;
      rejected[i] = rows[ids.length + k]!;
    });
    onBatch?.(ids.length);
  }
  return { chosen, rejected };
}

export type EncodedSet = { kind: 'lm'; items: Encoded[] } | { kind: 'pair'; items: EncodedPair[] };

/** One step (or forward-only pass) over the micro-batches of an encoded set. */
export function stepOf(
  model: TrainableModel,
  set: EncodedSet,
  reference: ReferenceLogps | undefined,
  micro: readonly number[][],
  padId: number,
  dpo: DpoOptions,
  backward: boolean,
): StepResult {
  if (set.kind === 'lm') return lmStep(model, set.items, micro, padId, backward);
  if (!reference) throw new Error('DPO needs reference log-probs');
  return dpoStep(model, set.items, reference, micro, padId, dpo, backward);
}

/** Validation loss (per kept token for LM, per pair for DPO) and, for DPO, mean metrics. */
export function evaluateSet(
  model: TrainableModel,
  set: EncodedSet,
  reference: ReferenceLogps | undefined,
  batchSize: number,
  padId: number,
  dpo: DpoOptions,
): { loss: number; metrics?: DpoMetrics } {
  let sum = 0;
  let weight = 0;
  const metrics = emptyMetrics();
  for (const ids of chunks(set.items.length, batchSize)) {
    const r = stepOf(model, set, reference, [ids], padId, dpo, false);
    const w = set.kind === 'lm' ? ids.reduce((n, i) => n + keptTargets(set.items[i]!), 0) : ids.length;
    sum += r.loss * w;
    weight += w;
    if (r.metricSums) addMetrics(metrics, r.metricSums);
  }
  const loss = weight > 0 ? sum / weight : 0;
  if (set.kind === 'lm') return { loss };
  for (const k of DPO_METRIC_KEYS) metrics[k] /= Math.max(1, weight);
  return { loss, metrics };
}
