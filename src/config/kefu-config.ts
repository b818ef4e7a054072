/**
 * kefu's workspace configuration (`kefu.yaml`): one zod schema per area, composed here. Every
 * field has a default and a description; `kefu config explain` lists them. Area schemas live with
 * their code (the cleaner's in data/clean); this file only composes, so it sits above them.
 * Training recipes use LLaMA-Factory's key names and have their own schema in the training area.
 */
import { z } from 'zod';
import { assistantConfigSchema } from '../assistant/config.js';
import { cleanConfigSchema } from '../data/clean/config.js';
import { knowledgeConfigSchema } from '../knowledge/config.js';
import { serverConfigSchema } from '../server/config.js';

export const storageConfigSchema = z
  .object({
    database: z
      .string()
      .min(1)
      .default('kefu.db')
      .describe('SQLite database file, relative to the workspace (business data, sessions, runs).'),
    busyTimeoutMs: z
      .number()
      .int()
      .min(0)
      .default(5000)
      .describe('How long a writer waits for a locked database before failing, in milliseconds.'),
  })
  .strict();

export const splitConfigSchema = z
  .object({
    train: z.number().min(0).max(1).default(0.8).describe('Share of examples in the training set.'),
    validation: z.number().min(0).max(1).default(0.1).describe('Share of examples in the validation set.'),
    test: z.number().min(0).max(1).default(0.1).describe('Share of examples held out for evaluation.'),
    seed: z.number().int().default(42).describe('Seed of the split; the same seed gives the same split.'),
  })
  .strict()
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-9, {
    message: 'train + validation + test must add up to 1',
  });

export const sampleConfigSchema = z
  .object({
    seed: z
      .number()
      .int()
      .default(42)
      .describe('Seed of the sample shop; the same seed gives identical files.'),
    scale: z
      .number()
      .positive()
      .max(10)
      .default(1)
      .describe('Multiplier of dataset volumes (1 = the seed: 10,000 dialogues, 5,000 FAQ, 1,000 pairs).'),
  })
  .strict();

export const kefuConfigSchema = z
  .object({
    storage: storageConfigSchema.prefault({}).describe('Where kefu keeps its database.'),
    data: z
      .object({
        split: splitConfigSchema.prefault({}).describe('How `kefu data split` divides a dataset.'),
        clean: cleanConfigSchema.prefault({}).describe('What `kefu data clean` removes and masks.'),
      })
      .strict()
      .prefault({})
      .describe('Dataset handling.'),
    sample: sampleConfigSchema.prefault({}).describe('The generated sample shop (`kefu sample`).'),
    knowledge: knowledgeConfigSchema
      .prefault({})
      .describe('The knowledge base: chunking, embeddings, store (`kefu kb`).'),
    assistant: assistantConfigSchema
      .prefault({})
      .describe('The assistant: persona, generation, retrieval, grounding, handoff.'),
    server: serverConfigSchema.prefault({}).describe('The HTTP service (`kefu serve`).'),
  })
  .strict();

export type KefuConfig = z.infer<typeof kefuConfigSchema>;
