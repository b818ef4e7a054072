/** `kefu train --config <recipe.yaml>`: pt / sft / dpo with LoRA or full fine-tuning, on the CPU. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { formatDuration } from '../../core/progress.js';
import { kernelsInfo } from '../../engine/kernels/index.js';
import { loadRecipe } from '../../training/recipe.js';
import { trainRecipe } from '../../training/workflow.js';
import type { CommandContext } from '../context.js';

export function registerTrain(program: Command, context: () => CommandContext): void {
  program
    .command('train')
    .description('train a model from a LLaMA-Factory-style recipe: stages pt, sft, dpo; LoRA or full')
    .option('--resume <checkpoint>', 'continue from a checkpoint folder, or "latest" in output_dir')
    .addHelpText(
      'after',
      `
The recipe is the global --config file; its keys are LLaMA-Factory's (stage, finetuning_type,
lora_rank, lora_alpha, lora_target, pref_beta, dataset, cutoff_len, per_device_train_batch_size,
gradient_accumulation_steps, learning_rate, num_train_epochs, lr_scheduler_type, warmup_ratio,
val_size, output_dir …); --set overrides any of them. Paths are relative to the workspace (or the
current folder outside one). Ctrl-C finishes the current step and saves a checkpoint.

output_dir receives trainer_log.jsonl, checkpoint-N/ folders and, at the end, a PEFT adapter
(adapter_config.json + adapter_model.safetensors) for LoRA or an HF model folder for full/pt.

Examples:
  $ kefu --config examples/train/sft_lora.yaml train
  $ kefu --config examples/train/dpo_lora.yaml train --set num_train_epochs=1
  $ kefu --config examples/train/sft_lora.yaml train --resume latest`,
    )
    .action(async (options: { resume?: string }) => {
      const ctx = context();
      if (!ctx.globals.config) {
        throw new UsageError('kefu train needs a recipe', {
          hint: 'kefu --config examples/train/sft_lora.yaml train',
        });
      }
      const recipe = loadRecipe(resolve(ctx.io.cwd, ctx.globals.config), ctx.globals.set);
      let baseDir = ctx.io.cwd;
      try {
        baseDir = ctx.workspaceRoot();
      } catch {}
      const controller = new AbortController();
      const onSignal = () => {
        ctx.print('\nstopping after this step and saving a checkpoint (Ctrl-C again to kill)…');
        controller.abort();
        process.once('SIGINT', () => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      const started = performance.now();
      try {
        ctx.print(
          `${recipe.stage} · ${recipe.finetuning_type} · ${recipe.model_name_or_path} → ${recipe.output_dir} · ${kernelsInfo().auto} kernels`,
        );
        const result = await trainRecipe({
          recipe,
          baseDir,
          progress: ctx.progress(),
          signal: controller.signal,
          ...(options.resume ? { resumeFrom: options.resume } : {}),
        });
        ctx.result(result);
        const last = result.log.filter((e) => e.loss !== undefined).at(-1);
        ctx.print(
          `${result.status} at step ${result.step}/${result.totalSteps} in ${formatDuration((performance.now() - started) / 1000)}` +
            (last?.loss !== undefined ? `, loss ${last.loss.toFixed(4)}` : '') +
            (result.evalLoss !== undefined ? `, eval_loss ${result.evalLoss.toFixed(4)}` : ''),
        );
        if (result.saved) ctx.print(`saved ${result.saved} in ${result.outputDir}`);
        if (result.checkpoint) ctx.print(`checkpoint ${result.checkpoint}`);
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
