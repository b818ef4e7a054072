/**
 * The data order of a run: a seeded PRNG (mulberry32), a per-epoch Fisher–Yates permutation
 * seeded from (seed, epoch), and the step plan — which examples form each micro-batch of each
 * optimizer step. Step s belongs to epoch ⌊s / stepsPerEpoch⌋, so a resumed run recomputes the
 * exact same batches from the step number alone. Like HF Trainer: no examples are dropped; an
 * epoch's last micro-batch may be short and its last step may accumulate fewer micro-batches.
 * Does not: encode examples or touch the model.
 */

/** mulberry32: a tiny 32-bit PRNG whose whole state is one uint32. */
export class Rng {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Seed of an epoch's shuffle: a hash of (seed, epoch). */
export function epochSeed(seed: number, epoch: number): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h ^ epoch, 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

export function permutation(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export interface PlanOptions {
  examples: number;
  batchSize: number;
  accumulation: number;
  epochs: number;
  /** Cap on optimizer steps; -1 or undefined for none. */
  maxSteps?: number;
  seed: number;
}

export class StepPlan {
  readonly microPerEpoch: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  private cachedEpoch = -1;
  private cachedOrder: number[] = [];
  /** RNG state after the current epoch's shuffle (saved in checkpoints). */
  rngState = 0;

  constructor(private readonly options: PlanOptions) {
    this.microPerEpoch = Math.ceil(options.examples / options.batchSize);
    this.stepsPerEpoch = Math.max(1, Math.ceil(this.microPerEpoch / options.accumulation));
    this.totalSteps =
      options.maxSteps !== undefined && options.maxSteps > 0
        ? options.maxSteps
        : Math.ceil(options.epochs * this.stepsPerEpoch);
  }

  epochOf(step: number): number {
    return Math.floor(step / this.stepsPerEpoch);
  }

  /** HF's fractional epoch after finishing step `step` (0-based). */
  epochProgress(step: number): number {
    return this.epochOf(step) + ((step % this.stepsPerEpoch) + 1) / this.stepsPerEpoch;
  }

  private order(epoch: number): number[] {
    if (epoch !== this.cachedEpoch) {
      const rng = new Rng(epochSeed(this.options.seed, epoch));
      this.cachedOrder = permutation(this.options.examples, rng);
      this.cachedEpoch = epoch;
      this.rngState = rng.state;
    }
    return this.cachedOrder;
  }

  /** Example indices of each micro-batch of step `step` (0-based). */
  microBatches(step: number): number[][] {
    const epoch = this.epochOf(step);
    const order = this.order(epoch);
    const { batchSize, accumulation } = this.options;
    const firstMicro = (step % this.stepsPerEpoch) * accumulation;
    const out: number[][] = [];
    for (let m = firstMicro; m < Math.min(firstMicro + accumulation, this.microPerEpoch); m++) {
      out.push(order.slice(m * batchSize, (m + 1) * batchSize));
    }
    return out;
  }
}
