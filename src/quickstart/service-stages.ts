/**
 * The quickstart stages after the data: import the sample shop into the workspace's order book,
 * ingest its policies, manuals and FAQ page into the knowledge base, and start the service on the
 * workspace with its web console usable out of the box: when no admin key is configured
 * (server.adminKeys, KEFU_ADMIN_KEY) one is generated for this run and handed to the server.
 * Each stage is a thin call into its area; nothing here prints or holds logic of its own.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KefuConfig } from '../config/kefu-config.js';
import type { Progress } from '../core/progress.js';
import { type IngestReport, openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { mintToken } from '../server/auth/tokens.js';
import { resolveAdminKeys } from '../server/config.js';
import { listen } from '../server/listen.js';
import { jsonLogger } from '../server/observability/logger.js';
import { openWorkspaceServer } from '../server/workspace-server.js';
import { importShop } from '../shop/import/import-shop.js';
import type { ShopCounts } from '../shop/store/shop-store.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';

export async function importSampleShop(dbPath: string, sampleDir: string): Promise<ShopCounts> {
  const book = openOrderBook(dbPath);
  try {
    await importShop(book, sampleDir, { format: 'kefu' });
    return await book.counts();
  } finally {
    book.close();
  }
}

export async function ingestSampleDocs(
  dbPath: string,
  sampleDir: string,
  config: KefuConfig['knowledge'],
  progress: Progress,
): Promise<IngestReport> {
  const kb = await openKnowledgeBase({ dbPath, config, baseDir: sampleDir });
  try {
    return await kb.ingest([join(sampleDir, 'docs')], { progress });
  } finally {
    await kb.close();
  }
}

/**
 * The admin key the console's admin views take: generated for this run (shown once, never stored)
 * when none was configured; a configured one is never repeated back.
 */
export type ServiceAdminKey = { origin: 'generated'; key: string } | { origin: 'configured' };

export interface RunningService {
  url: string;
  /** The web console: `${url}/console/`. */
  consoleUrl: string;
  adminKey: ServiceAdminKey;
  model: string;
  /** The server's JSON log (one line per request), inside the workspace. */
  logFile: string;
  /** A token for one sample customer, to try the API by hand. */
  customerToken: string;
  customerId: string;
  secret: string;
  close(): Promise<void>;
}

export async function startService(
  root: string,
  dbPath: string,
  config: KefuConfig,
  options: { port?: number; env?: Record<string, string | undefined>; customerId: string },
): Promise<RunningService> {
  mkdirSync(join(root, 'logs'), { recursive: true });
  const logFile = join(root, 'logs', 'server.jsonl');
  const log = createWriteStream(logFile, { flags: 'a' });
  const given = options.env ?? process.env;
  const adminKey: ServiceAdminKey =
    resolveAdminKeys(config.server, given).length > 0
      ? { origin: 'configured' }
      : { origin: 'generated', key: randomBytes(24).toString('base64url') };
  const service = await openWorkspaceServer({
    root,
    dbPath,
    logger: jsonLogger((line) => log.write(line)),
    server: config.server,
    assistant: config.assistant,
    knowledge: config.knowledge,
    env: adminKey.origin === 'generated' ? { ...given, KEFU_ADMIN_KEY: adminKey.key } : given,
  });
  const listening = await listen(service.app, {
    host: config.server.host,
    port: options.port ?? config.server.port,
  });
  return {
    url: listening.url,
    consoleUrl: `${listening.url}/console/`,
    adminKey,
    model: service.model.id,
    logFile,
    customerId: options.customerId,
    customerToken: mintToken(service.secret, {
      sub: options.customerId,
      kind: 'customer',
      ttlSeconds: 7 * 24 * 3600,
    }),
    secret: service.secret,
    async close() {
      await service.shutdown();
      await listening.close();
      await new Promise<void>((done) => log.end(done));
    },
  };
}

/** A customer with orders, for the token the quickstart prints. */
export async function firstCustomer(dbPath: string): Promise<string | undefined> {
  const book = openOrderBook(dbPath);
  try {
    for (const customer of await book.allCustomers()) {
      if ((await book.ordersOf(customer.id)).length > 0) return customer.id;
    }
    return undefined;
  } finally {
    book.close();
  }
}
