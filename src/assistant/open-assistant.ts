/**
 * The assistant of a workspace, wired from its parts: the order book and the session store in
 * the workspace database, the business tools for the shop's flavor, the knowledge base (when
 * anything has been ingested) and a chat model (`--model`, else the workspace's trained model).
 * The CLI's `kefu chat` and the server use it so neither holds wiring logic. `close()` releases
 * everything it opened.
 */
import type { z } from 'zod';
import { NotFoundError } from '../core/errors.js';
import { type OpenKnowledgeBaseOptions, openKnowledgeBase } from '../knowledge/knowledge-base.js';
import type { ShopStore } from '../shop/store/shop-store.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';
import { createAssistant } from './assistant.js';
import { type AssistantConfig, assistantConfigSchema } from './config.js';
import type { Assistant, ChatModel, Retriever, SessionStore, ToolRegistry } from './contracts.js';
import { loadChatModel } from './models/load-chat-model.js';
import { openSessionStore } from './sessions/sqlite-session-store.js';
import { createToolRegistry } from './tools/index.js';

export interface OpenAssistantOptions {
  /** Workspace root (models/ and relative model paths resolve here). */
  root: string;
  /** The workspace database file. */
  dbPath: string;
  /** `--model`: an HF or adapter folder, a .gguf file or an OpenAI-compatible URL. */
  model?: string;
  /** Model name for an OpenAI-compatible server. */
  serverModel?: string;
  apiKey?: string;
  /** Base model used when an adapter's own base is missing. */
  fallbackBase?: string;
  /** The `assistant:` config section (defaults filled in). */
  config?: z.input<typeof assistantConfigSchema>;
  /** The `knowledge:` config section, passed to openKnowledgeBase. */
  knowledge?: OpenKnowledgeBaseOptions['config'];
  env?: Record<string, string | undefined>;
}

export interface WorkspaceAssistant {
  assistant: Assistant;
  model: ChatModel;
  book: ShopStore;
  tools: ToolRegistry;
  sessions: SessionStore;
  retriever: Retriever | undefined;
  config: AssistantConfig;
  /** The name the assistant speaks for (config, else the imported shop's). */
  shopName: string;
  close(): Promise<void>;
}

export async function openWorkspaceAssistant(options: OpenAssistantOptions): Promise<WorkspaceAssistant> {
  const config = assistantConfigSchema.parse(options.config ?? {});
  const book = openOrderBook(options.dbPath);
  const cleanups: (() => Promise<void> | void)[] = [() => book.close()];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const info = await book.infoIfAny();
    if (!info) {
      throw new NotFoundError('this workspace has no shop data', {
        hint: 'import one first: `kefu shop import <dir>` (or run `kefu quickstart`)',
      });
    }
    const tools = createToolRegistry(book, { flavor: info.flavor });
    const sessions = openSessionStore(options.dbPath);
    cleanups.push(() => sessions.close());
    const kb = await openKnowledgeBase({
      dbPath: options.dbPath,
      ...(options.knowledge ? { config: options.knowledge } : {}),
      ...(options.env ? { env: options.env } : {}),
      baseDir: options.root,
    });
    cleanups.push(() => kb.close());
    const retriever = (await kb.stats()).chunks > 0 ? kb.retriever : undefined;
    const model = await loadChatModel(options.model, {
      root: options.root,
      ...(options.serverModel ? { serverModel: options.serverModel } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.fallbackBase ? { fallbackBase: options.fallbackBase } : {}),
    });
    cleanups.push(() => model.close?.());
    const assistant = createAssistant({
      book,
      tools,
      model,
      sessions,
      config,
      ...(retriever ? { retriever } : {}),
    });
    const shopName = config.shopName || info.name;
    return { assistant, model, book, tools, sessions, retriever, config, shopName, close };
  } catch (error) {
    await close();
    throw error;
  }
}
