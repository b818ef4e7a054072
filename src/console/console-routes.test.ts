/**
 * The console's static route, through the real service (createServer mounts it at /console):
 * content types, revalidation headers and 304, HEAD, the security headers, only known files from
 * the assets folder, no way out of it (raw request paths over a real socket), and the files found
 * from dist/ as well as src/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listening, listen } from '../server/listen.js';
import { InstantChatModel } from '../server/test-helpers/models.js';
import { type ServerFixture, serverFixture } from '../server/test-helpers/server-fixture.js';
import { CONSOLE_ASSETS_DIR, consoleRoutes, loadConsoleAssets } from './console-routes.js';

let f: ServerFixture;
let server: Listening;

beforeAll(async () => {
  f = await serverFixture(new InstantChatModel());
  server = await listen(f.app, { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await f?.close();
});

/** A GET with the path sent exactly as written (no URL normalisation on the client side). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console route', () => {
  it('redirects /console to /console/ and serves the page with revalidation and security headers', async () => {
    const bare = await f.app.request('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
    const page = await f.app.request('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html).toContain('kefu 客服控制台');
  });

  it('serves modules and styles with their types, 304 on a matching ETag, and HEAD without a body', async () => {
    const script = await f.app.request('/console/views/chat-view.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('export function mount');
    const css = await f.app.request('/console/console.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = css.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await f.app.request('/console/console.css', { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await f.app.request('/console/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for anything outside the assets, however the path is spelled', async () => {
    const attempts = [
      '/console/../package.json',
      '/console/..%2f..%2fpackage.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/views/../../../package.json',
      '/console/views/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
      '/console/..%5c..%5cpackage.json',
      '/console//etc/passwd',
      '/console/%2fetc%2fpasswd',
      '/console/console-routes.ts',
      '/console/tsconfig.web.json',
      '/console/assets/index.html',
      '/console/index.html%00.js',
      '/console/nope.js',
    ];
    for (const path of attempts) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toMatch(/"name": "kefu"|root:|createHash/);
    }
    // A normal request over the same socket still works.
    expect((await rawGet('/console/app.js')).status).toBe(200);
  });

  it('serves only files with a known extension, never dot-files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-console-'));
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      writeFileSync(join(dir, 'a.js'), 'export {}');
      writeFileSync(join(dir, 'notes.txt'), 'secret');
      writeFileSync(join(dir, '.hidden.js'), 'secret');
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'b.css'), 'a{}');
      expect([...loadConsoleAssets(dir).keys()]).toEqual(['a.js', 'index.html', 'sub/b.css']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports missing files as E_CONSOLE_ASSETS with a hint, without taking the service down', async () => {
    expect(() => loadConsoleAssets('/nonexistent/kefu-console')).toThrow(/missing/);
    const app = new Hono();
    app.route('/console', consoleRoutes(loadConsoleAssets(CONSOLE_ASSETS_DIR)));
    expect((await app.request('/console/')).status).toBe(200);
  });

  it('finds the same assets folder from dist/ after a build', async () => {
    expect(CONSOLE_ASSETS_DIR).toBe(fileURLToPath(new URL('./assets/', import.meta.url)));
    const built = fileURLToPath(new URL('../../dist/console/console-routes.js', import.meta.url));
    if (!existsSync(built)) return; // not built here; CI builds before testing
    const fromDist = (await import(built)) as typeof import('./console-routes.js');
    expect(fromDist.CONSOLE_ASSETS_DIR).toBe(CONSOLE_ASSETS_DIR);
    expect(fromDist.loadConsoleAssets().has('index.html')).toBe(true);
  });
});
