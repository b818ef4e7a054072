import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mintToken, verifyToken } from '../auth/tokens.js';
import { InstantChatModel } from '../test-helpers/models.js';
import { ADMIN_KEY, SECRET, type ServerFixture, serverFixture } from '../test-helpers/server-fixture.js';

let f: ServerFixture;
let root: string;
const REPORT = 'eval-2026-01-01T00-00-00-000Z';

const post = (path: string, body: unknown, credential = ADMIN_KEY) =>
  f.app.request(path, { method: 'POST', headers: f.auth(credential), body: JSON.stringify(body) });
const get = (path: string, credential = ADMIN_KEY) => f.app.request(path, { headers: f.auth(credential) });
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; field?: string } }).error;

describe('the console admin routes (tokens, reports, labels)', () => {
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'kefu-admin-console-'));
    f = await serverFixture(new InstantChatModel(), { deps: { admin: { root } } });
  });
  afterEach(async () => {
    await f.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('mints customer and agent tokens that the server accepts, labelled console traffic', async () => {
    const res = await post('/admin/tokens', { kind: 'customer', sub: f.alice.id, ttlSeconds: 600 });
    expect(res.status).toBe(201);
    const minted = (await res.json()) as {
      token: string;
      kind: string;
      sub: string;
      src: string;
      exp: number;
    };
    expect(minted).toMatchObject({ kind: 'customer', sub: f.alice.id, src: 'console' });
    expect(verifyToken(SECRET, minted.token).exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    const session = await post('/sessions', {}, minted.token);
    expect(session.status).toBe(201);

    const agent = (await (
      await post('/admin/tokens', { kind: 'agent', sub: 'li', source: 'test' })
    ).json()) as {
      token: string;
      src: string;
    };
    expect(agent.src).toBe('test');
    expect((await get('/agent/queue', agent.token)).status).toBe(200);
  });

  it('refuses a token for anything but a customer or agent, naming the field', async () => {
    for (const [body, field] of [
      [{ kind: 'admin', sub: 'x' }, 'body.kind'],
      [{ kind: 'customer', sub: '  ' }, 'body.sub'],
      [{ kind: 'customer', sub: 'x', ttlSeconds: 10 }, 'body.ttlSeconds'],
      [{ kind: 'customer', sub: 'x', source: 'shop' }, 'body.source'],
      [{ kind: 'customer', sub: 'x', admin: true }, 'body'],
    ] as const) {
      const res = await post('/admin/tokens', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(res)).field, JSON.stringify(body)).toBe(field);
    }
  });

  it('keeps every console route to the admin key: 401 without, 403 for tokens', async () => {
    const routes = [
      ['POST', '/admin/tokens'],
      ['GET', '/admin/reports'],
      ['GET', `/admin/reports/${REPORT}/report.html`],
      ['GET', '/admin/labels'],
      ['POST', '/admin/labels'],
      ['DELETE', '/admin/labels/l_x'],
    ] as const;
    for (const [method, path] of routes) {
      const body = method === 'POST' ? '{"kind":"customer","sub":"y"}' : undefined;
      const none = await f.app.request(path, { method, body });
      expect(none.status, `${method} ${path} without credentials`).toBe(401);
      for (const token of [f.alice.token, f.agentToken]) {
        const res = await f.app.request(path, { method, headers: f.auth(token), body });
        expect(res.status, `${method} ${path} with a token`).toBe(403);
      }
    }
  });

  it('lists the evaluation reports and history and serves only their report files', async () => {
    expect(await (await get('/admin/reports')).json()).toEqual({ reports: [], history: [] });
    const folder = join(root, 'reports', REPORT);
    mkdirSync(folder, { recursive: true });
    mkdirSync(join(root, 'reports', 'other-folder'));
    writeFileSync(join(root, 'reports', 'other-folder', 'report.html'), 'not an evaluation report');
    writeFileSync(join(folder, 'report.html'), '<h1>评测报告</h1>');
    writeFileSync(join(folder, 'report.json'), '{"ok":true}');
    writeFileSync(join(folder, 'secret.txt'), 'no');
    writeFileSync(join(root, 'kefu.db'), 'database bytes');
    writeFileSync(
      join(root, 'reports', 'eval-history.jsonl'),
      `${JSON.stringify({ at: '2026-01-01T00:00:00.000Z', metrics: { accuracy: 0.9 } })}\n{bad\n"x"\n`,
    );
    const listing = (await (await get('/admin/reports')).json()) as {
      reports: { name: string; files: string[]; createdAt: string }[];
      history: { at: string }[];
    };
    expect(listing.reports.map((r) => [r.name, r.files])).toEqual([[REPORT, ['report.html', 'report.json']]]);
    expect(listing.history.map((h) => h.at)).toEqual(['2026-01-01T00:00:00.000Z']);

    const file = await get(`/admin/reports/${REPORT}/report.html`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${REPORT}-report.html"`);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toContain('评测报告');

    for (const path of [
      `/admin/reports/${REPORT}/secret.txt`,
      `/admin/reports/${REPORT}/records.jsonl`,
      '/admin/reports/other-folder/report.html',
      '/admin/reports/..%2f..%2fkefu.db/report.html',
      `/admin/reports/..%2F..%2Freports%2F${REPORT}/report.html`,
      `/admin/reports/${REPORT}%2f..%2f..%2fkefu.db/report.html`,
      `/admin/reports/${REPORT}/..%2f..%2f..%2fkefu.db`,
      '/admin/reports/%2e%2e/report.html',
      '/admin/reports/eval-%00x/report.html',
      '/admin/reports/eval-x%5c..%5c..%5ckefu.db/report.html',
      '/admin/reports/eval-history.jsonl/report.html',
      `/admin/reports/${REPORT}/constructor`,
      `/admin/reports/${REPORT}/__proto__`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('database bytes');
    }
  });

  it('does not follow a symlinked report folder out of reports/', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'kefu-outside-'));
    try {
      writeFileSync(join(outside, 'report.html'), 'outside the workspace');
      mkdirSync(join(root, 'reports'));
      symlinkSync(outside, join(root, 'reports', 'eval-linked'));
      const listing = (await (await get('/admin/reports')).json()) as { reports: unknown[] };
      expect(listing.reports).toEqual([]);
      expect((await get('/admin/reports/eval-linked/report.html')).status).toBe(404);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stores, lists, exports and deletes preference labels', async () => {
    const pair = { prompt: '订单到哪了', chosen: '正在配送中，预计明天送达。', rejected: '不知道。' };
    const added = await post('/admin/labels', pair);
    expect(added.status).toBe(201);
    const label = (await added.json()) as { id: string; labeller: string };
    expect(label).toMatchObject({ ...pair, labeller: expect.stringMatching(/^admin:/) });
    expect((await post('/admin/labels', { ...pair, prompt: ' 订单到哪了 ' })).status).toBe(201);
    const listed = (await (await get('/admin/labels')).json()) as { labels: { id: string }[] };
    expect(listed.labels.map((l) => l.id)).toEqual([label.id]);

    const exported = (await (await get('/admin/feedback/pairs')).json()) as { pairs: unknown[] };
    expect(exported.pairs).toEqual([pair]);
    expect(
      ((await (await get('/admin/feedback/pairs?from=feedback')).json()) as { pairs: unknown[] }).pairs,
    ).toEqual([]);
    const jsonl = await get('/admin/feedback/pairs?format=jsonl&from=labels');
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    expect(await jsonl.text()).toBe(`${JSON.stringify(pair)}\n`);
    const badQuery = await get('/admin/feedback/pairs?from=everything');
    expect(badQuery.status).toBe(400);
    expect((await errorOf(badQuery)).field).toBe('query.from');

    const del = await f.app.request(`/admin/labels/${label.id}`, {
      method: 'DELETE',
      headers: f.auth(ADMIN_KEY),
    });
    expect(del.status).toBe(204);
    const again = await f.app.request(`/admin/labels/${label.id}`, {
      method: 'DELETE',
      headers: f.auth(ADMIN_KEY),
    });
    expect(again.status).toBe(404);
    expect((await errorOf(again)).code).toBe('E_NOT_FOUND');
    expect(((await (await get('/admin/labels')).json()) as { labels: unknown[] }).labels).toEqual([]);
  });

  it('refuses a bad label with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ prompt: '', chosen: 'a', rejected: 'b' }, 'body.prompt'],
      [{ prompt: 'q', rejected: 'b' }, 'body.chosen'],
      [{ prompt: 'q', chosen: 'a', rejected: 7 }, 'body.rejected'],
      [{ prompt: 'q', chosen: '同一个回答', rejected: ' 同一个回答 ' }, 'body.rejected'],
      [{ prompt: 'q', chosen: 'a', rejected: 'b', extra: 1 }, 'body'],
    ] as const) {
      const res = await post('/admin/labels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(res)).field, JSON.stringify(body)).toBe(field);
    }
    const notJson = await f.app.request('/admin/labels', {
      method: 'POST',
      headers: f.auth(ADMIN_KEY),
      body: '{"prompt":',
    });
    expect(notJson.status).toBe(400);
  });

  it('documents every console route in /openapi.json', async () => {
    const spec = (await (await f.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(spec.paths['/admin/tokens']?.post).toBeDefined();
    expect(spec.paths['/admin/reports']?.get).toBeDefined();
    expect(spec.paths['/admin/reports/{name}/{file}']?.get).toBeDefined();
    expect(spec.paths['/admin/labels']?.post).toBeDefined();
    expect(Object.keys(spec.paths['/admin/labels/{id}']?.delete?.responses ?? {})).toContain('204');
  });
});

describe('the console admin routes without a workspace', () => {
  it('lists no reports and finds no report file', async () => {
    f = await serverFixture(new InstantChatModel());
    try {
      expect(await (await get('/admin/reports')).json()).toEqual({ reports: [], history: [] });
      expect((await get(`/admin/reports/${REPORT}/report.html`)).status).toBe(404);
      const token = mintToken(SECRET, { sub: 'c', kind: 'customer', ttlSeconds: 60 });
      expect((await get('/admin/reports', token)).status).toBe(403);
    } finally {
      await f.close();
    }
  });
});
