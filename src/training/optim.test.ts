import { describe, expect, it } from 'vitest';
import type { Parameter } from '../engine/contracts.js';
import { AdamW, clipGradNorm, makeSchedule } from './optim.js';

const param = (values: number[]): Parameter => ({
  name: 'w',
  shape: [values.length],
  data: Float32Array.from(values),
  grad: new Float32Array(values.length),
});

describe('AdamW', () => {
  it('matches a hand-computed two-step example', () => {
    const p = param([1]);
    const opt = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    p.grad![0] = 0.5;
    opt.step([p], 0.1);
    // w = 1·(1 − 0.1·0.01) − 0.1 · (0.05/0.1) / (sqrt(0.00025/0.001) + 1e-8)
    expect(p.data[0]).toBeCloseTo(0.899000002, 6);
    p.grad![0] = -0.2;
    opt.step([p], 0.1);
    // m = 0.025, v = 0.00028975; w = 0.899·0.999 − 0.1·(0.025/0.19)/(sqrt(0.00028975/0.001999) + 1e-8)
    expect(p.data[0]).toBeCloseTo(0.8635404181145108, 6);
  });

  it('tracks a float64 reference on a quadratic', () => {
    const a = [1, 3, 0.5, 10];
    const c = [0.3, -2, 1, 0.05];
    const p = param([0, 0, 0, 0]);
    const opt = new AdamW({ beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 });
    const w = [0, 0, 0, 0];
    const m = [0, 0, 0, 0];
    const v = [0, 0, 0, 0];
    for (let t = 1; t <= 100; t++) {
      const lr = 0.05;
      for (let i = 0; i < 4; i++) p.grad![i] = a[i]! * (p.data[i]! - c[i]!);
      opt.step([p], lr);
      for (let i = 0; i < 4; i++) {
        const g = a[i]! * (w[i]! - c[i]!);
        w[i] = w[i]! * (1 - lr * 0.1);
        m[i] = 0.9 * m[i]! + 0.1 * g;
        v[i] = 0.99 * v[i]! + 0.01 * g * g;
        w[i] = w[i]! - (lr * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]! / (1 - 0.99 ** t)) + 1e-8);
      }
    }
    for (let i = 0; i < 4; i++) expect(p.data[i]).toBeCloseTo(w[i]!, 4);
    // and it converged near the (decayed) optimum
    expect(Math.abs(p.data[1]! - c[1]!)).toBeLessThan(0.2);
  });

  it('skips weight decay on biases and norms', () => {
    const bias: Parameter = {
      name: 'x.bias',
      shape: [1],
      data: Float32Array.of(1),
      grad: Float32Array.of(0),
    };
    new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 }).step([bias], 0.1);
    expect(bias.data[0]).toBe(1);
  });
});

describe('clipGradNorm', () => {
  it('scales grads to the max norm and returns the norm before clipping', () => {
    const p = param([0, 0]);
    p.grad!.set([3, 4]);
    expect(clipGradNorm([p], 1)).toBeCloseTo(5, 6);
    expect(p.grad![0]).toBeCloseTo(0.6, 5);
    expect(p.grad![1]).toBeCloseTo(0.8, 5);
    p.grad!.set([0.3, 0.4]);
    clipGradNorm([p], 1);
    expect(p.grad![0]).toBeCloseTo(0.3, 6);
  });
});

describe('makeSchedule', () => {
  it('follows HF get_scheduler', () => {
    const cosine = makeSchedule('cosine', 1, 10, 0.1);
    expect(cosine.warmupSteps).toBe(1);
    expect(cosine.lr(0)).toBe(0);
    expect(cosine.lr(1)).toBe(1);
    expect(cosine.lr(6)).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * 5) / 9)), 12);
    expect(cosine.lr(10)).toBeCloseTo(0, 12);
    const linear = makeSchedule('linear', 2, 10, 0.25);
    expect(linear.warmupSteps).toBe(3);
    expect(linear.lr(1)).toBeCloseTo(2 / 3, 12);
    expect(linear.lr(5)).toBeCloseTo((2 * 5) / 7, 12);
    expect(makeSchedule('constant', 1, 10, 0.5).lr(0)).toBe(1);
    expect(makeSchedule('constant_with_warmup', 1, 10, 0.5).lr(2)).toBeCloseTo(0.4, 12);
    expect(makeSchedule('constant_with_warmup', 1, 10, 0.5).lr(7)).toBe(1);
  });
});
