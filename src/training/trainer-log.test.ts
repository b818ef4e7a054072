import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeFailure } from '../core/errors.js';
import { BigramModel } from './test-helpers/bigram-model.js';
import { CharTokenizer } from './test-helpers/char-tokenizer.js';
import { HASHES, recipe, sftExamples, tempDir } from './test-helpers/toy-data.js';
import { train } from './trainer.js';
import { TRAINER_LOG } from './trainer-log.js';

describe('trainer_log.jsonl on a full disk', () => {
  // /dev/full answers every write with ENOSPC: a real full disk for one file.
  it.skipIf(process.platform !== 'linux')('stops train() with E_DISK_FULL naming the log file', async () => {
    const dir = tempDir();
    symlinkSync('/dev/full', join(dir, TRAINER_LOG));
    const tokenizer = new CharTokenizer();
    const error = await train({
      recipe: recipe({ max_steps: 2 }),
      model: new BigramModel({ vocabSize: tokenizer.vocabSize, seed: 7 }),
      tokenizer,
      train: sftExamples(8),
      hashes: HASHES,
      outputDir: dir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeFailure);
    expect((error as RuntimeFailure).code).toBe('E_DISK_FULL');
    expect((error as RuntimeFailure).message).toContain(TRAINER_LOG);
    expect((error as RuntimeFailure).hint).toContain('checkpoint');
  });
});
