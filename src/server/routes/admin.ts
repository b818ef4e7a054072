/**
 * The admin API (admin key only): import shop data, ingest knowledge, list and call tools, start a
 * training or evaluation job (the kefu CLI as a child process) and follow its log over SSE, list
 * the workspace's models and adapters, switch the active model (open sessions carry on), and read
 * or export the stored feedback, and the replacement rate and satisfaction from real conversations
 * (GET /stats); the console's tokens, evaluation reports and preference labels come from
 * ./admin-console.ts. Paths in requests resolve against the workspace root.
 * Does not: hold the logic of any of these (each calls the area that owns it).
 */
import { isAbsolute, resolve } from 'node:path';
import { Hono } from 'hono';
import { NotFoundError } from '../../core/errors.js';
import { loadRecipe } from '../../training/recipe.js';
import { JobRunner, readNewLines } from '../admin/jobs.js';
import { listWorkspaceModels } from '../admin/workspace-models.js';
import { requireAdmin, type ServerEnv } from '../auth/principal.js';
import { HttpError } from '../http-errors.js';
import type { ServerRuntime } from '../runtime.js';
import {
  evalJobSchema,
  importShopSchema,
  ingestSchema,
  pairsQuerySchema,
  parseWith,
  statsQuerySchema,
  switchModelSchema,
  toolCallSchema,
  trainJobSchema,
} from '../schemas.js';
import { sseResponse } from '../sse.js';
import { conversationStats } from '../stats/conversation-stats.js';
import { adminConsoleRoutes } from './admin-console.js';
import { readJson } from './body.js';

const missing = (what: string) =>
  new HttpError(501, 'E_NOT_CONFIGURED', `${what} is not available on this server`, {
    hint: 'start the server with `kefu serve` in a workspace',
  });

export function adminRoutes(rt: ServerRuntime): { app: Hono<ServerEnv>; jobs: JobRunner | undefined } {
  const app = new Hono<ServerEnv>();
  const admin = rt.deps.admin;
  const root = admin?.root ?? process.cwd();
  const at = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  const jobs = admin?.cli ? new JobRunner({ root, cli: admin.cli }) : undefined;
  app.use('*', requireAdmin);

  app.post('/shop/import', async (c) => {
    const body = parseWith(importShopSchema, await readJson(c));
    if (!admin?.importShop) throw missing('shop import');
    return c.json(await admin.importShop(at(body.dir), body.format));
  });

  app.post('/knowledge/ingest', async (c) => {
    const body = parseWith(ingestSchema, await readJson(c));
    if (!admin?.ingest) throw missing('knowledge ingest');
    return c.json(await admin.ingest(body.paths.map(at), body.meta));
  });

  app.get('/knowledge/stats', async (c) => {
    if (!admin?.knowledgeStats) throw missing('the knowledge base');
    return c.json(await admin.knowledgeStats());
  });

  app.get('/tools', (c) => {
    const tools = rt.deps.tools;
    if (!tools) throw missing('the tool registry');
    return c.json({
      tools: tools.list().map((t) => ({
        name: t.name,
        description: t.description,
        parameters: t.parameters,
        mutates: t.mutates,
      })),
    });
  });

  app.post('/tools/:name/call', async (c) => {
    const body = parseWith(toolCallSchema, await readJson(c));
    const tools = rt.deps.tools;
    if (!tools) throw missing('the tool registry');
    const name = c.req.param('name');
    if (!tools.get(name)) throw new NotFoundError(`no tool ${name}`, { hint: 'GET /admin/tools lists them' });
    const result = await tools.call(name, body.args, {
      customerId: body.customerId,
      confirmed: body.confirmed,
      idempotencyKey: `admin:${c.get('requestId')}`,
      signal: c.req.raw.signal,
    });
    return c.json(result);
  });

  app.post('/jobs/train', async (c) => {
    const body = parseWith(trainJobSchema, await readJson(c));
    if (!jobs) throw missing('job running');
    const recipeFile = at(body.config);
    // Validate here so a bad recipe is a 400 now, not a failed job later.
    const recipe = loadRecipe(recipeFile, body.set);
    const trainerLog = resolve(at(recipe.output_dir), 'trainer_log.jsonl');
    const args = ['--config', recipeFile, ...body.set.flatMap((s) => ['--set', s]), 'train'];
    return c.json(jobs.start('train', args, { trainerLog }), 202);
  });

  app.post('/jobs/eval', async (c) => {
    const body = parseWith(evalJobSchema, await readJson(c));
    if (!jobs) throw missing('job running');
    return c.json(jobs.start('eval', ['eval', ...body.args]), 202);
  });

  app.get('/jobs', (c) => c.json({ jobs: jobs?.list() ?? [] }));
  app.get('/jobs/:id', (c) => {
    if (!jobs) throw missing('job running');
    return c.json(jobs.get(c.req.param('id')));
  });
  app.post('/jobs/:id/cancel', (c) => {
    if (!jobs) throw missing('job running');
    return c.json(jobs.cancel(c.req.param('id')));
  });

  app.get('/jobs/:id/log', (c) => {
    if (!jobs) throw missing('job running');
    const job = jobs.get(c.req.param('id'));
    const signal = c.req.raw.signal;
    return sseResponse(
      async (send) => {
        let trainerAt = 0;
        let outputAt = 0;
        for (;;) {
          const ended = job.status !== 'running';
          if (job.trainerLog) {
            const next = await readNewLines(job.trainerLog, trainerAt);
            trainerAt = next.offset;
            for (const line of next.lines) if (!send(line, 'log')) return;
          }
          const output = await readNewLines(job.outputFile, outputAt);
          outputAt = output.offset;
          for (const line of output.lines) if (!send({ line }, 'output')) return;
          if (ended) {
            send(job, 'end');
            return;
          }
          if (signal.aborted) return;
          await new Promise((r) => setTimeout(r, 250));
        }
      },
      { signal },
    );
  });

  app.get('/models', (c) =>
    c.json({ active: rt.deps.model.id, models: admin ? listWorkspaceModels(root) : [] }),
  );

  app.post('/models/active', async (c) => {
    const body = parseWith(switchModelSchema, await readJson(c));
    if (!admin?.loadModel) throw missing('model loading');
    const next = await admin.loadModel(
      body.model && !/^https?:/i.test(body.model) ? at(body.model) : body.model,
    );
    const previous = await rt.deps.model.switchTo(next);
    rt.deps.logger?.log('info', 'active model switched', { from: previous.id, to: next.id });
    return c.json({ active: next.id, previous: previous.id });
  });

  app.get('/stats', async (c) => {
    const query = parseWith(statsQuerySchema, c.req.query(), 'query');
    return c.json(await conversationStats(rt.deps.sessions, rt.deps.feedback, query));
  });

  app.get('/feedback', async (c) => c.json({ feedback: await rt.deps.feedback.list() }));
  app.get('/feedback/summary', async (c) => c.json(await rt.deps.feedback.summary()));
  app.get('/feedback/pairs', async (c) => {
    const query = parseWith(pairsQuerySchema, c.req.query(), 'query');
    const pairs = await rt.deps.feedback.preferencePairs(query.from);
    if (query.format === 'jsonl') {
      return c.body(pairs.map((p) => JSON.stringify(p)).join('\n') + (pairs.length ? '\n' : ''), 200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
      });
    }
    return c.json({ pairs });
  });

  app.route('/', adminConsoleRoutes(rt, admin?.root));

  return { app, jobs };
}
