/**
 * Sampler: greedy, temperature, top-k, top-p and repetition penalty behave as HF's logits
 * processors, and a seed makes draws reproducible.
 */
import { describe, expect, it } from 'vitest';
import { argmax, Sampler, topIndices } from './sampling.js';

const logits = () => Float32Array.from([1, 3, 2, 0.5, -1, 2.9]);
const histogram = (s: Sampler, n: number, history: number[] = []) => {
  const counts = new Array(6).fill(0);
  for (let i = 0; i < n; i++) counts[s.sample(logits(), history)]++;
  return counts as number[];
};

describe('Sampler', () => {
  it('greedy picks the argmax', () => {
    expect(new Sampler(6, { temperature: 0 }).sample(logits())).toBe(1);
    expect(argmax(logits())).toBe(1);
  });

  it('top-k keeps only the k most likely tokens', () => {
    const counts = histogram(new Sampler(6, { topK: 2, seed: 1 }), 2000);
    expect(counts[1]! + counts[5]!).toBe(2000);
    expect(counts[1]! / counts[5]!).toBeCloseTo(Math.exp(0.1), 0);
  });

  it('top-p keeps the smallest nucleus reaching p', () => {
    // probs ∝ e^[1,3,2,.5,-1,2.9]: token 1 ≈ .41, 5 ≈ .37, 2 ≈ .15 → p=0.7 keeps {1, 5}
    const counts = histogram(new Sampler(6, { topP: 0.7, seed: 2 }), 2000);
    expect(counts[1]! + counts[5]!).toBe(2000);
    const wide = histogram(new Sampler(6, { topP: 0.9, seed: 2 }), 2000);
    expect(wide[2]).toBeGreaterThan(0);
    expect(wide[0]! + wide[3]! + wide[4]!).toBe(0);
  });

  it('low temperature sharpens, seed reproduces', () => {
    const cold = histogram(new Sampler(6, { temperature: 0.05, seed: 3 }), 500);
    expect(cold[1]).toBeGreaterThan(400);
    expect(histogram(new Sampler(6, { seed: 9 }), 50)).toEqual(histogram(new Sampler(6, { seed: 9 }), 50));
  });

  it('repetition penalty divides positive and multiplies negative logits once per token', () => {
    const l = logits();
    new Sampler(6, { temperature: 0, repetitionPenalty: 2 }).sample(l, [1, 1, 4]);
    expect(Array.from(l)).toEqual(Array.from(Float32Array.from([1, 1.5, 2, 0.5, -2, 2.9])));
    expect(new Sampler(6, { temperature: 0, repetitionPenalty: 2 }).sample(logits(), [1])).toBe(5);
  });

  it('rejects invalid settings', () => {
    expect(() => new Sampler(6, { topP: 0 })).toThrow(/top_p/);
    expect(() => new Sampler(6, { temperature: -1 })).toThrow(/temperature/);
  });
});

describe('Sampler.sampleAccepted', () => {
  it('greedy tries tokens in descending logit order and takes the first accepted', () => {
    const asked: number[] = [];
    const s = new Sampler(6, { temperature: 0 });
    const id = s.sampleAccepted(
      logits(),
      [],
      0,
      (t) => {
        asked.push(t);
        return t === 2;
      },
      8,
    );
    expect(id).toBe(2);
    expect(asked).toEqual([1, 5, 2]);
  });

  it('falls back to the unconstrained best token after maxTries rejections', () => {
    const s = new Sampler(6, { temperature: 0 });
    let asked = 0;
    expect(
      s.sampleAccepted(
        logits(),
        [],
        0,
        () => {
          asked++;
          return false;
        },
        3,
      ),
    ).toBe(1);
    expect(asked).toBe(3);
  });

  it('sampling redraws inside top-p, then goes on outside it', () => {
    const s = new Sampler(6, { topP: 0.7, seed: 4 });
    for (let i = 0; i < 50; i++) expect(s.sampleAccepted(logits(), [], 0, (t) => t !== 1, 6)).toBe(5);
    expect(new Sampler(6, { topP: 0.7, seed: 4 }).sampleAccepted(logits(), [], 0, (t) => t === 0, 6)).toBe(0);
  });

  it('topIndices lists the k largest, largest first', () => {
    expect(topIndices(logits(), 3)).toEqual([1, 5, 2]);
  });
});
