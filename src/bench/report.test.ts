import { describe, expect, it } from 'vitest';
import {
  type BenchRun,
  mergeRuns,
  ratio,
  renderTable,
  spliceTable,
  TABLE_END,
  TABLE_START,
} from './report.js';

const run: BenchRun = {
  startedAt: '2026-11-25T00:00:00.000Z',
  quick: false,
  machine: { cpus: 2, cpuModel: 'EPYC', memoryGiB: 24, node: '20.20.2', platform: 'linux-x64' },
  results: [
    {
      id: 'a',
      title: 'A',
      measurements: [
        {
          name: 'insert',
          value: 2000,
          unit: 'rows/s',
          higherIsBetter: true,
          reference: { name: 'raw', value: 4000 },
        },
        { name: 'p95', value: 5, unit: 'ms', higherIsBetter: false, reference: { name: 'raw', value: 10 } },
      ],
    },
    { id: 'b', title: 'B', measurements: [], error: 'Error: boom | bang' },
  ],
};

describe('bench report', () => {
  it('computes ratios so that > 1 means kefu is better', () => {
    expect(ratio(run.results[0]!.measurements[0]!)).toBe(0.5);
    expect(ratio(run.results[0]!.measurements[1]!)).toBe(2);
  });

  it('renders rows with ratios and failures', () => {
    const table = renderTable(run);
    expect(table).toContain('| A | insert | 2,000 rows/s | 4,000 rows/s (raw) | 0.50× |');
    expect(table).toContain('| A | p95 | 5.00 ms | 10.0 ms (raw) | 2.00× |');
    expect(table).toContain('| B | failed |');
    expect(table).toContain('boom \\| bang');
  });

  it('replaces only the text between the markers', () => {
    const doc = `# Bench\nintro\n${TABLE_START}\nold\n${TABLE_END}\noutro\n`;
    const next = spliceTable(doc, `${TABLE_START}\nnew\n${TABLE_END}`);
    expect(next).toBe(`# Bench\nintro\n${TABLE_START}\nnew\n${TABLE_END}\noutro\n`);
    expect(spliceTable('# Bench\n', 'T')).toBe('# Bench\n\nT\n');
  });

  it('keeps the rows a partial re-run did not touch, in registry order, and says they are older', () => {
    const rerun: BenchRun = {
      ...run,
      startedAt: '2026-11-26T00:00:00.000Z',
      results: [
        { id: 'b', title: 'B', measurements: [{ name: 'x', value: 1, unit: 's', higherIsBetter: false }] },
      ],
    };
    const merged = mergeRuns(run, rerun, ['a', 'b']);
    expect(merged.results.map((r) => [r.id, r.measuredAt])).toEqual([
      ['a', '2026-11-25T00:00:00.000Z'],
      ['b', '2026-11-26T00:00:00.000Z'],
    ]);
    expect(merged.results[1]!.error).toBeUndefined();
    const table = renderTable(merged);
    expect(table).toContain('| A | insert | 2,000 rows/s');
    expect(table).toContain('| B | x | 1.00 s');
    expect(table).toContain(
      'Only 1 of 2 benchmarks were re-run; the rows of a are from earlier runs (2026-11-25).',
    );
    expect(mergeRuns(undefined, rerun, ['a', 'b'])).toBe(rerun);
  });
});
