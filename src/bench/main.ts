/**
 * `npm run bench [-- --quick] [-- <id-prefix>…]`: run the registered benchmarks one after the
 * other, write bench/results/latest.json (plus a timestamped copy) and regenerate the table in
 * BENCHMARKS.md. A benchmark that throws is recorded as failed; the others still run. Running
 * some of them (id prefixes) replaces only their rows; the others keep their earlier figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import { benchmarks } from './registry.js';
import { type BenchResult, type BenchRun, mergeRuns, renderTable, spliceTable } from './report.js';

const root = new URL('../../', import.meta.url).pathname;

function usage(): string {
  return [
    'usage: npm run bench [-- --quick] [-- <id-prefix>…]',
    '',
    'Runs kefu benchmarks one at a time, each beside a reference measured in the same run, writes',
    'bench/results/latest.json (and a timestamped copy) and regenerates the table in BENCHMARKS.md.',
    'With id prefixes only those run; the rows of the others keep their earlier figures.',
    '',
    '  --quick   smaller inputs (for a smoke run; figures are not comparable)',
    '  --help    this text',
    '',
    'benchmarks:',
    ...benchmarks.map((b) => `  ${b.id.padEnd(22)} ${b.title}`),
    '',
  ].join('\n');
}

function readPrevious(path: string): BenchRun | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BenchRun;
  } catch {
    return undefined;
  }
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--quick');
  if (unknown.length) {
    process.stderr.write(`error: unknown option ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const quick = args.includes('--quick');
  const filters = args.filter((a) => !a.startsWith('-'));
  const selected = benchmarks.filter((b) => filters.length === 0 || filters.some((f) => b.id.startsWith(f)));
  if (selected.length === 0) {
    process.stderr.write(`error: no benchmark id starts with ${filters.join(' or ')}\n\n${usage()}`);
    return 2;
  }
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
  const current: BenchRun = {
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
  const latest = join(root, 'bench/results/latest.json');
  const partial = selected.length < benchmarks.length;
  const benchRun = partial
    ? mergeRuns(
        readPrevious(latest),
        current,
        benchmarks.map((b) => b.id),
      )
    : current;
  const json = `${JSON.stringify(benchRun, null, 2)}\n`;
  await writeFileAtomic(latest, json);
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
