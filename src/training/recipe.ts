/**
 * The training recipe: a zod schema with LLaMA-Factory's YAML key names, each with its default
 * and a description, so a LLaMA-Factory recipe loads unchanged and `kefu config explain` can
 * list every knob. Defaults are LLaMA-Factory's / HF Trainer's (lora_alpha = 2 × lora_rank,
 * batch 8, lr 5e-5, linear schedule, logging every 500 steps); the seed's values (alpha 32,
 * batch 4, lr 2e-4, …) live in the example recipes under ./recipes. Keys LLaMA-Factory recipes
 * commonly carry that mean nothing on a CPU (bf16, report_to, …) are accepted and ignored.
 * Does not: read datasets, build models or train.
 */
import { z } from 'zod';
import { loadConfig } from '../core/config/load.js';

const positiveInt = () => z.number().int().positive();
const ignored = (what: string) =>
  z.unknown().optional().describe(`${what} Accepted for LLaMA-Factory compatibility; kefu ignores it.`);

export const recipeSchema = z
  .object({
    // model
    model_name_or_path: z
      .string()
      .min(1)
      .describe('Base model: a local folder or a model id the model loader understands.'),
    trust_remote_code: ignored('Lets HF run model code.'),
    adapter_name_or_path: z
      .string()
      .optional()
      .describe(
        'PEFT adapter folder merged into the base model before training (e.g. the SFT adapter for DPO).',
      ),
    new_model: z
      .strictObject({
        architecture: z.enum(['llama', 'qwen2']).default('qwen2').describe('Model family of the new model.'),
        vocab_size: z
          .number()
          .int()
          .min(300)
          .default(4000)
          .describe('BPE vocabulary trained on the datasets.'),
        hidden_size: z.number().int().positive().default(128).describe('Width of the residual stream.'),
        intermediate_size: z.number().int().positive().default(352).describe('Width of the SwiGLU MLP.'),
        num_hidden_layers: z.number().int().positive().default(4).describe('Decoder layers.'),
        num_attention_heads: z.number().int().positive().default(4).describe('Query heads.'),
        num_key_value_heads: z.number().int().positive().default(2).describe('Key/value heads (GQA).'),
        max_position_embeddings: z.number().int().positive().default(512).describe('Longest context.'),
      })
      .optional()
      .describe(
        'kefu: with `model_name_or_path: scratch` and stage pt, the size of the model (and tokenizer) to create.',
      ),
    // method
    stage: z
      .enum(['pt', 'sft', 'dpo'])
      .default('sft')
      .describe('Training stage: pt (plain text, every token trains), sft (assistant turns train), dpo.'),
    do_train: z.literal(true).default(true).describe('Must be true: kefu recipes always train.'),
    finetuning_type: z
      .enum(['lora', 'full'])
      .default('lora')
      .describe('lora trains low-rank adapters only; full trains every weight.'),
    lora_rank: positiveInt().default(8).describe('LoRA rank r.'),
    lora_alpha: z
      .number()
      .positive()
      .optional()
      .describe('LoRA scale numerator (scale = alpha / rank). Default: lora_rank * 2, as in LLaMA-Factory.'),
    lora_dropout: z.number().min(0).max(1).default(0).describe('Dropout on the LoRA input.'),
    lora_target: z
      .string()
      .min(1)
      .default('all')
      .describe('Modules that get adapters: "all" or a comma list such as "q_proj,v_proj".'),
    pref_beta: z.number().positive().default(0.1).describe('DPO beta: strength of the KL penalty.'),
    pref_loss: z
      .enum(['sigmoid'])
      .default('sigmoid')
      .describe('DPO loss; only sigmoid (the DPO paper) for now.'),
    pref_ftx: z.literal(0).default(0).describe('SFT loss weight added to DPO; only 0 is supported.'),
    dpo_label_smoothing: z
      .number()
      .min(0)
      .max(0.5)
      .default(0)
      .describe('Conservative DPO: assumed probability that a preference label is flipped.'),
    // dataset
    dataset: z
      .string()
      .min(1)
      .describe('Comma list of dataset names (from dataset_info.json) or file paths.'),
    dataset_dir: z.string().default('data').describe('Folder that holds dataset_info.json and the datasets.'),
    template: z.enum(['chatml']).default('chatml').describe('Chat template used to turn turns into tokens.'),
    cutoff_len: positiveInt()
      .default(2048)
      .describe('Longest tokenized sequence; longer ones are truncated.'),
    max_samples: positiveInt().optional().describe('Use at most this many examples of each dataset.'),
    val_size: z
      .number()
      .min(0)
      .default(0)
      .describe('Share (< 1) or count (>= 1) of examples held out for validation when none is given.'),
    train_on_prompt: z.boolean().default(false).describe('Also train on prompt tokens (SFT).'),
    mask_history: z.boolean().default(false).describe('Train on the last assistant turn only (SFT).'),
    overwrite_cache: ignored('Rebuild the tokenized dataset cache.'),
    preprocessing_num_workers: ignored('Tokenizer worker processes.'),
    dataloader_num_workers: ignored('Data loader worker processes.'),
    // output
    output_dir: z
      .string()
      .min(1)
      .default('trainer_output')
      .describe('Where checkpoints and trainer_log.jsonl go.'),
    logging_steps: positiveInt()
      .default(500)
      .describe('Write a trainer_log.jsonl line every this many steps.'),
    save_steps: positiveInt().default(500).describe('Save a checkpoint every this many optimizer steps.'),
    save_total_limit: positiveInt()
      .optional()
      .describe('Keep at most this many checkpoints (oldest go first).'),
    overwrite_output_dir: z
      .boolean()
      .default(false)
      .describe('Start afresh in an output_dir that already holds checkpoints, deleting them.'),
    resume_from_checkpoint: z
      .string()
      .optional()
      .describe('Checkpoint folder to continue from, or "latest" for the newest one in output_dir.'),
    plot_loss: ignored('Draw a loss plot.'),
    report_to: ignored('Experiment trackers.'),
    save_only_model: ignored('Skip optimizer state in checkpoints.'),
    // train
    per_device_train_batch_size: positiveInt().default(8).describe('Sequences per micro-batch.'),
    gradient_accumulation_steps: positiveInt().default(1).describe('Micro-batches per optimizer step.'),
    learning_rate: z.number().positive().default(5e-5).describe('Peak learning rate of AdamW.'),
    num_train_epochs: z
      .number()
      .positive()
      .default(3)
      .describe('Passes over the training set (may be fractional).'),
    max_steps: z
      .number()
      .int()
      .refine((v) => v === -1 || v > 0, 'expected -1 (no cap) or a positive step count')
      .default(-1)
      .describe('Stop after this many optimizer steps; -1 derives the count from num_train_epochs.'),
    lr_scheduler_type: z
      .enum(['linear', 'cosine', 'constant', 'constant_with_warmup'])
      .default('linear')
      .describe('Learning-rate schedule as HF get_scheduler; constant ignores warmup, as in HF.'),
    warmup_ratio: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of steps spent warming up linearly from 0.'),
    max_grad_norm: z
      .number()
      .min(0)
      .default(1)
      .describe('Clip the global gradient norm to this; 0 disables.'),
    weight_decay: z
      .number()
      .min(0)
      .default(0)
      .describe('AdamW decoupled weight decay (not on biases and norms).'),
    adam_beta1: z.number().min(0).max(1).default(0.9).describe('AdamW first-moment decay.'),
    adam_beta2: z.number().min(0).max(1).default(0.999).describe('AdamW second-moment decay.'),
    adam_epsilon: z.number().positive().default(1e-8).describe('AdamW denominator epsilon.'),
    seed: z.number().int().default(42).describe('Seed of the data order; the same seed gives the same run.'),
    bf16: ignored('Train in bfloat16; kefu trains in float32.'),
    fp16: ignored('Train in float16; kefu trains in float32.'),
    ddp_timeout: ignored('Distributed training timeout.'),
    // eval
    eval_strategy: z
      .enum(['no', 'steps', 'epoch'])
      .default('steps')
      .describe('When to compute validation loss (always also at the end when validation data exists).'),
    eval_steps: positiveInt().optional().describe('Validate every this many steps. Default: logging_steps.'),
    per_device_eval_batch_size: positiveInt().default(8).describe('Sequences per validation batch.'),
    eval_on_start: z
      .boolean()
      .default(false)
      .describe('Also validate before the first step (HF TrainingArguments key), to compare with the start.'),
  })
  .strict();

export type Recipe = z.infer<typeof recipeSchema>;
export type RecipeInput = z.input<typeof recipeSchema>;

/** lora_alpha with LLaMA-Factory's default (2 × rank) applied. */
export function loraAlpha(recipe: Recipe): number {
  return recipe.lora_alpha ?? recipe.lora_rank * 2;
}

/** Module names from lora_target ("all" stays as the single entry "all"). */
export function loraTargets(recipe: Recipe): string[] {
  return recipe.lora_target
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Dataset names or paths from the comma list. */
export function datasetNames(recipe: Recipe): string[] {
  return recipe.dataset
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parse an in-memory recipe (tests, resumed checkpoints); throws zod's error on bad input. */
export function parseRecipe(input: RecipeInput): Recipe {
  return recipeSchema.parse(input);
}

/** Load a recipe YAML file, with `--set key=value` overrides; failures are ConfigErrors with file:line. */
export function loadRecipe(file: string | undefined, sets: readonly string[] = []): Recipe {
  return loadConfig(recipeSchema, {
    ...(file ? { file } : {}),
    sets,
    fieldsHint: "recipe keys are LLaMA-Factory's; see examples/train/*.yaml and `kefu train --help`",
  });
}
