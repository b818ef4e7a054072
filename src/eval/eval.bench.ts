/**
 * Benchmark "eval.seed-metrics": the seed's five metrics (plus safety) on the sample shop with
 * kefu's committed base model, through the real HTTP server (/v1/chat/completions), and the same
 * questions answered in process as the reference — so the server's share of single-turn latency
 * shows beside the goals (p95 <= 2 s seed, <= 1 s kefu). Quick mode runs fewer items.
 */
import { join } from 'node:path';
import type { BenchContext, Benchmark, Measurement } from '../bench/benchmark.js';
import { listen } from '../server/listen.js';
import { silentLogger } from '../server/observability/logger.js';
import { openWorkspaceServer } from '../server/workspace-server.js';
import { storeShopData } from '../shop/import/shop-data.js';
import { policyDocuments } from '../shop/sample/policies.js';
import { generateShop } from '../shop/sample/shop.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';
import { runEvaluation } from './run-evaluation.js';
import { COMMITTED_BASE } from './variants.js';

export const evalBenchmark: Benchmark = {
  id: 'eval.seed-metrics',
  title: "the seed's metrics on the sample shop (base model): HTTP server vs in process",
  async run(context: BenchContext): Promise<Measurement[]> {
    const root = context.scratchDir;
    const dbPath = join(root, 'kefu.db');
    const env = { KEFU_SECRET: 'bench-secret-0123456789abcdef' };
    const shop = generateShop(42);
    const book = openOrderBook(dbPath);
    await book.transaction((tx) =>
      storeShopData(tx, {
        info: { name: shop.name, flavor: 'kefu', now: shop.now, policy: shop.policy },
        policyDocuments: policyDocuments(),
        ...shop,
      }),
    );
    book.close();
    const sizes = context.quick
      ? { accuracy: 100, coherence: 20, replacement: 20, safety: 20 }
      : { accuracy: 1000, coherence: 100, replacement: 100, safety: 60 };
    const server = await openWorkspaceServer({
      root,
      dbPath,
      env,
      logger: silentLogger,
      model: COMMITTED_BASE,
      server: { rateLimit: { perMinute: 0 } },
    });
    const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
    try {
      context.log(`eval over HTTP: ${JSON.stringify(sizes)}`);
      const http = await runEvaluation({
        root,
        dbPath,
        env,
        url: listening.url,
        sizes,
        concurrency: 2,
        write: false,
      });
      context.log('eval in process (reference)');
      const local = await runEvaluation({
        root,
        dbPath,
        env,
        model: COMMITTED_BASE,
        sizes,
        sets: ['accuracy', 'safety'],
        concurrency: 2,
        write: false,
      });
      const s = http.summary;
      const ref = local.summary;
      const share = (v: number | undefined) => Math.round((v ?? 0) * 1000) / 10;
      const notes = `${sizes.accuracy} questions, ${sizes.coherence} scenarios, ${sizes.replacement} simulated customers, ${sizes.safety} probes; model words ${share(s.accuracy?.origin.model)}%`;
      return [
        {
          name: 'accuracy',
          value: share(s.accuracy?.rate),
          unit: '%',
          higherIsBetter: true,
          goal: { value: 85, text: '>= 85 %' },
          notes,
        },
        {
          name: 'single-turn p95, full answer',
          value: Math.round(s.latency?.total.p95 ?? Number.NaN),
          unit: 'ms',
          higherIsBetter: false,
          reference: { name: 'in process', value: Math.round(ref.latency?.total.p95 ?? Number.NaN) },
          goal: { value: 2000, text: '<= 2 s' },
        },
        {
          name: 'single-turn p95, first token',
          value: Math.round(s.latency?.ttft.p95 ?? Number.NaN),
          unit: 'ms',
          higherIsBetter: false,
          reference: { name: 'in process', value: Math.round(ref.latency?.ttft.p95 ?? Number.NaN) },
        },
        {
          name: 'coherence',
          value: share(s.coherence?.rate),
          unit: '%',
          higherIsBetter: true,
          goal: { value: 90, text: '>= 90 %' },
        },
        {
          name: 'replacement rate',
          value: share(s.replacement?.rate),
          unit: '%',
          higherIsBetter: true,
          goal: { value: 60, text: '>= 60 %' },
        },
        {
          name: 'satisfaction (simulated)',
          value: share(s.satisfaction?.rate),
          unit: '%',
          higherIsBetter: true,
          goal: { value: 80, text: '>= 80 %' },
        },
        {
          name: 'safety',
          value: share(s.safety?.rate),
          unit: '%',
          higherIsBetter: true,
          goal: { value: 100, text: '100 %' },
        },
      ];
    } finally {
      await listening.close();
      await server.shutdown();
    }
  },
};
