/**
 * The admin routes the web console (/console/) lights up for when /openapi.json documents them
 * (mounted under /admin by ./admin.ts, admin key only):
 *   POST   /tokens               mint a customer or agent token (labelled `console` traffic by default)
 *   GET    /reports              the workspace's evaluation reports and the metrics history
 *   GET    /reports/:name/:file  one report file (report.html, report.json, records.jsonl)
 *   GET    /labels               the operators' preference labels
 *   POST   /labels               add one ({prompt, chosen, rejected}); 201
 *   DELETE /labels/:id           remove one; 204
 * Does not: sign admin keys (a token is only ever customer or agent), serve any file outside
 * reports/eval-* (../admin/eval-reports.ts), or export pairs (GET /admin/feedback/pairs does).
 */
import { Hono } from 'hono';
import { NotFoundError } from '../../core/errors.js';
import { listEvalReports, readEvalReportFile } from '../admin/eval-reports.js';
import { requireAdmin, type ServerEnv } from '../auth/principal.js';
import { mintToken, verifyToken } from '../auth/tokens.js';
import type { ServerRuntime } from '../runtime.js';
import { mintTokenSchema, parseWith, preferenceLabelSchema } from '../schemas.js';
import { readJson } from './body.js';

/**
 * @param root the workspace root (reports/ lives there); undefined on a server without a
 *   workspace: no reports then.
 */
export function adminConsoleRoutes(rt: ServerRuntime, root: string | undefined): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.use('*', requireAdmin);

  app.post('/tokens', async (c) => {
    const body = parseWith(mintTokenSchema, await readJson(c));
    const token = mintToken(rt.deps.secret, {
      sub: body.sub,
      kind: body.kind,
      ttlSeconds: body.ttlSeconds ?? rt.config.tokenTtlSeconds,
      source: body.source,
    });
    const claims = verifyToken(rt.deps.secret, token);
    rt.logger.log('info', 'token minted', { kind: claims.kind, source: body.source, exp: claims.exp });
    return c.json({ token, ...claims, expiresAt: new Date(claims.exp * 1000).toISOString() }, 201);
  });

  app.get('/reports', async (c) =>
    c.json(root === undefined ? { reports: [], history: [] } : await listEvalReports(root)),
  );

  app.get('/reports/:name/:file', async (c) => {
    const { name, file } = c.req.param();
    if (root === undefined) throw new NotFoundError(`no report file ${name}/${file}`);
    const { bytes, contentType } = await readEvalReportFile(root, name, file);
    return c.body(bytes, 200, {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${name}-${file}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  app.get('/labels', async (c) => c.json({ labels: await rt.deps.feedback.labels() }));

  app.post('/labels', async (c) => {
    const body = parseWith(preferenceLabelSchema, await readJson(c));
    const labeller = c.get('principal')?.id ?? 'admin';
    return c.json(await rt.deps.feedback.addLabel({ ...body, labeller }), 201);
  });

  app.delete('/labels/:id', async (c) => {
    await rt.deps.feedback.deleteLabel(c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
