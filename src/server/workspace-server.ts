/**
 * The service of a workspace, wired from its parts: the order book, session store, feedback store
 * and knowledge base in the workspace database, the business tools for the shop's flavor, the
 * active model behind a ModelSwitch (the workspace's trained model, else kefu's committed base
 * model), the dialogue engine over them, the workspace secret and admin keys, and the kefu CLI for
 * admin jobs. `kefu serve`, the quickstart and the benchmark start it with one call.
 * Does not: parse flags or print (the CLI does).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { createAssistant } from '../assistant/assistant.js';
import { assistantConfigSchema } from '../assistant/config.js';
import type { ChatModel, Retriever } from '../assistant/contracts.js';
import { loadChatModel } from '../assistant/models/load-chat-model.js';
import { openSessionStore } from '../assistant/sessions/sqlite-session-store.js';
import { createToolRegistry } from '../assistant/tools/index.js';
import { NotFoundError } from '../core/errors.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { importShop } from '../shop/import/import-shop.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';
import { openSqlite } from '../storage/sqlite-open.js';
import { createServer, type KefuServer } from './app.js';
import { workspaceSecret } from './auth/secret.js';
import { resolveAdminKeys, type ServerConfig, serverConfigSchema } from './config.js';
import { FeedbackStore } from './feedback/feedback-store.js';
import { ModelSwitch } from './model-switch.js';
import { jsonLogger, type Logger } from './observability/logger.js';
import { startWalCheckpointer } from './storage/wal-checkpointer.js';

/** kefu's committed base model and CLI entry, beside src/ and dist/. */
export const COMMITTED_BASE_MODEL = fileURLToPath(new URL('../../assets/base-model', import.meta.url));
export const KEFU_BIN = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));

export interface WorkspaceServerOptions {
  root: string;
  /** The workspace database file (absolute). */
  dbPath: string;
  server?: z.input<typeof serverConfigSchema>;
  assistant?: z.input<typeof assistantConfigSchema>;
  knowledge?: Record<string, unknown>;
  /** `--model`; default: the workspace's trained model, else the committed base. */
  model?: string;
  /** Use this model instead of loading one (benchmarks, tests). */
  chatModel?: ChatModel;
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

export interface WorkspaceServer extends KefuServer {
  config: ServerConfig;
  secret: string;
  adminKeys: string[];
  model: ModelSwitch;
}

async function loadModel(spec: string | undefined, root: string): Promise<ChatModel> {
  try {
    return await loadChatModel(spec, { root, fallbackBase: COMMITTED_BASE_MODEL });
  } catch (error) {
    if (spec || !(error instanceof NotFoundError)) throw error;
    return loadChatModel(COMMITTED_BASE_MODEL, { root });
  }
}

export async function openWorkspaceServer(options: WorkspaceServerOptions): Promise<WorkspaceServer> {
  const env = options.env ?? process.env;
  const config = serverConfigSchema.parse(options.server ?? {});
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const book = openOrderBook(options.dbPath);
    cleanups.push(() => book.close());
    const info = await book.infoIfAny();
    const tools = createToolRegistry(book, { flavor: info?.flavor ?? 'kefu' });
    const sessionsDb = openSqlite(options.dbPath);
    cleanups.push(() => {
      sessionsDb.close();
    });
    const sessions = openSessionStore(sessionsDb);
    const feedbackDb = openSqlite(options.dbPath);
    cleanups.push(() => {
      feedbackDb.close();
    });
    // Every turn commits through these two; their WAL checkpoints run in a worker instead.
    const checkpointer = startWalCheckpointer(options.dbPath, [sessionsDb, feedbackDb]);
    cleanups.push(() => checkpointer.stop());
    const feedback = new FeedbackStore(feedbackDb);
    const kb = await openKnowledgeBase({
      dbPath: options.dbPath,
      ...(options.knowledge ? { config: options.knowledge } : {}),
      env,
      baseDir: options.root,
    });
    cleanups.push(() => kb.close());
    let chunks = (await kb.stats()).chunks;
    // Knowledge ingested while serving is used from the next turn on.
    const retriever: Retriever = {
      retrieve: (query, o) => (chunks > 0 ? kb.retriever.retrieve(query, o) : Promise.resolve([])),
    };
    const model = new ModelSwitch(options.chatModel ?? (await loadModel(options.model, options.root)));
    cleanups.push(() => model.close());
    const assistantConfig = assistantConfigSchema.parse({
      ...(info?.name ? { shopName: info.name } : {}),
      ...options.assistant,
    });
    const assistant = createAssistant({ book, tools, model, sessions, retriever, config: assistantConfig });
    const secret = await workspaceSecret(options.root, env);
    const adminKeys = resolveAdminKeys(config, env);
    const server = createServer({
      config,
      secret,
      adminKeys,
      assistant,
      sessions,
      model,
      feedback,
      tools,
      embedder: () => kb.embedder,
      logger: options.logger ?? jsonLogger(),
      readiness: {
        async database() {
          feedbackDb.prepare('SELECT 1').get();
        },
        knowledgeChunks: async () => (chunks = (await kb.stats()).chunks),
      },
      admin: {
        root: options.root,
        importShop: (dir, format) => importShop(book, dir, { format }),
        async ingest(paths, meta) {
          const report = await kb.ingest(paths, { cwd: options.root, ...(meta ? { meta } : {}) });
          chunks = (await kb.stats()).chunks;
          return report;
        },
        knowledgeStats: () => kb.stats(),
        loadModel: (spec) => loadModel(spec, options.root),
        ...(existsSync(KEFU_BIN) ? { cli: [process.execPath, KEFU_BIN] } : {}),
      },
      close,
    });
    return { ...server, config, secret, adminKeys, model };
  } catch (error) {
    await close();
    throw error;
  }
}
