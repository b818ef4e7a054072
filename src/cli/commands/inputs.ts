/** Shared by the data commands: expand CLI paths into dataset inputs, reporting skipped entries. */
import { UsageError } from '../../core/errors.js';
import { expandInputs, type InputSpec } from '../../data/jobs/inputs.js';
import type { CommandContext } from '../context.js';

export async function inputsFor(ctx: CommandContext, files: string[]): Promise<InputSpec[]> {
  const { inputs, skipped } = await expandInputs(files, ctx.io.cwd);
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.name]);
  for (const [reason, names] of byReason) {
    const shown =
      names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
    ctx.print(`skipped ${names.length} dataset(s), ${reason}: ${shown}`);
  }
  if (inputs.length === 0) throw new UsageError('no local datasets among the inputs');
  return inputs;
}
