import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace } from '../../workspace/workspace.js';
import { CommandContext, type GlobalOptions } from '../context.js';
import { registerKb } from './kb.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-kb-cli-'));
  await initWorkspace(join(dir, 'ws'));
  await mkdir(join(dir, 'docs', 'policies'), { recursive: true });
  await writeFile(
    join(dir, 'docs', 'policies', 'returns.md'),
    '# 退货政策\n\n## 运费\n\n退货运费由买家承担。',
  );
  await writeFile(
    join(dir, 'docs', 'P10002.md'),
    '# 电热水壶 KT330\n\n## 故障排除\n\n烧水有异味：新壶残留，多烧几次。',
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `kefu kb …` on a program holding the kb commands and kefu's global flags. */
async function kb(args: string[]): Promise<{ out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const program = new Command('kefu')
    .option('--workspace <dir>')
    .option('--json', '', false)
    .option('--quiet', '', false)
    .option('--debug', '', false)
    .option('--set <field=value>', '', (v: string, p: string[]) => [...p, v], [] as string[])
    .exitOverride();
  let context: CommandContext | undefined;
  registerKb(program, () => {
    context ??= new CommandContext(program.opts<GlobalOptions>(), {
      stdout,
      stderr: stderr as unknown as NodeJS.WriteStream,
      env: {},
      cwd: dir,
    });
    return context;
  });
  try {
    const globals = args.filter((a) => a === '--json');
    const rest = args.filter((a) => a !== '--json');
    await program.parseAsync(['--workspace', join(dir, 'ws'), ...globals, 'kb', ...rest], { from: 'user' });
  } finally {
    context?.close();
  }
  return { out, err };
}

describe('kefu kb', () => {
  it('ingests, searches with filters, and reports status', async () => {
    const ingest = await kb(['ingest', 'docs', '--meta', 'lang=zh']);
    expect(ingest.out).toMatch(/2 file\(s\): 2 added, 0 updated, 0 unchanged; 2 chunks written/);
    const again = JSON.parse((await kb(['--json', 'ingest', 'docs', '--meta', 'lang=zh'])).out);
    expect(again.unchanged).toEqual(['docs/P10002.md', 'docs/policies/returns.md']);

    const search = JSON.parse((await kb(['--json', 'search', '烧水有异味怎么办', '--limit', '1'])).out);
    expect(search.passages[0]).toMatchObject({
      source: 'docs/P10002.md',
      headings: ['故障排除'],
      metadata: { productId: 'P10002', lang: 'zh' },
    });
    const filtered = await kb(['search', '运费', '--mode', 'bm25', '--filter', 'kind=policy']);
    expect(filtered.out).toContain('1. docs/policies/returns.md › 退货政策 › 运费');
    expect(filtered.out).not.toContain('P10002');

    const status = JSON.parse((await kb(['--json', 'status'])).out);
    expect(status).toMatchObject({
      documents: 2,
      chunks: 2,
      byKind: { manual: 1, policy: 1 },
      store: 'sqlite',
      denseVectors: 2,
    });
  });

  it('refuses a bad mode or pair', async () => {
    await expect(kb(['search', 'x', '--mode', 'fuzzy'])).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(kb(['ingest', 'docs', '--meta', 'novalue'])).rejects.toThrow(/key=value/);
  });
});
