/**
 * What the routes share: the dependencies the server was built with (assistant, stores, model,
 * embedder, admin pieces) and the runtime around them (queue, rate limiter, metrics, session bus,
 * logger, in-flight accounting and the ready flag that SIGTERM clears). Types and the in-flight
 * tracker only. Does not: define routes.
 */
import type { Assistant, ChatModel, Embedder, ToolRegistry } from '../assistant/contracts.js';
import type { RecordingSessionStore } from '../assistant/sessions/session-records.js';
import type { ServerConfig } from './config.js';
import type { SessionBus } from './desk/session-bus.js';
import type { FeedbackStore } from './feedback/feedback-store.js';
import type { GenerationQueue } from './limits/generation-queue.js';
import type { RateLimiter } from './limits/rate-limit.js';
import type { ModelSwitch } from './model-switch.js';
import type { Logger } from './observability/logger.js';
import type { ServerMetrics } from './observability/metrics.js';

/** The admin-only pieces; each route answers 501 when its piece is absent. */
export interface AdminDeps {
  /** Workspace root: relative paths in admin requests resolve here. */
  root: string;
  importShop?(dir: string, format: 'kefu' | 'tau-bench'): Promise<unknown>;
  ingest?(paths: string[], meta?: Record<string, string>): Promise<unknown>;
  knowledgeStats?(): Promise<unknown>;
  /** Load a model for `POST /admin/models/active`. */
  loadModel?(spec: string | undefined): Promise<ChatModel>;
  /** `[node, bin/kefu.js]` or similar: how to start the kefu CLI for train/eval jobs. */
  cli?: string[];
}

export interface ReadinessChecks {
  /** Throws when the database cannot be read. */
  database(): Promise<void>;
  /** Number of chunks in the knowledge index (0 = not ready). */
  knowledgeChunks?(): Promise<number>;
}

export interface ServerDeps {
  config: ServerConfig;
  /** HMAC secret for customer and agent tokens. */
  secret: string;
  /** Admin API keys (config + KEFU_ADMIN_KEY). */
  adminKeys: readonly string[];
  assistant: Assistant;
  /** The assistant's session store, with the conversation records the stats read. */
  sessions: RecordingSessionStore;
  /** The active model behind the assistant (the assistant must be built over this switch). */
  model: ModelSwitch;
  feedback: FeedbackStore;
  /** The embedder for /v1/embeddings (a function: the knowledge base may fit one later). */
  embedder?: () => Embedder | undefined;
  tools?: ToolRegistry;
  admin?: AdminDeps;
  readiness?: ReadinessChecks;
  logger?: Logger;
  /** Closes the stores after a drain (SIGTERM). */
  close?(): Promise<void>;
}

export interface ServerRuntime {
  deps: ServerDeps;
  assistant: Assistant;
  config: ServerConfig;
  queue: GenerationQueue;
  limiter: RateLimiter;
  metrics: ServerMetrics;
  bus: SessionBus;
  logger: Logger;
  inFlight: InFlight;
  /** False after shutdown began. */
  accepting(): boolean;
}

/** Counts work that must finish before shutdown, and aborts long-lived listeners at the end. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  private readonly listeners = new Set<AbortController>();

  get size(): number {
    return this.count;
  }

  enter(): () => void {
    this.count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** A controller aborted at shutdown (event streams that never end by themselves). */
  listener(): AbortController {
    const controller = new AbortController();
    this.listeners.add(controller);
    controller.signal.addEventListener('abort', () => this.listeners.delete(controller), { once: true });
    return controller;
  }

  /** Resolves when nothing is in flight, or after `ms`; returns whether it drained. */
  drain(ms: number): Promise<boolean> {
    for (const listener of [...this.listeners]) listener.abort();
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
