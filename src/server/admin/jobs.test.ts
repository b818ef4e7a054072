import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace } from '../../workspace/workspace.js';
import { InstantChatModel } from '../test-helpers/models.js';
import { ADMIN_KEY, readSse, type ServerFixture, serverFixture } from '../test-helpers/server-fixture.js';
import { writeTinySftRecipe } from '../test-helpers/tiny-recipe.js';
import { KEFU_BIN } from '../workspace-server.js';
import type { JobInfo } from './jobs.js';

let root: string;
let f: ServerFixture;
const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };

beforeAll(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'kefu-jobs-')), 'ws');
  await initWorkspace(root);
  writeTinySftRecipe(root);
  f = await serverFixture(new InstantChatModel(), {
    deps: { admin: { root, cli: [process.execPath, KEFU_BIN] } },
  });
});

afterAll(async () => {
  await f.close();
  rmSync(join(root, '..'), { recursive: true, force: true });
});

describe.skipIf(!existsSync(join(KEFU_BIN, '../../dist/cli/main.js')))(
  'admin jobs (the real kefu CLI)',
  () => {
    it('starts a training run and follows its trainer log and output to the end', async () => {
      const started = await f.app.request('/admin/jobs/train', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ config: 'tiny.yaml', set: ['max_steps=2'] }),
      });
      expect(started.status).toBe(202);
      const job = (await started.json()) as JobInfo;
      expect(job).toMatchObject({ kind: 'train', status: 'running' });
      expect(job.argv).toEqual(
        expect.arrayContaining(['--workspace', root, 'train', '--set', 'max_steps=2']),
      );

      const events = await readSse(await f.app.request(`/admin/jobs/${job.id}/log`, { headers: admin }));
      const steps = events
        .filter((e) => e.event === 'log')
        .map((e) => (e.data as { current_steps: number; loss: number }).current_steps);
      expect(steps).toEqual([1, 2]);
      const output = events.filter((e) => e.event === 'output').map((e) => (e.data as { line: string }).line);
      expect(output.join('\n')).toMatch(/completed at step 2\/2/);
      expect(events.at(-1)).toMatchObject({
        event: 'end',
        data: { id: job.id, status: 'succeeded', exitCode: 0 },
      });
      expect(existsSync(join(root, 'models/tiny/adapter_model.safetensors'))).toBe(true);

      const listed = (await (await f.app.request('/admin/jobs', { headers: admin })).json()) as {
        jobs: JobInfo[];
      };
      expect(listed.jobs.map((j) => j.id)).toContain(job.id);
    }, 20_000);

    it('refuses a bad recipe with 400 before starting anything, and reports a failing job as failed', async () => {
      const bad = await f.app.request('/admin/jobs/train', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ config: 'tiny.yaml', set: ['max_steps=-3'] }),
      });
      expect(bad.status).toBe(400);
      const started = await f.app.request('/admin/jobs/eval', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ args: ['--no-such-flag'] }),
      });
      expect(started.status).toBe(202);
      const job = (await started.json()) as JobInfo;
      const events = await readSse(await f.app.request(`/admin/jobs/${job.id}/log`, { headers: admin }));
      expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'failed' } });
      expect((events.at(-1)!.data as JobInfo).exitCode).not.toBe(0);
    }, 20_000);

    it('keeps customers out of the job routes', async () => {
      const res = await f.app.request('/admin/jobs', { headers: f.auth(f.alice.token) });
      expect(res.status).toBe(403);
    });
  },
);
