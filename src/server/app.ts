/**
 * `createServer(deps)`: the kefu service as a hono app — request ids, structured access logs,
 * latency metrics, a body limit (413), authentication, the routes (OpenAI-compatible /v1, /sessions,
 * /agent, /admin, health, metrics, /openapi.json, /docs), 404 for unknown routes, and the one error
 * handler mapping kefu's typed errors to statuses (bad input is always a 4xx, never a 500).
 * `shutdown()` stops accepting generations (readyz → 503), drains in-flight streams, ends event
 * streams, stops jobs and closes the stores. Does not: open a socket (./listen.ts does) or load
 * anything from a workspace (./workspace-server.ts does).
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { consoleRoutes } from '../console/console-routes.js';
import { asKefuError } from '../core/errors.js';
import { authenticate, type ServerEnv } from './auth/principal.js';
import { SessionBus } from './desk/session-bus.js';
import { errorBody, HttpError, statusOf } from './http-errors.js';
import { bodyLimit } from './limits/body-limit.js';
import { GenerationQueue } from './limits/generation-queue.js';
import { RateLimiter } from './limits/rate-limit.js';
import { silentLogger } from './observability/logger.js';
import { serverMetrics } from './observability/metrics.js';
import { docsPage, openApiDocument } from './openapi.js';
import { adminRoutes } from './routes/admin.js';
import { agentRoutes } from './routes/agent.js';
import { healthRoutes } from './routes/health.js';
import { openAiRoutes } from './routes/openai.js';
import { sessionRoutes } from './routes/sessions.js';
import { InFlight, type ServerDeps, type ServerRuntime } from './runtime.js';

export interface KefuServer {
  app: Hono<ServerEnv>;
  runtime: ServerRuntime;
  /** Not ready, drain in-flight work (up to config.drainMs), end streams, close the stores. */
  shutdown(): Promise<{ drained: boolean }>;
}

const unavailable = () =>
  new HttpError(503, 'E_UNAVAILABLE', 'the server is shutting down', {
    hint: 'retry on another instance',
    headers: { 'retry-after': '5' },
  });

function routeLabel(c: Parameters<typeof matchedRoutes>[0]): string {
  const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL');
  return routes.at(-1)?.path ?? 'unmatched';
}

export function createServer(deps: ServerDeps): KefuServer {
  const config = deps.config;
  const queue = new GenerationQueue(config.queue);
  let accepting = true;
  const inFlight = new InFlight();
  const runtime: ServerRuntime = {
    deps,
    assistant: deps.assistant,
    config,
    queue,
    limiter: new RateLimiter(config.rateLimit),
    metrics: serverMetrics(() => ({ depth: queue.depth, running: queue.running, inFlight: inFlight.size })),
    bus: new SessionBus(),
    logger: deps.logger ?? silentLogger,
    inFlight,
    accepting: () => accepting,
  };
  const { metrics, logger } = runtime;
  const app = new Hono<ServerEnv>();

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(c);
    metrics.requestSeconds.observe(seconds, { method: c.req.method, route, status: String(c.res.status) });
    logger.log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 10_000) / 10,
      principal: c.get('principal')?.kind,
    });
  });

  app.use(
    '*',
    bodyLimit(
      config.bodyLimitBytes,
      () =>
        new HttpError(413, 'E_TOO_LARGE', `the request body is larger than ${config.bodyLimitBytes} bytes`, {
          hint: 'send a shorter message',
        }),
    ),
  );

  app.use('*', authenticate({ secret: deps.secret, adminKeys: deps.adminKeys }));

  // New generations are refused once shutdown has begun; streams already running finish.
  app.use('/v1/chat/completions', async (_c, next) => {
    if (!accepting) throw unavailable();
    await next();
  });
  app.use('/sessions/*', async (c, next) => {
    if (!accepting && c.req.method === 'POST') throw unavailable();
    await next();
  });

  const admin = adminRoutes(runtime);
  app.route('/', healthRoutes(runtime));
  app.route('/v1', openAiRoutes(runtime));
  app.route('/sessions', sessionRoutes(runtime));
  app.route('/agent', agentRoutes(runtime));
  app.route('/admin', admin.app);
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/docs', (c) => c.html(docsPage()));
  app.route('/console', consoleRoutes());

  app.notFound((c) => {
    metrics.errors.inc({ code: 'E_NO_ROUTE' });
    return c.json(
      errorBody(
        new HttpError(404, 'E_NO_ROUTE', `no route ${c.req.method} ${c.req.path}`, { hint: 'see /docs' }),
        c.get('requestId'),
      ),
      404,
    );
  });

  app.onError((error, c) => {
    const failure = asKefuError(error);
    const status = statusOf(failure);
    metrics.errors.inc({ code: failure.code });
    if (status >= 500) {
      logger.log('error', failure.message, {
        requestId: c.get('requestId'),
        code: failure.code,
        stack: (error as Error).stack,
      });
    }
    const headers = failure instanceof HttpError ? failure.headers : {};
    return c.json(errorBody(failure, c.get('requestId')), status as 400, headers);
  });

  return {
    app,
    runtime,
    async shutdown() {
      accepting = false;
      logger.log('info', 'shutting down', { inFlight: runtime.inFlight.size });
      const drained = await runtime.inFlight.drain(config.drainMs);
      await admin.jobs?.stopAll(Math.min(config.drainMs, 5000));
      await deps.close?.();
      logger.log('info', 'stopped', { drained });
      return { drained };
    },
  };
}
