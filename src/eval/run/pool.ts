/**
 * Runs async jobs with a fixed number of workers, keeping results in input order, and stops
 * handing out work when the signal aborts. `lanes` lets jobs that share state (two simulated
 * conversations of one customer) run one after another inside one lane.
 */
import { AbortedError } from '../../core/errors.js';

export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  options: { signal?: AbortSignal; lane?: (item: T) => string; onDone?: () => void } = {},
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const lanes = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = options.lane ? options.lane(item) : String(index);
    lanes.set(key, [...(lanes.get(key) ?? []), index]);
  });
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const index of lane) {
        if (options.signal?.aborted) throw new AbortedError('evaluation aborted');
        results[index] = await work(items[index] as T, index);
        options.onDone?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  return results;
}
