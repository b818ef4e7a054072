/**
 * Writes a tiny LoRA SFT recipe (`tiny.yaml`, 5 steps on the committed base model) and its 8-row
 * dataset (`tiny.json`) into a workspace, for tests that run a real training job in a second or so.
 * Test-only; not shipped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMITTED_BASE_MODEL } from '../workspace-server.js';

export function writeTinySftRecipe(root: string): void {
  const rows = Array.from({ length: 8 }, (_, i) => ({
    instruction: `订单${i}到哪了`,
    input: '',
    output: '您的订单已发货，请耐心等待。',
  }));
  writeFileSync(join(root, 'tiny.json'), JSON.stringify(rows));
  writeFileSync(
    join(root, 'tiny.yaml'),
    [
      `model_name_or_path: ${COMMITTED_BASE_MODEL}`,
      'stage: sft',
      'finetuning_type: lora',
      'lora_rank: 4',
      'dataset: tiny.json',
      'template: chatml',
      'cutoff_len: 64',
      'output_dir: models/tiny',
      'logging_steps: 1',
      'per_device_train_batch_size: 2',
      'max_steps: 5',
    ].join('\n'),
  );
}
