/**
 * `npm run bench [-- --quick] [-- <id-prefix>…]`: run the registered benchmarks one after the
 * other, write bench/results/latest.json (plus a timestamped copy) and regenerate the table in
 * BENCHMARKS.md. A benchmark that throws is recorded as failed; the others still run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { benchmarks } from './registry.js';
import { type BenchResult, type BenchRun, renderTable, spliceTable } from './report.js';

const root = new URL('../../', import.meta.url).pathname;

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const filters = args.filter((a) => !a.startsWith('--'));
  const selected = benchmarks.filter((b) => filters.length === 0 || filters.some((f) => b.id.startsWith(f)));
  const results: BenchResult[] = [];
  const startedAt = new Date().toISOString();
  for (const benchmark of selected) {
    const scratchDir = mkdtempSync(join(tmpdir(), `kefu-bench-${benchmark.id}-`));
    process.stderr.write(`bench ${benchmark.id}: ${benchmark.title}\n`);
    try {
      const measurements = await benchmark.run({
        scratchDir,
        quick,
        log: (message) => process.stderr.write(`  ${message}\n`),
      });
      for (const m of measurements) {
        const ref = m.reference ? ` (reference ${m.reference.name}: ${m.reference.value} ${m.unit})` : '';
        process.stderr.write(`  ${m.name}: ${m.value} ${m.unit}${ref}\n`);
      }
      results.push({ id: benchmark.id, title: benchmark.title, measurements });
    } catch (error) {
      process.stderr.write(`  FAILED: ${(error as Error).stack ?? error}\n`);
      results.push({ id: benchmark.id, title: benchmark.title, measurements: [], error: String(error) });
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
  }
  const cpu = cpus();
  const benchRun: BenchRun = {
    startedAt,
    quick,
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
    },
    results,
  };
  const json = `${JSON.stringify(benchRun, null, 2)}\n`;
  await writeFileAtomic(join(root, 'bench/results/latest.json'), json);
  await writeFileAtomic(join(root, `bench/results/${startedAt.replace(/[:.]/g, '-')}.json`), json);
  const mdPath = join(root, 'BENCHMARKS.md');
  let document = '# Benchmarks\n';
  try {
    document = readFileSync(mdPath, 'utf8');
  } catch {}
  await writeFileAtomic(mdPath, spliceTable(document, renderTable(benchRun)));
  process.stderr.write(`wrote bench/results/latest.json and BENCHMARKS.md\n`);
  return results.some((r) => r.error) ? 3 : 0;
}

process.exitCode = await run();
