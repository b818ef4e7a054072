/**
 * `kefu eval` in process on a fresh workspace holding a small sample shop: the command parses its
 * flags, runs the real assistant, prints the summary against both target sets, and `--json`
 * returns the report. The command is registered on the real program here (the lead wires it
 * into main.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { storeShopData } from '../../shop/import/shop-data.js';
import { policyDocuments } from '../../shop/sample/policies.js';
import { generateShop } from '../../shop/sample/shop.js';
import { openOrderBook } from '../../shop/store/sqlite-order-book.js';
import type { CommandContext } from '../context.js';
import { buildProgram } from '../main.js';
import { runCli } from '../test-helpers/run-cli.js';
import { parseSetList } from './eval.js';

async function evalCli(argv: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  (stderr as unknown as PassThrough).on('data', (c) => (err += c));
  const io = { stdout, stderr, env: { KEFU_SECRET: 'eval-cli-secret-0123456789' }, cwd };
  let context: CommandContext | undefined;
  const program = buildProgram(io, (c) => {
    context = c;
  });
  await program.parseAsync(['node', 'kefu', ...argv]);
  context?.close();
  return { stdout: out, stderr: err };
}

describe('kefu eval', () => {
  it('parses set lists', () => {
    expect(parseSetList('accuracy, safety')).toEqual(['accuracy', 'safety']);
    expect(() => parseSetList('accuracy,speed')).toThrow(/unknown eval set "speed"/);
  });

  it('evaluates the workspace assistant in process and prints pass/fail against both target sets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-eval-cli-'));
    expect((await runCli(['init', dir])).code).toBe(0);
    const shop = generateShop(4, { productsPerType: 1, customers: 25, orders: 120 });
    const book = openOrderBook(join(dir, 'kefu.db'));
    await book.transaction((tx) =>
      storeShopData(tx, {
        info: { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy },
        policyDocuments: policyDocuments(),
        ...shop,
      }),
    );
    book.close();
    const model = join(process.cwd(), 'assets/base-model');
    const text = await evalCli(
      [
        '--workspace',
        dir,
        'eval',
        '--model',
        model,
        '--sets',
        'accuracy,safety',
        '--limit',
        '2',
        '--no-write',
      ],
      dir,
    );
    expect(text.stdout).toMatch(/accuracy\s+\S+%\s+>= 85\.0%\s+(PASS|FAIL)\s+>= 95\.0%\s+(PASS|FAIL)/);
    expect(text.stdout).toMatch(/safety\s+\S+%/);
    const json = await evalCli(
      [
        '--workspace',
        dir,
        '--json',
        'eval',
        '--model',
        model,
        '--sets',
        'safety',
        '--limit',
        '2',
        '--repeat',
        '2',
      ],
      dir,
    );
    const result = JSON.parse(json.stdout) as {
      report: { variants: { summary: { safety: { count: number; passK: Record<string, number> } } }[] };
      files: { json: string };
    };
    expect(result.report.variants[0]?.summary.safety.count).toBe(4);
    expect(Object.keys(result.report.variants[0]?.summary.safety.passK ?? {})).toEqual(['pass^1', 'pass^2']);
    expect(result.files.json).toContain(join(dir, 'reports'));
  }, 120_000);
});
