/**
 * Benchmark: `kefu data clean` end to end on files — 100,000 sample-shop dialogues (10,000 with
 * --quick) read from JSON, cleaned, written with the audit and report — against the I/O floor in
 * the same run: the same records read and written back without cleaning. Notes peak RSS so the
 * bounded-memory claim is checked at scale. Goal from the data issue: 100k in <= 60 s.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Benchmark, timeMs } from '../../bench/benchmark.js';
import { readExamples } from '../io/read.js';
import { writeExamples } from '../io/write.js';
import { cleanFiles } from './clean-files.js';

/** Peak resident set size while `work` runs, sampled every 50 ms, in MiB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMiB: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

export const cleanFilesBenchmark: Benchmark = {
  id: 'data.clean-files',
  title: '`kefu data clean` on sample-shop dialogues, files in and out',
  async run({ scratchDir, quick, log }) {
    // Generate the input in a child process so this process's memory reflects cleaning only.
    const scale = quick ? 1 : 10;
    const bin = fileURLToPath(new URL('../../../bin/kefu.js', import.meta.url));
    execFileSync(process.execPath, [
      bin,
      'sample',
      '--out',
      join(scratchDir, 'shop'),
      '--scale',
      String(scale),
      '--seed',
      '7',
      '--quiet',
    ]);
    const input = join(scratchDir, 'shop', 'datasets', 'sft.json');
    const n = JSON.parse(readFileSync(join(scratchDir, 'shop', 'manifest.json'), 'utf8')).counts
      .sft as number;
    log(`${n} dialogues written; cleaning`);
    const baseline = Math.round(process.memoryUsage.rss() / 2 ** 20);
    let summary = '';
    let peakMiB = 0;
    const cleanMs = await timeMs(async () => {
      const run = await withPeakRss(() =>
        cleanFiles([{ file: input, name: 'sft', read: {} }], join(scratchDir, 'out')),
      );
      peakMiB = run.peakMiB;
      const s = run.result.summary;
      summary = `kept ${s.kept}, dropped ${s.dropped} (exact ${s.reasons['duplicate.exact'] ?? 0}, near ${s.reasons['duplicate.near'] ?? 0})`;
    });
    const copyMs = await timeMs(async () => {
      const pass = async function* () {
        for await (const item of readExamples(input)) if (item.ok) yield item.example;
      };
      await writeExamples(join(scratchDir, 'copy.json'), pass(), 'alpaca');
    });
    const perSecond = (ms: number) => Math.round((n / ms) * 1000);
    return [
      {
        name: `clean ${n.toLocaleString('en-US')} dialogues`,
        value: perSecond(cleanMs),
        unit: 'records/s',
        higherIsBetter: true,
        reference: { name: 'read + write, no cleaning', value: perSecond(copyMs) },
        goal: { value: 100_000 / 60, text: '100k in <= 60 s (>= 1,667 records/s)' },
        notes: `${(cleanMs / 1000).toFixed(1)} s; ${summary}; peak RSS ${peakMiB} MiB (${baseline} MiB before)`,
      },
    ];
  },
};
