import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-helpers/run-cli.js';

const temp = () => mkdtempSync(join(tmpdir(), 'kefu-cli-'));

describe('kefu CLI', () => {
  it('teaches in --help: commands, exit codes, examples', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/init \[dir\]/);
    expect(stdout).toMatch(/Exit codes:/);
    const init = await runCli(['init', '--help']);
    expect(init.stdout).toMatch(/Examples:\n\s+\$ kefu init myshop/);
  });

  it('exits 1 on usage errors', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(1);
    expect((await runCli(['init', 'a', 'b'])).code).toBe(1);
    expect((await runCli(['config', 'print', '--no-such-flag'])).code).toBe(1);
  });

  it('init then config print, in text and JSON', async () => {
    const cwd = temp();
    const init = await runCli(['init', 'shop'], { cwd });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Created workspace shop');
    const printed = await runCli(['config', 'print', '--json', '--set', 'data.split.seed=5'], {
      cwd: join(cwd, 'shop'),
    });
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout).config.data.split).toEqual({
      train: 0.8,
      validation: 0.1,
      test: 0.1,
      seed: 5,
    });
    const viaFlag = await runCli(['--workspace', 'shop', 'config', 'print'], { cwd });
    expect(viaFlag.stdout).toContain('busyTimeoutMs: 5000');
  });

  it('exits 2 with file, line and field for a broken recipe, stack only with --debug', async () => {
    const cwd = temp();
    await runCli(['init'], { cwd });
    writeFileSync(join(cwd, 'kefu.yaml'), 'storage:\n  database: kefu.db\n  busyTimeout: 10\n');
    const broken = await runCli(['config', 'print'], { cwd });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(
      `kefu.yaml:3:3: storage.busyTimeout: unknown setting (did you mean "busyTimeoutMs"?)`,
    );
    expect(broken.stderr).toMatch(/^hint: /m);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const json = await runCli(['config', 'print', '--json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: 'E_CONFIG' });
  });

  it('exits 2 with a hint when there is no workspace', async () => {
    const run = await runCli(['config', 'print'], { cwd: temp() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hint: run `kefu init`');
  });

  it('config explain needs no workspace and lists descriptions', async () => {
    const run = await runCli(['config', 'explain', 'storage'], { cwd: temp() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('storage.busyTimeoutMs  (integer (>= 0), default 5000)');
  });

  it('the built bin runs', () => {
    const out = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/kefu.js'), '--version'],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
