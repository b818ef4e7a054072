import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace } from '../../workspace/workspace.js';
import { runCli } from '../test-helpers/run-cli.js';

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

/** Runs `kefu --workspace <ws> kb …` through the real CLI entry point. */
const kb = (args: string[]) => runCli(['--workspace', join(dir, 'ws'), 'kb', ...args], { cwd: dir });

describe('kefu kb', () => {
  it('ingests, searches with filters, and reports status', async () => {
    const ingest = await kb(['ingest', 'docs', '--meta', 'lang=zh']);
    expect(ingest.stdout).toMatch(/2 file\(s\): 2 added, 0 updated, 0 unchanged; 2 chunks written/);
    const again = JSON.parse((await kb(['--json', 'ingest', 'docs', '--meta', 'lang=zh'])).stdout);
    expect(again.unchanged).toEqual(['docs/P10002.md', 'docs/policies/returns.md']);

    const search = JSON.parse((await kb(['--json', 'search', '烧水有异味怎么办', '--limit', '1'])).stdout);
    expect(search.passages[0]).toMatchObject({
      source: 'docs/P10002.md',
      headings: ['故障排除'],
      metadata: { productId: 'P10002', lang: 'zh' },
    });
    const filtered = await kb(['search', '运费', '--mode', 'bm25', '--filter', 'kind=policy']);
    expect(filtered.stdout).toContain('1. docs/policies/returns.md › 退货政策 › 运费');
    expect(filtered.stdout).not.toContain('P10002');

    const status = JSON.parse((await kb(['--json', 'status'])).stdout);
    expect(status).toMatchObject({
      documents: 2,
      chunks: 2,
      byKind: { manual: 1, policy: 1 },
      store: 'sqlite',
      denseVectors: 2,
    });
  });

  it('refuses a bad mode or pair', async () => {
    const mode = await kb(['search', 'x', '--mode', 'fuzzy', '--json']);
    expect(mode.code).toBe(1);
    expect(JSON.parse(mode.stdout)).toMatchObject({ ok: false, error: 'E_USAGE' });
    const pair = await kb(['ingest', 'docs', '--meta', 'novalue']);
    expect(pair.code).toBe(1);
    expect(pair.stderr).toMatch(/key=value/);
  });
});
