/**
 * Liveness, readiness and metrics: GET /healthz (the process answers), GET /readyz (accepting work,
 * database reachable, the model answers a one-token generation — cached 30 s —, knowledge index
 * present; 503 with the failing checks otherwise), GET /metrics (Prometheus text format).
 * Does not: require credentials (put these behind the network's own controls).
 */
import { Hono } from 'hono';
import { asKefuError } from '../../core/errors.js';
import type { ServerEnv } from '../auth/principal.js';
import type { ServerRuntime } from '../runtime.js';

const MODEL_CHECK_TTL_MS = 30_000;

export function healthRoutes(rt: ServerRuntime): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  let modelCheck: { at: number; modelId: string; ok: boolean; detail: string } | undefined;

  async function checkModel(): Promise<{ ok: boolean; detail: string }> {
    const model = rt.deps.model;
    if (modelCheck && modelCheck.modelId === model.id && Date.now() - modelCheck.at < MODEL_CHECK_TTL_MS) {
      return modelCheck;
    }
    const signal = AbortSignal.timeout(Math.min(5000, rt.config.deadlines.idleMs));
    let detail = model.id;
    let ok = false;
    try {
      for await (const chunk of model.stream({
        messages: [{ role: 'user', content: '你好' }],
        maxTokens: 1,
        signal,
      })) {
        if (chunk.type === 'finish') ok = true;
      }
    } catch (error) {
      detail = asKefuError(error).message;
    }
    modelCheck = { at: Date.now(), modelId: model.id, ok, detail };
    return modelCheck;
  }

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {
      accepting: { ok: rt.accepting(), ...(rt.accepting() ? {} : { detail: 'shutting down' }) },
    };
    if (rt.deps.readiness) {
      try {
        await rt.deps.readiness.database();
        checks.database = { ok: true };
      } catch (error) {
        checks.database = { ok: false, detail: asKefuError(error).message };
      }
      if (rt.deps.readiness.knowledgeChunks) {
        try {
          const chunks = await rt.deps.readiness.knowledgeChunks();
          checks.knowledge = { ok: chunks > 0, detail: `${chunks} chunks` };
        } catch (error) {
          checks.knowledge = { ok: false, detail: asKefuError(error).message };
        }
      }
    }
    checks.model = rt.config.readinessModelCheck
      ? await checkModel()
      : { ok: true, detail: rt.deps.model.id };
    const ready = Object.values(checks).every((check) => check.ok);
    return c.json({ status: ready ? 'ready' : 'not_ready', checks }, ready ? 200 : 503);
  });

  app.get('/metrics', (c) =>
    c.body(rt.metrics.registry.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );

  return app;
}
