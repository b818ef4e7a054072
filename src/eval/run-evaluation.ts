/**
 * `runEvaluation`: evaluate a workspace's assistant the way `kefu eval` and the quickstart do.
 * The sets come from the workspace's order book; the primary variant is the running server over
 * HTTP (`url`; customer tokens minted with the workspace secret the server signs with) or, without
 * a url, the workspace's assistant in process; `variants` adds ablations (other models, retrieval
 * off) on the same sets. Every variant's order-book changes are undone afterwards (the data is
 * read once and stored back in one transaction). The simulator's sessions are labelled
 * 'eval-simulator' (its tokens say so), so the report's "from logs" section — replacement rate and
 * satisfaction from the workspace's real conversations — leaves them out; satisfaction uses that
 * stored feedback when there is any. Writes reports/eval-<time>/ and appends reports/eval-history.jsonl.
 */
import { join } from 'node:path';
import type { z } from 'zod';
import type { assistantConfigSchema } from '../assistant/config.js';
import { openSessionStore } from '../assistant/sessions/sqlite-session-store.js';
import { NotFoundError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { workspaceSecret } from '../server/auth/secret.js';
import { mintToken } from '../server/auth/tokens.js';
import { FeedbackStore } from '../server/feedback/feedback-store.js';
import { type ConversationStats, conversationStats } from '../server/stats/conversation-stats.js';
import { COMMITTED_BASE_MODEL } from '../server/workspace-server.js';
import { readShopData, storeShopData } from '../shop/import/shop-data.js';
import { openOrderBook } from '../shop/store/sqlite-order-book.js';
import { openSqlite } from '../storage/sqlite-open.js';
import { type EvaluationResult, evaluateVariants, type VariantSpec } from './evaluate.js';
import { createOpenAiJudge } from './grade/judge.js';
import type { SetSizes } from './sets/generate.js';
import { snapshotFromStore } from './shop-snapshot.js';
import type { Feedback } from './summary.js';
import { createHttpTarget, type HttpRoute } from './targets/http.js';
import { openWorkspaceTarget } from './targets/workspace.js';
import type { EvalSetName } from './types.js';
import { parseVariantList } from './variants.js';

export interface RunEvaluationOptions {
  /** Workspace root (models/ and reports/ live here). */
  root: string;
  /** The workspace database (order book, sessions, feedback). */
  dbPath: string;
  /** The running server, e.g. http://127.0.0.1:8787; without it the assistant runs in process. */
  url?: string;
  route?: HttpRoute;
  /** Signs customer tokens; defaults to the workspace secret ($KEFU_SECRET or server.secret). */
  secret?: string;
  /** One fixed customer token for every conversation instead of minting (single-customer servers). */
  token?: string;
  /** In-process model of the primary variant (`--model` syntax). */
  model?: string;
  /** Ablations: 'ablation' (base, SFT, SFT+DPO, SFT+DPO without retrieval, GGUF when present) or 'name=model[+no-retrieval],…'. */
  variants?: string;
  assistant?: z.input<typeof assistantConfigSchema>;
  knowledge?: Record<string, unknown>;
  seed?: number;
  sizes?: Partial<SetSizes>;
  sets?: readonly EvalSetName[];
  repeat?: number;
  concurrency?: number;
  limit?: number;
  judge?: { url: string; model: string; apiKey?: string };
  /** Folder for eval-<time>/ and eval-history.jsonl. Defaults to <root>/reports. */
  reportsDir?: string;
  /** Write report files and history. Defaults to true. */
  write?: boolean;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  progress?: Progress;
}

export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationResult> {
  const env = options.env ?? process.env;
  const book = openOrderBook(options.dbPath);
  try {
    const snapshot = await snapshotFromStore(book);
    const variants: VariantSpec[] = [];
    if (options.url) {
      const url = options.url;
      const secret = options.token
        ? undefined
        : (options.secret ?? (await workspaceSecret(options.root, env)));
      const tokenFor = (customerId: string) =>
        options.token ??
        mintToken(secret as string, {
          sub: customerId,
          kind: 'customer',
          ttlSeconds: 3600,
          source: 'eval-simulator',
        });
      variants.push({
        name: `server (${options.route ?? 'openai'})`,
        description: `${url} through ${options.route === 'sessions' ? 'the sessions API' : '/v1/chat/completions'}`,
        async open() {
          const saved = await readShopData(book);
          const target = createHttpTarget({
            url,
            tokenFor,
            ...(options.route ? { route: options.route } : {}),
          });
          target.reset = async () => {
            await book.transaction((tx) => storeShopData(tx, saved));
          };
          return { target, orderBook: book, close: async () => undefined };
        },
      });
    } else if (!options.variants || options.model) {
      variants.push(inProcessVariant(options, { name: 'assistant', model: options.model, retrieval: true }));
    }
    const listed = options.variants
      ? parseVariantList(options.variants, options.root)
      : { variants: [], skipped: [] as string[] };
    for (const v of listed.variants) variants.push(inProcessVariant(options, v));
    const reports = options.reportsDir ?? join(options.root, 'reports');
    const write = options.write ?? true;
    // Read before the run, so this run's own traffic cannot count even on a fixed-token server.
    const fromLogs = await statsOf(options.dbPath);
    const feedback: Feedback | undefined = fromLogs.feedback.total
      ? { rated: fromLogs.feedback.total, satisfied: fromLogs.feedback.positive }
      : undefined;
    return await evaluateVariants({
      snapshot,
      variants,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.sizes ? { sizes: options.sizes } : {}),
      ...(options.sets ? { sets: options.sets } : {}),
      ...(options.repeat ? { repeat: options.repeat } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.judge
        ? {
            judge: createOpenAiJudge({
              baseUrl: options.judge.url,
              model: options.judge.model,
              ...(options.judge.apiKey ? { apiKey: options.judge.apiKey } : {}),
            }),
          }
        : {}),
      ...(feedback ? { feedback } : {}),
      fromLogs,
      ...(listed.skipped.length ? { notes: listed.skipped } : {}),
      ...(write
        ? {
            outDir: join(reports, `eval-${new Date().toISOString().replace(/[:.]/g, '-')}`),
            historyPath: join(reports, 'eval-history.jsonl'),
          }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
  } finally {
    book.close();
  }
}

async function statsOf(dbPath: string): Promise<ConversationStats> {
  const db = openSqlite(dbPath);
  try {
    return await conversationStats(openSessionStore(db), new FeedbackStore(db));
  } finally {
    db.close();
  }
}

function inProcessVariant(
  options: RunEvaluationOptions,
  v: { name: string; model: string | undefined; retrieval: boolean },
): VariantSpec {
  return {
    name: v.name,
    description: `${v.model ?? 'the workspace model'} in process${v.retrieval ? '' : ', retrieval off'}`,
    async open() {
      const open = (model: string | undefined) =>
        openWorkspaceTarget({
          name: v.name,
          root: options.root,
          dbPath: options.dbPath,
          fallbackBase: COMMITTED_BASE_MODEL,
          ...(model ? { model } : {}),
          config: { ...options.assistant, ...(v.retrieval ? {} : { retrievalLimit: 0 }) },
          ...(options.knowledge ? { knowledge: options.knowledge } : {}),
          ...(options.env ? { env: options.env } : {}),
        });
      let opened: Awaited<ReturnType<typeof open>>;
      try {
        opened = await open(v.model);
      } catch (error) {
        // No trained model in the workspace yet: the committed base, as the server does.
        if (v.model || !(error instanceof NotFoundError) || /shop data/.test(error.message)) throw error;
        opened = await open(COMMITTED_BASE_MODEL);
      }
      const { target, book } = opened;
      return { target, orderBook: book, close: async () => target.close?.() };
    },
  };
}
