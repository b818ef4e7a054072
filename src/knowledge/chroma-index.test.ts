/**
 * Round trip against a real Chroma server started here (`chroma run`), skipped only when the
 * binary is absent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KnowledgeBase, openKnowledgeBase } from './knowledge-base.js';

const CHROMA = resolve('node_modules/.bin/chroma');
const available = existsSync(CHROMA);
if (!available) console.warn(`skipping the Chroma round trip: ${CHROMA} is absent (npm install chromadb)`);

let server: ChildProcess | undefined;
let dir: string;
let url: string;

const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(join(tmpdir(), 'kefu-chroma-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(CHROMA, ['run', '--path', join(dir, 'chroma'), '--port', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${url}/api/v2/heartbeat`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('chroma did not answer /api/v2/heartbeat within 30 s');
}, 40_000);

afterAll(async () => {
  if (server?.pid) server.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('Chroma store', () => {
  it('ingests, searches with filters, replaces, and re-syncs from the catalogue', async () => {
    const docs = join(dir, 'docs');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(docs, 'policies'), { recursive: true }));
    await writeFile(
      join(docs, 'policies', 'returns.md'),
      '# 退货政策\n\n## 条件\n\n签收后7天内可无理由退货。\n\n## 运费\n\n退货运费由买家承担。',
    );
    await writeFile(join(docs, 'P10001.md'), '# 电饭煲 DFB-272\n\n## 故障排除\n\n显示E3：断电冷却后重试。');
    const config = { store: { kind: 'chroma' as const, chromaUrl: url, collection: 'kb-test' } };
    const db = join(dir, 'kefu.db');
    let kb: KnowledgeBase = await openKnowledgeBase({ dbPath: db, config });
    try {
      await kb.ingest([docs]);
      const stats = await kb.stats();
      expect(stats).toMatchObject({ store: 'chroma', chunks: 3, denseVectors: 3 });
      const dense = await kb.retriever.retrieve('退货运费', { mode: 'dense', limit: 3 });
      expect(dense).toHaveLength(3);
      expect(dense[0]!.score).toBeGreaterThan(dense[2]!.score);
      const filtered = await kb.retriever.retrieve('退货', {
        mode: 'dense',
        filter: { kind: 'manual' },
        limit: 3,
      });
      expect(filtered.map((p) => p.source)).toEqual(['docs/P10001.md']);
      const hybrid = await kb.retriever.retrieve('E3 怎么办', { limit: 1 });
      expect(hybrid[0]!.headings).toEqual(['故障排除']);

      await writeFile(join(docs, 'P10001.md'), '# 电饭煲 DFB-272\n\n## 保修\n\n保修一年。');
      const report = await kb.ingest([docs]);
      expect(report.updated).toEqual(['docs/P10001.md']);
      expect((await kb.stats()).denseVectors).toBe(3);
    } finally {
      await kb.close();
    }
    // the collection is emptied behind kefu's back: reopening re-syncs it from SQLite
    const { ChromaClient } = await import('chromadb');
    const port = Number(new URL(url).port);
    await new ChromaClient({ host: '127.0.0.1', port }).deleteCollection({ name: 'kb-test' });
    kb = await openKnowledgeBase({ dbPath: db, config });
    try {
      expect((await kb.stats()).denseVectors).toBe(3);
      const [top] = await kb.retriever.retrieve('保修多久', {
        mode: 'dense',
        filter: { productId: 'P10001' },
        limit: 1,
      });
      expect(top!.text).toBe('保修一年。');
    } finally {
      await kb.close();
    }
  }, 60_000);
});
