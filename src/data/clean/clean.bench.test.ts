/** Tests for the benchmark data generator in clean.bench.ts (not the timing). */

import { describe, expect, it } from 'vitest';
import { cleanBenchmark, syntheticDialogues } from './clean.bench.js';
import { Cleaner } from './pipeline.js';

describe('clean benchmark data', () => {
  it('is deterministic', () => {
    expect(syntheticDialogues(500)).toEqual(syntheticDialogues(500));
    expect(syntheticDialogues(500, 1)).not.toEqual(syntheticDialogues(500, 2));
  });

  it('exercises every detector', () => {
    const cleaner = new Cleaner();
    for (const ex of syntheticDialogues(3000)) cleaner.process(ex);
    const s = cleaner.summary();
    for (const code of [
      'duplicate.exact',
      'duplicate.near',
      'junk.mojibake',
      'junk.control',
      'junk.empty',
      'junk.repeats_question',
      'ad.url',
      'ad.contact',
      'ad.promotion',
    ]) {
      expect(s.reasons[code], code).toBeGreaterThan(0);
    }
    for (const kind of ['phone', 'id_card', 'bank_card', 'email', 'address', 'name']) {
      expect(s.masked[kind], kind).toBeGreaterThan(0);
    }
    expect(s.kept / s.processed).toBeGreaterThan(0.6);
  });

  it('has a stable id', () => {
    expect(cleanBenchmark.id).toBe('data.clean');
  });
});
