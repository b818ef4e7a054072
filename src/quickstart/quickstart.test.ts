import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAllExamples } from '../data/io/read.js';
import { openWorkspace } from '../workspace/workspace.js';
import { runQuickstart, STAGES } from './quickstart.js';
import { startService } from './service-stages.js';

describe('quickstart', () => {
  it('runs every stage on a small sample shop and records the run', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kefu-qs-')), 'ws');
    const stages: string[] = [];
    // No admin key configured here, so the quickstart generates one for the run.
    const env = { ...process.env, KEFU_ADMIN_KEY: undefined };
    const result = await runQuickstart({
      dir,
      env,
      scale: 0.05,
      train: false,
      port: 0,
      evalLimit: 3,
      onStage: (s) => stages.push(s),
    });
    expect(stages).toEqual(STAGES.filter((s) => !['base', 'sft', 'dpo', 'gguf'].includes(s)));

    // the order book, knowledge base and service are up, and the evaluation went through HTTP
    try {
      expect(result.shop.orders).toBeGreaterThan(0);
      expect(result.knowledge.chunksWritten).toBeGreaterThan(0);
      const health = await fetch(`${result.service!.url}/healthz`);
      expect(health.status).toBe(200);
      const reply = await fetch(`${result.service!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${result.service!.customerToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ messages: [{ role: 'user', content: '我最近的订单到哪了' }] }),
      });
      expect(reply.status).toBe(200);
      expect(result.evaluation?.summary).toBeDefined();
      expect(result.evaluation!.text.length).toBeGreaterThan(0);

      // the web console is up and its admin views work with the key generated for this run
      const service = result.service!;
      expect(service.consoleUrl).toBe(`${service.url}/console/`);
      expect((await fetch(service.consoleUrl)).headers.get('content-type')).toContain('text/html');
      if (service.adminKey.origin !== 'generated') throw new Error('expected a generated admin key');
      expect(service.adminKey.key).toMatch(/^[\w-]{32}$/);
      const models = await fetch(`${service.url}/admin/models`, {
        headers: { authorization: `Bearer ${service.adminKey.key}` },
      });
      expect(models.status).toBe(200);
    } finally {
      await result.service?.close();
    }

    // a configured admin key is used as it is and never handed back
    const configured = 'configured-admin-key-0123456789';
    const opened = openWorkspace(dir);
    const again = await startService(dir, opened.path(opened.config.storage.database), opened.config, {
      port: 0,
      customerId: result.service!.customerId,
      env: { ...env, KEFU_ADMIN_KEY: configured },
    });
    opened.close();
    try {
      expect(again.adminKey).toEqual({ origin: 'configured' });
      const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
      expect((await fetch(`${again.url}/admin/models`, auth(configured))).status).toBe(200);
      expect((await fetch(`${again.url}/admin/models`, auth('some-other-key-0123456789'))).status).toBe(401);
    } finally {
      await again.close();
    }

    // cleaning removed the injected noise and kept the rest
    const s = result.clean.summary;
    expect(s.processed).toBe(
      result.sample.counts.sft + result.sample.counts.faq + result.sample.counts.preference,
    );
    expect(s.kept + s.dropped).toBe(s.processed);
    expect(s.reasons['duplicate.exact']).toBeGreaterThan(0);
    expect(Object.values(s.masked).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const cleanSft = await readAllExamples(join(dir, 'datasets/clean/sft.json'));
    expect(cleanSft.issues).toEqual([]);
    expect(cleanSft.examples.length).toBe(result.clean.files[0]!.kept);
    expect(readFileSync(join(dir, 'datasets/clean/sft.json'), 'utf8')).not.toMatch(
      /(?<![\dA-Z])1[3-9]\d{9}(?!\d)/,
    );

    // the split covers the cleaned SFT set exactly once
    const total = result.split.files.reduce((n, f) => n + f.records, 0);
    expect(total).toBe(result.clean.files[0]!.kept);

    // LLaMA-Factory export registers SFT splits, FAQ and the DPO set with ranking
    const info = JSON.parse(readFileSync(join(dir, 'datasets/llamafactory/dataset_info.json'), 'utf8'));
    expect(Object.keys(info).sort()).toEqual([
      'kefu_dpo',
      'kefu_faq',
      'kefu_sft_test',
      'kefu_sft_train',
      'kefu_sft_validation',
    ]);
    expect(info.kefu_dpo).toMatchObject({
      ranking: true,
      columns: { chosen: 'chosen', rejected: 'rejected' },
    });
    expect(existsSync(join(dir, 'datasets/clean/report.html'))).toBe(true);

    // the database knows the datasets and the finished run
    const workspace = openWorkspace(dir);
    const storage = workspace.storage();
    const run = await storage.runs.get(result.runId);
    expect(run?.status).toBe('succeeded');
    const names = (await storage.datasets.list()).map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining(['clean.sft', 'clean.faq', 'clean.preference', 'split.sft.train']),
    );
    workspace.close();
  });
});
