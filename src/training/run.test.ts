import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collate } from './encode.js';
import { lmStep } from './objective.js';
import { runTraining } from './run.js';
import { BigramModel } from './test-helpers/bigram-model.js';
import { CharTokenizer } from './test-helpers/char-tokenizer.js';
import { prepareForTest } from './test-helpers/prepare-for-test.js';
import { recipe, tempDir } from './test-helpers/toy-data.js';

const tokenizer = new CharTokenizer();

describe('runTraining', () => {
  it('reads an alpaca file, holds out validation and trains', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 12 }, (_, i) => ({
      instruction: `where is order ${i % 3}`,
      input: `ORD-${i}`,
      output: 'on its way',
    }));
    writeFileSync(join(dir, 'sft.json'), JSON.stringify(rows));
    const result = await runTraining({
      recipe: recipe({ dataset: 'sft.json', val_size: 0.25, output_dir: 'out', max_steps: 4 }),
      model: new BigramModel({ vocabSize: tokenizer.vocabSize, seed: 1 }),
      tokenizer,
      tokenizerHash: 't',
      modelHash: 'm',
      baseDir: dir,
    });
    expect(result.status).toBe('completed');
    expect(result.outputDir).toBe(join(dir, 'out'));
    expect(result.log.some((l) => l.eval_loss !== undefined)).toBe(true);
  });
});

describe('gradient accumulation', () => {
  it('two micro-batches give the same gradient as one batch of both', () => {
    const items = prepareForTest(tokenizer);
    const a = new BigramModel({ vocabSize: tokenizer.vocabSize, seed: 3 });
    const b = new BigramModel({ vocabSize: tokenizer.vocabSize, seed: 3 });
    const la = lmStep(a, items, [[0], [1]], 0);
    const lb = lmStep(b, items, [[0, 1]], 0);
    expect(la.loss).toBeCloseTo(lb.loss, 6);
    const ga = a.weight.grad!;
    const gb = b.weight.grad!;
    for (let i = 0; i < ga.length; i++) expect(ga[i]).toBeCloseTo(gb[i]!, 6);
    expect(collate(items, 0).kept).toBeGreaterThan(0);
  });
});
