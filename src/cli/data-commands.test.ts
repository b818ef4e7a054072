import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-helpers/run-cli.js';

const LLAMAFACTORY = join(import.meta.dirname, '../../../shared/data/llamafactory');
const temp = () => mkdtempSync(join(tmpdir(), 'kefu-data-cli-'));

describe('kefu data on LLaMA-Factory demo data', () => {
  it('validates the real dataset_info.json folder, skipping remote and missing entries', async () => {
    const run = await runCli(['data', 'validate', LLAMAFACTORY]);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ alpaca_zh_demo: 1000 valid records/);
    expect(run.stdout).toMatch(/✓ dpo_zh_demo: 300 valid records/);
    expect(run.stdout).toMatch(/✓ glaive_toolcall_zh_demo: 300 valid records/);
    expect(run.stdout).toMatch(/skipped \d+ dataset\(s\), remote/);
  });

  it('cleans, splits and exports them; the export validates again', async () => {
    const cwd = temp();
    const clean = await runCli(['data', 'clean', LLAMAFACTORY, '--out', 'clean', '--json'], { cwd });
    expect(clean.code).toBe(0);
    const result = JSON.parse(clean.stdout);
    expect(result.summary.processed).toBe(1691);
    expect(result.summary.kept + result.summary.dropped).toBe(1691);
    const auditLines = readFileSync(join(cwd, 'clean/audit.jsonl'), 'utf8').trim().split('\n');
    const dropped = auditLines.map((l) => JSON.parse(l)).filter((a) => a.action === 'drop');
    expect(dropped.length).toBe(result.summary.dropped);
    expect(readFileSync(join(cwd, 'clean/report.html'), 'utf8')).toMatch(/^<!doctype html>/i);

    const split = await runCli(
      ['data', 'split', 'clean/alpaca_zh_demo.json', '--out', 'splits', '--seed', '3'],
      { cwd },
    );
    expect(split.code).toBe(0);
    expect(readdirSync(join(cwd, 'splits')).sort()).toEqual(['test.json', 'train.json', 'validation.json']);

    const exported = await runCli(
      [
        'data',
        'export',
        'clean/alpaca_zh_demo.json',
        'clean/dpo_zh_demo.json',
        'clean/glaive_toolcall_zh_demo.json',
        '--out',
        'lf',
      ],
      { cwd },
    );
    expect(exported.code).toBe(0);
    const info = JSON.parse(readFileSync(join(cwd, 'lf/dataset_info.json'), 'utf8'));
    expect(info.alpaca_zh_demo.formatting).toBe('alpaca');
    expect(info.dpo_zh_demo.ranking).toBe(true);
    expect(info.glaive_toolcall_zh_demo).toMatchObject({
      formatting: 'sharegpt',
      columns: { tools: 'tools' },
    });
    expect((await runCli(['data', 'validate', join(cwd, 'lf')])).code).toBe(0);
  });
});

describe('kefu data on bad input', () => {
  it('lists every problem as file:line: field and exits 2, never echoing values', async () => {
    const cwd = temp();
    writeFileSync(
      join(cwd, 'bad.jsonl'),
      [
        JSON.stringify({ instruction: '查订单', input: '', output: '好的' }),
        JSON.stringify({ instruction: '手机13812345678', input: '' }),
        '{"instruction": "cut',
        JSON.stringify({ instruction: 5, input: '', output: '好的' }),
      ].join('\n'),
    );
    const run = await runCli(['data', 'validate', 'bad.jsonl'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('bad.jsonl:2: output:');
    expect(run.stdout).toContain('bad.jsonl:3: (record): invalid JSON');
    expect(run.stdout).toMatch(/bad\.jsonl:4: instruction: expected a string/);
    expect(run.stdout + run.stderr).not.toContain('13812345678');
  });

  it('names the file and line of a truncated JSON array and writes nothing', async () => {
    const cwd = temp();
    writeFileSync(
      join(cwd, 'cut.json'),
      '[\n  {"instruction": "a", "input": "", "output": "b"},\n  {"instruction": "c"',
    );
    const run = await runCli(['data', 'clean', 'cut.json', '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cut\.json:3: .*cut off|cut\.json:3/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['cut.json']);
  });

  it('explains a GBK file', async () => {
    const cwd = temp();
    const gbk = Buffer.concat([
      Buffer.from('[{"instruction": "'),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3]),
      Buffer.from('", "output": "x"}]'),
    ]);
    writeFileSync(join(cwd, 'gbk.json'), gbk);
    const run = await runCli(['data', 'validate', 'gbk.json'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/gbk\.json:1.*not UTF-8.*GBK/);
  });
});
