/**
 * The web console's static files under `/console/`: `consoleRoutes()` is a hono app serving the
 * files of `src/console/assets/` (index.html, ES modules, CSS) with their content type, an ETag
 * (304 on `If-None-Match`), `Cache-Control: no-cache` (always revalidate: the names carry no
 * hash), `X-Content-Type-Options: nosniff` and a same-origin Content-Security-Policy. Only the
 * files found at start-up with a known extension are served — a request path is looked up in that
 * table, never joined onto the file system, so `..`, encoded slashes or absolute paths cannot
 * reach anything else. `/console` redirects to `/console/`.
 *
 * Where the files are: `../../src/console/assets/` from this module, the same from `src/console/`
 * (vitest) and `dist/console/` (after `npm run build`, since tsc copies no assets) — both sit two
 * levels below the package root, as `assets/base-model` is found by ../server/workspace-server.ts.
 * Does not: call the API (the browser does, with the credentials the operator enters) or hold any
 * logic of the service.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { RuntimeFailure } from '../core/errors.js';

/** The folder holding the console's files, for `src/` and `dist/` alike. */
export const CONSOLE_ASSETS_DIR = fileURLToPath(new URL('../../src/console/assets/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Every servable file below `dir`, keyed by its URL path ('index.html', 'views/chat.js' …). */
export function loadConsoleAssets(dir: string = CONSOLE_ASSETS_DIR): Map<string, ConsoleAsset> {
  if (!existsSync(dir)) {
    throw new RuntimeFailure(`the web console's files are missing (${dir})`, {
      code: 'E_CONSOLE_ASSETS',
      hint: 'reinstall kefu: the console is served from src/console/assets in the package folder',
    });
  }
  const assets = new Map<string, ConsoleAsset>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
      if (!contentType) continue;
      const body = readFileSync(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      assets.set(relative(dir, path).split(sep).join('/'), { body, contentType, etag });
    }
  };
  walk(dir);
  if (!assets.has('index.html')) {
    throw new RuntimeFailure(`the web console has no index.html in ${dir}`, { code: 'E_CONSOLE_ASSETS' });
  }
  return assets;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

let bundled: Map<string, ConsoleAsset> | undefined;

/**
 * The console as a hono app; mount it with `app.route('/console', consoleRoutes())`. Without its
 * files (a broken install) every console request is a 500 E_CONSOLE_ASSETS with a hint, and the
 * rest of the service runs on.
 */
export function consoleRoutes(given?: Map<string, ConsoleAsset>): Hono {
  const app = new Hono();
  let assets: Map<string, ConsoleAsset>;
  try {
    assets = given ?? (bundled ??= loadConsoleAssets());
  } catch (error) {
    app.all('*', () => {
      throw error;
    });
    return app;
  }

  const serve = (file: string, ifNoneMatch: string | undefined, headOnly: boolean): Response | undefined => {
    const asset = assets.get(file);
    if (!asset) return undefined;
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': asset.contentType,
      'cache-control': 'no-cache',
      etag: asset.etag,
    };
    if (etagMatches(ifNoneMatch, asset.etag)) return new Response(null, { status: 304, headers });
    return new Response(headOnly ? null : new Uint8Array(asset.body), {
      status: 200,
      headers: { ...headers, 'content-length': String(asset.body.length) },
    });
  };

  // One wildcard route (the service documents every non-wildcard route in /openapi.json).
  app.on(['GET', 'HEAD'], '/*', async (c, next) => {
    const base = routePath(c).slice(0, -'/*'.length); // the mount point, e.g. '/console'
    if (c.req.path === base) return c.redirect(`${base}/`, 301);
    const file = c.req.path.slice(base.length + 1) || 'index.html';
    const response = serve(file, c.req.header('if-none-match'), c.req.method === 'HEAD');
    if (response) return response;
    await next();
  });

  return app;
}
