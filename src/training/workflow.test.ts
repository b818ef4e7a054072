import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHfCheckpoint } from '../engine/formats/hf-checkpoint.js';
import { loadPeftAdapter } from '../engine/formats/peft.js';
import { buildSampleShop } from '../shop/sample/write.js';
import { parseRecipe } from './recipe.js';
import { trainRecipe } from './workflow.js';

/** Mean of the first and of the last `n` losses: single steps are noisy. */
const ends = (losses: number[], n = 3) => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { first: mean(losses.slice(0, n)), last: mean(losses.slice(-n)) };
};

const TINY = {
  architecture: 'qwen2' as const,
  vocab_size: 700,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 256,
};

describe('trainRecipe: pt from scratch → SFT LoRA → DPO', () => {
  it('writes an HF base, a PEFT adapter and a DPO adapter that improve on what they start from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-workflow-'));
    const shop = buildSampleShop({ scale: 0.02, seed: 3 });
    const sft = shop.sft.filter((r) => !r.history).slice(0, 120);
    writeFileSync(join(dir, 'sft.json'), JSON.stringify(sft));
    writeFileSync(join(dir, 'dpo.json'), JSON.stringify(shop.preference.slice(0, 16)));
    const common = {
      cutoff_len: 96,
      seed: 1,
      logging_steps: 1,
      eval_strategy: 'no' as const,
      save_steps: 1000,
    };

    const base = await trainRecipe({
      baseDir: dir,
      recipe: parseRecipe({
        ...common,
        model_name_or_path: 'scratch',
        new_model: TINY,
        stage: 'pt',
        finetuning_type: 'full',
        dataset: 'sft.json',
        output_dir: 'base',
        per_device_train_batch_size: 8,
        learning_rate: 1e-2,
        max_steps: 40,
      }),
    });
    expect(base.saved).toBe('hf-model');
    expect(ends(base.losses).last).toBeLessThan(ends(base.losses).first);
    const checkpoint = await loadHfCheckpoint(join(dir, 'base'));
    expect(checkpoint.config.hidden_size).toBe(32);
    expect(checkpoint.tokenizerJsonPath).toBeDefined();

    const sftRun = await trainRecipe({
      baseDir: dir,
      recipe: parseRecipe({
        ...common,
        model_name_or_path: 'base',
        stage: 'sft',
        finetuning_type: 'lora',
        lora_rank: 4,
        lora_alpha: 16,
        lora_target: 'all',
        dataset: 'sft.json',
        output_dir: 'sft',
        per_device_train_batch_size: 4,
        learning_rate: 1e-2,
        max_steps: 30,
        val_size: 0.2,
        eval_on_start: true,
        eval_strategy: 'steps',
        eval_steps: 1000,
      }),
    });
    expect(sftRun.saved).toBe('peft-adapter');
    // held-out loss: after SFT below the base model's
    expect(sftRun.evalLoss!).toBeLessThan(sftRun.initialEval!.loss);
    const adapter = await loadPeftAdapter(join(dir, 'sft'));
    expect(adapter.loraConfig).toMatchObject({ rank: 4, alpha: 16 });
    const config = JSON.parse(readFileSync(join(dir, 'sft', 'adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 16, task_type: 'CAUSAL_LM' });
    expect(readFileSync(join(dir, 'sft', 'trainer_log.jsonl'), 'utf8')).toContain('"current_steps":30');

    const dpo = await trainRecipe({
      baseDir: dir,
      recipe: parseRecipe({
        ...common,
        model_name_or_path: 'base',
        adapter_name_or_path: 'sft',
        stage: 'dpo',
        finetuning_type: 'lora',
        lora_rank: 4,
        lora_alpha: 16,
        pref_beta: 0.1,
        dataset: 'dpo.json',
        output_dir: 'dpo',
        per_device_train_batch_size: 4,
        learning_rate: 5e-3,
        max_steps: 8,
      }),
    });
    expect(dpo.saved).toBe('peft-adapter');
    const logged = dpo.log.filter((e) => e['rewards/margins'] !== undefined);
    expect(Number(logged.at(-1)!['rewards/margins'])).toBeGreaterThan(Number(logged[0]!['rewards/margins']));
  });
});
