import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../engine/contracts.js';
import { dpoLoss, logSigmoid, rowGradients, sequenceLogps, sftLoss } from './losses.js';

describe('sftLoss', () => {
  it('averages −log p over kept targets with dLogprobs −1/N there', () => {
    const r = sftLoss(Float32Array.of(-1, -2, -3), Int32Array.of(5, IGNORE_INDEX, 7), 2);
    expect(r.nllSum).toBeCloseTo(4, 6);
    expect(r.kept).toBe(2);
    expect([...r.dLogprobs]).toEqual([-0.5, 0, -0.5]);
  });
});

describe('dpoLoss', () => {
  const pc = Float64Array.of(-10, -7, -3);
  const pr = Float64Array.of(-9, -8, -4);
  const rc = [-9.5, -7.5, -3.2];
  const rr = [-9.1, -7.6, -3.9];
  const lossOf = (c: Float64Array, r: Float64Array, eps: number) =>
    dpoLoss(c, r, rc, rr, { beta: 0.1, labelSmoothing: eps }).lossSum;

  for (const eps of [0, 0.1]) {
    it(`has gradients matching finite differences (label smoothing ${eps})`, () => {
      const result = dpoLoss(pc, pr, rc, rr, { beta: 0.1, labelSmoothing: eps });
      const h = 1e-5;
      for (let i = 0; i < 3; i++) {
        for (const [which, grad] of [
          [pc, result.dChosen],
          [pr, result.dRejected],
        ] as const) {
          const plus = Float64Array.from(which);
          const minus = Float64Array.from(which);
          plus[i]! += h;
          minus[i]! -= h;
          const fd =
            which === pc
              ? (lossOf(plus, pr, eps) - lossOf(minus, pr, eps)) / (2 * h)
              : (lossOf(pc, plus, eps) - lossOf(pc, minus, eps)) / (2 * h);
          expect(grad[i]).toBeCloseTo(fd, 7);
        }
      }
    });
  }

  it('computes TRL metrics and the sigmoid loss', () => {
    const r = dpoLoss(Float64Array.of(-1), Float64Array.of(-3), [-2], [-2], { beta: 0.5, labelSmoothing: 0 });
    expect(r.metricSums['rewards/chosen']).toBeCloseTo(0.5, 12);
    expect(r.metricSums['rewards/rejected']).toBeCloseTo(-0.5, 12);
    expect(r.metricSums['rewards/margins']).toBeCloseTo(1, 12);
    expect(r.metricSums['rewards/accuracies']).toBe(1);
    expect(r.metricSums['logps/chosen']).toBe(-1);
    expect(r.metricSums['logps/rejected']).toBe(-3);
    expect(r.lossSum).toBeCloseTo(Math.log1p(Math.exp(-1)), 12);
  });

  it('is stable for large logits', () => {
    expect(logSigmoid(1000)).toBe(-0);
    expect(logSigmoid(-1000)).toBe(-1000);
  });

  it('maps sequence gradients onto the kept token positions', () => {
    const targets = Int32Array.of(IGNORE_INDEX, 4, 5, IGNORE_INDEX, 6, IGNORE_INDEX);
    expect([...sequenceLogps(Float32Array.of(0, -1, -2, 0, -4, 0), targets, 2, 3)]).toEqual([-3, -4]);
    expect([...rowGradients([0.5, -0.25], targets, 2, 3)]).toEqual([0, 0.5, 0.5, 0, -0.25, 0]);
  });
});
