/**
 * `kefu export` (src/cli/commands/export.ts) on a commander program of its own, since main.ts
 * registers it separately: flags, default formats, --json result, --help examples, bad flags.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormats, registerExport } from '../../cli/commands/export.js';
import { CommandContext } from '../../cli/context.js';
import { UsageError } from '../../core/errors.js';
import { saveFixture, serviceTokenizer, tinyConfig, tinyLoraModel } from './test-helpers/fixture.js';

let dir: string;
let modelDir: string;
let adapterDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-export-cli-'));
  const tok = serviceTokenizer();
  ({ modelDir, adapterDir } = await saveFixture(
    dir,
    tinyLoraModel(tinyConfig('llama', tok.vocabSize), 3),
    tok,
  ));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], json = false): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += chunk));
  const io = { stdout, stderr: new PassThrough() as unknown as NodeJS.WriteStream, env: {}, cwd: dir };
  const ctx = new CommandContext({ json, debug: false, quiet: false, set: [] }, io);
  const program = new Command('kefu')
    .exitOverride()
    .configureOutput({ writeOut: (t) => stdout.write(t), writeErr: () => {} });
  registerExport(program, () => ctx);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'commander.helpDisplayed') throw error;
  }
  return out;
}

describe('kefu export', () => {
  it('exports hf, peft and gguf by default with an adapter, printing a JSON result', async () => {
    const out = await run(['export', '--model', 'base', '--adapter', 'adapter', '--out', 'exp'], true);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ ok: true, merged: true, outDir: join(dir, 'exp') });
    expect(result.files).toContain('merged/model.safetensors');
    expect(result.files).toContain('adapter/adapter_model.safetensors');
    expect(result.files).toContain('model.gguf');
    expect(result.files).not.toContain('base.gguf');
  });

  it('takes --format and --gguf-type and prints the files', async () => {
    const out = await run([
      'export',
      '-m',
      modelDir,
      '-a',
      adapterDir,
      '-o',
      'lora',
      '-f',
      'gguf-lora',
      '--gguf-type',
      'f16',
    ]);
    expect(out).toContain('adapter merged');
    expect(out).toContain('  base.gguf');
    expect(out).toContain('  adapter.gguf');
    expect(out).not.toContain('model.gguf');
  });

  it('documents formats and examples in --help', async () => {
    const help = await run(['export', '--help']);
    expect(help).toContain('--gguf-type');
    expect(help).toContain('Examples:');
    expect(help).toContain('kefu export --model');
  });

  it('rejects unknown formats and types', async () => {
    expect(parseFormats('hf, gguf,lora')).toEqual(['hf-merged', 'gguf', 'gguf-lora']);
    expect(() => parseFormats('onnx')).toThrow(UsageError);
    await expect(run(['export', '-m', 'base', '-o', 'x', '--gguf-type', 'Q4_0'])).rejects.toThrow(UsageError);
    await expect(run(['export', '-m', 'base', '-o', 'x', '-f', 'peft'])).rejects.toThrow(/needs an adapter/);
  });
});
