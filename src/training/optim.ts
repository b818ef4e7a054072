/**
 * Optimization: AdamW exactly as torch.optim.AdamW (decoupled weight decay applied before the
 * moment update, bias-corrected moments, eps added to the bias-corrected root), global-norm
 * gradient clipping as torch.nn.utils.clip_grad_norm_, and the learning-rate schedules of HF
 * `get_scheduler` (linear, cosine, constant, constant_with_warmup; warmup steps = ceil(ratio × total);
 * step k uses the multiplier at k, so the first warmup step has lr 0 as in HF).
 * Moments are float32 like the parameters; arithmetic per element is in float64.
 * Does not: compute gradients or decide which parameters train.
 */
import type { Parameter } from '../engine/contracts.js';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Parameters that get no weight decay. Default: biases and norm weights, as HF Trainer. */
  noDecay?: (name: string) => boolean;
}

export interface AdamWState {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export const defaultNoDecay = (name: string): boolean => name.endsWith('.bias') || /norm/i.test(name);

export class AdamW {
  state: AdamWState = { step: 0, m: new Map(), v: new Map() };
  private readonly noDecay: (name: string) => boolean;

  constructor(private readonly options: AdamWOptions) {
    this.noDecay = options.noDecay ?? defaultNoDecay;
  }

  private moments(p: Parameter): [Float32Array, Float32Array] {
    let m = this.state.m.get(p.name);
    let v = this.state.v.get(p.name);
    if (!m || !v) {
      m = new Float32Array(p.data.length);
      v = new Float32Array(p.data.length);
      this.state.m.set(p.name, m);
      this.state.v.set(p.name, v);
    }
    return [m, v];
  }

  /** One update of every parameter that has a grad, at learning rate `lr`. */
  step(params: readonly Parameter[], lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    const t = ++this.state.step;
    const bc1 = 1 - beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    const stepSize = lr / bc1;
    for (const p of params) {
      const g = p.grad;
      if (!g) continue;
      const [m, v] = this.moments(p);
      const decay = this.noDecay(p.name) ? 1 : 1 - lr * weightDecay;
      const w = p.data;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        const mi = beta1 * m[i]! + (1 - beta1) * gi;
        const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i]! * decay - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / bc2Sqrt + eps);
      }
    }
  }
}

/** Global L2 norm of all grads, then scale them by max/(norm + 1e-6) when that is below 1. Returns the norm before clipping. */
export function clipGradNorm(params: readonly Parameter[], maxNorm: number): number {
  let sum = 0;
  for (const p of params) {
    const g = p.grad;
    if (!g) continue;
    for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  }
  const norm = Math.sqrt(sum);
  if (maxNorm > 0 && Number.isFinite(norm)) {
    const coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (const p of params) {
        const g = p.grad;
        if (!g) continue;
        for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
      }
    }
  }
  return norm;
}

export type SchedulerType = 'linear' | 'cosine' | 'constant' | 'constant_with_warmup';

export interface Schedule {
  warmupSteps: number;
  totalSteps: number;
  /** Learning rate of optimizer step `step` (0-based). */
  lr(step: number): number;
}

/** HF get_scheduler's multiplier functions times the peak learning rate. */
export function makeSchedule(
  type: SchedulerType,
  peak: number,
  totalSteps: number,
  warmupRatio: number,
): Schedule {
  const warmupSteps = type === 'constant' ? 0 : Math.ceil(totalSteps * warmupRatio);
  const factor = (step: number): number => {
    if (type === 'constant') return 1;
    if (step < warmupSteps) return step / Math.max(1, warmupSteps);
    if (type === 'constant_with_warmup') return 1;
    if (type === 'linear') return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
  };
  return { warmupSteps, totalSteps, lr: (step) => peak * factor(step) };
}
