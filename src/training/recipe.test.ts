import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { datasetNames, loadRecipe, loraAlpha, loraTargets } from './recipe.js';
import { tempDir } from './test-helpers/toy-data.js';

const recipes = fileURLToPath(new URL('../../examples/train/', import.meta.url));

describe('recipes', () => {
  it('loads the seed SFT and DPO recipes', () => {
    const sft = loadRecipe(join(recipes, 'sft_lora.yaml'));
    expect(sft).toMatchObject({ stage: 'sft', lora_rank: 8, lora_alpha: 32, per_device_train_batch_size: 4 });
    expect(sft.learning_rate).toBe(2e-4);
    expect(sft.num_train_epochs).toBe(3);
    const dpo = loadRecipe(join(recipes, 'dpo_lora.yaml'));
    expect(dpo).toMatchObject({
      stage: 'dpo',
      pref_beta: 0.1,
      pref_loss: 'sigmoid',
      learning_rate: 1e-5,
      num_train_epochs: 2,
    });
  });

  it("applies LLaMA-Factory's defaults", () => {
    const file = join(tempDir(), 'r.yaml');
    writeFileSync(file, 'model_name_or_path: m\ndataset: a, b\nlora_target: q_proj,v_proj\nbf16: true\n');
    const recipe = loadRecipe(file);
    expect(loraAlpha(recipe)).toBe(16);
    expect(loraTargets(recipe)).toEqual(['q_proj', 'v_proj']);
    expect(datasetNames(recipe)).toEqual(['a', 'b']);
    expect(recipe).toMatchObject({
      cutoff_len: 2048,
      max_grad_norm: 1,
      pref_beta: 0.1,
      lr_scheduler_type: 'linear',
    });
  });

  it('rejects unknown keys with a suggestion and the line', () => {
    const file = join(tempDir(), 'r.yaml');
    writeFileSync(file, 'model_name_or_path: m\ndataset: a\nlora_rnak: 8\n');
    try {
      loadRecipe(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/r\.yaml:3.*lora_rnak.*did you mean "lora_rank"/);
    }
    expect(() => loadRecipe(file, ['lora_rnak=1'])).toThrow(ConfigError);
  });
});
