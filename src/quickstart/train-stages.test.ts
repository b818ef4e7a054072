import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyTrainedWorkspace } from '../assistant/models/test-helpers/tiny-trained-workspace.js';
import { parseVariantList } from '../eval/variants.js';
import { exportGguf } from './train-stages.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('the quickstart’s GGUF stage', () => {
  it('exports base + SFT + DPO to models/model.gguf, where the eval’s ablation finds it', async () => {
    const root = await tinyTrainedWorkspace();
    made.push(root);
    const result = await exportGguf(root);
    expect(result.path).toBe(join(root, 'models/model.gguf'));
    const bytes = readFileSync(result.path);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(result.bytes).toBe(bytes.length);
    // The merged-SFT scratch folder is gone; only the three model folders and the GGUF remain.
    expect(readdirSync(join(root, 'models')).sort()).toEqual(['base', 'dpo', 'model.gguf', 'sft']);
    const { variants, skipped } = parseVariantList('ablation', root);
    expect(variants.map((v) => v.name)).toContain('gguf (node-llama-cpp)');
    expect(skipped).toEqual([]);
  }, 20_000);
});
