/**
 * Test helper: tiny SFT and preference datasets the bigram model can learn, a recipe builder with
 * fast settings, and a temp output folder. Not for production use.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Example } from '../../data/example.js';
import { parseRecipe, type Recipe, type RecipeInput } from '../recipe.js';

export function sftExamples(n = 8): Example[] {
  const replies = ['ok, shipped', 'refund done', 'in stock', 'see you'];
  return Array.from({ length: n }, (_, i) => ({
    kind: 'sft' as const,
    id: `sft-${i}`,
    messages: [
      { role: 'user' as const, content: `q${i % 4}` },
      { role: 'assistant' as const, content: replies[i % 4]! },
    ],
  }));
}

export function preferenceExamples(n = 6): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'preference' as const,
    id: `pref-${i}`,
    messages: [{ role: 'user' as const, content: `help ${i % 3}` }],
    chosen: 'sure, glad to help',
    rejected: 'no. go away',
  }));
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kefu-train-'));
}

export function recipe(overrides: Partial<RecipeInput> = {}): Recipe {
  return parseRecipe({
    model_name_or_path: 'toy',
    dataset: 'toy',
    per_device_train_batch_size: 2,
    learning_rate: 0.05,
    num_train_epochs: 3,
    logging_steps: 1,
    save_steps: 1000,
    lr_scheduler_type: 'cosine',
    warmup_ratio: 0.1,
    ...overrides,
  });
}

export const HASHES = { data: 'd'.repeat(64), tokenizer: 't'.repeat(64), model: 'm'.repeat(64) };
