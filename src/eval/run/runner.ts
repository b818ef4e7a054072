/**
 * Runs the chosen eval sets against one target: accuracy, coherence and safety first (they do not
 * change the order book), the simulated customers last, each set `repeat` times for pass^k, with
 * `concurrency` conversations at once (a customer's simulated conversations run one after another
 * so their order-book checks do not see each other). Before each replacement repeat the target's
 * `reset` restores the order book; a target without one runs that set once and says so in `notes`.
 */
import type { Progress } from '../../core/progress.js';
import { silentProgress } from '../../core/progress.js';
import type { OrderBookReader } from '../../shop/order-book.js';
import { SYSTEM_PROMPT } from '../../shop/sample/dialogue/phrases.js';
import type { Judge } from '../grade/judge.js';
import type { RunRecords } from '../results.js';
import { EVAL_SET_NAMES, type EvalSetName, type EvalSets, type EvalTarget } from '../types.js';
import { type ItemContext, runAccuracyCase, runSafetyCase, runScenario } from './items.js';
import { runPool } from './pool.js';
import { runConversation } from './simulator.js';

export interface RunOptions {
  /** Sets to run, default all four. */
  sets?: readonly EvalSetName[];
  /** Runs of each set, for pass^k. Default 1. */
  repeat?: number;
  /** Conversations at once. Default 4. */
  concurrency?: number;
  /** At most this many items per set. */
  limit?: number;
  /** Order-book access for the τ-bench-style state checks (the workspace store the server uses). */
  orderBook?: OrderBookReader;
  judge?: Judge;
  signal?: AbortSignal;
  progress?: Progress;
}

/**
 * At most `limit` items, taken in turn from each group (question kind, scenario kind, goal) so a
 * limited run still covers every kind; items keep their set order inside a group.
 */
export function stratifiedSample<T>(items: readonly T[], limit: number, group: (item: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(group(item), [...(groups.get(group(item)) ?? []), item]);
  const queues = [...groups.values()];
  const out: T[] = [];
  for (let i = 0; out.length < limit && queues.some((q) => i < q.length); i++) {
    for (const q of queues) if (i < q.length && out.length < limit) out.push(q[i] as T);
  }
  return out;
}

/** Clauses of known system prompts that must never come back to a customer. */
export function promptFragments(prompts: readonly string[]): string[] {
  return prompts.flatMap((p) =>
    p
      .split(/[，。；：,.;:\n]/)
      .map((s) => s.trim())
      .filter((s) => s.length >= 8),
  );
}

export async function runEvalSets(
  target: EvalTarget,
  sets: EvalSets,
  options: RunOptions = {},
): Promise<RunRecords> {
  const chosen = new Set(options.sets ?? EVAL_SET_NAMES);
  const repeats = Math.max(1, Math.floor(options.repeat ?? 1));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const limit = options.limit;
  const take = <T extends { id: string }>(list: readonly T[], group: (item: T) => string) =>
    limit ? stratifiedSample(list, limit, group) : [...list];
  const progress = options.progress ?? silentProgress;
  const secrets = promptFragments([SYSTEM_PROMPT, ...((await target.secrets?.()) ?? [])]);
  const records: RunRecords = {
    target: target.name,
    repeats,
    accuracy: [],
    coherence: [],
    replacement: [],
    safety: [],
    notes: [],
  };
  const context = (repeat: number): ItemContext => ({
    target,
    repeat,
    secrets,
    ...(options.orderBook ? { orderBook: options.orderBook } : {}),
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const pool = async <T, R>(
    label: string,
    items: readonly T[],
    run: (item: T, ctx: ItemContext) => Promise<R>,
    repeatsHere: number,
    before?: () => Promise<void>,
    lane?: (item: T) => string,
  ) => {
    const task = progress.start(`${target.name}: ${label}`, items.length * repeatsHere, 'items');
    const out: R[] = [];
    for (let r = 0; r < repeatsHere; r++) {
      await before?.();
      const ctx = context(r);
      out.push(
        ...(await runPool(items, concurrency, (item) => run(item, ctx), {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(lane ? { lane } : {}),
          onDone: () => task.tick(),
        })),
      );
    }
    task.done();
    return out;
  };
  if (chosen.has('accuracy'))
    records.accuracy = await pool(
      'accuracy',
      take(sets.accuracy, (c) => c.kind),
      runAccuracyCase,
      repeats,
    );
  if (chosen.has('coherence'))
    records.coherence = await pool(
      'coherence',
      take(sets.coherence, (c) => c.kind),
      runScenario,
      repeats,
    );
  if (chosen.has('safety'))
    records.safety = await pool(
      'safety',
      take(sets.safety, (c) => c.kind),
      runSafetyCase,
      repeats,
    );
  if (chosen.has('replacement')) {
    let replacementRepeats = repeats;
    if (repeats > 1 && !target.reset) {
      replacementRepeats = 1;
      records.notes.push(
        'replacement ran once: the target cannot restore the order book between repeats, so pass^k is not measured for it',
      );
    }
    if (!options.orderBook)
      records.notes.push(
        'replacement judged from tool calls only: no order-book access for the database check',
      );
    const reset = target.reset?.bind(target);
    records.replacement = await pool(
      'replacement',
      take(sets.replacement, (c) => c.goal),
      runConversation,
      replacementRepeats,
      reset,
      (s) => s.customerId,
    );
  }
  return records;
}
