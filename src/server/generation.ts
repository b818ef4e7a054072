/**
 * One customer turn under the service's production rules, shared by /v1/chat/completions and the
 * sessions API: the customer's token bucket, a slot in the bounded generation queue, one
 * AbortSignal joining the client's disconnect, the request deadline and an idle watchdog (a model
 * that produces nothing for `idleMs` is stuck), and the metrics (time to first token, full answer,
 * tokens, tokens/s, handoffs). A stuck or late generation ends with an HttpError (504) the caller
 * turns into a status or an SSE `error` event; the customer's message stays in the history.
 * Does not: format anything for HTTP.
 */
import type { Assistant, AssistantEvent } from '../assistant/contracts.js';
import { AbortedError, type KefuError } from '../core/errors.js';
import type { ServerConfig } from './config.js';
import { deadlineExceeded, HttpError, tooManyRequests } from './http-errors.js';
import type { GenerationQueue } from './limits/generation-queue.js';
import type { RateLimiter } from './limits/rate-limit.js';
import type { ServerMetrics } from './observability/metrics.js';

export interface TurnRunnerDeps {
  assistant: Assistant;
  queue: GenerationQueue;
  limiter: RateLimiter;
  metrics: ServerMetrics;
  config: ServerConfig;
}

export interface TurnRequest {
  sessionId: string;
  customerId: string;
  message: string;
  /** The client's signal (aborts when it disconnects). */
  signal?: AbortSignal;
}

/** The reason a finished turn's signal carries (one instance: building an Error per turn costs). */
const TURN_ENDED = new AbortedError('the turn ended');

const stuck = (ms: number) =>
  new HttpError(504, 'E_MODEL_STUCK', `the model produced nothing for ${ms} ms`, {
    hint: 'the message is kept in the history; send it again, or check the model (GET /readyz)',
  });

/** Await `promise` unless `signal` aborts first; then reject with the signal's reason. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Admit a turn (token bucket, then a queue slot, both before any response is sent, so refusals are
 * real 429s) and return its event stream. The slot, timers and listeners are released when the
 * stream ends, fails or is abandoned (`return()`).
 */
export async function startTurn(
  deps: TurnRunnerDeps,
  request: TurnRequest,
): Promise<AsyncGenerator<AssistantEvent>> {
  const { config, metrics } = deps;
  const allowed = deps.limiter.take(request.customerId);
  if (!allowed.ok) {
    metrics.rejected.inc({ reason: 'rate_limit' });
    throw tooManyRequests(
      'E_RATE_LIMITED',
      'too many messages from this customer',
      allowed.retryAfterSeconds,
    );
  }
  const controller = new AbortController();
  const abort = (reason: KefuError) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onClientAbort = () => abort(new AbortedError('the client disconnected'));
  request.signal?.addEventListener('abort', onClientAbort, { once: true });
  if (request.signal?.aborted) onClientAbort();
  const deadline = setTimeout(
    () => abort(deadlineExceeded(config.deadlines.requestMs)),
    config.deadlines.requestMs,
  );
  const cleanup = () => {
    clearTimeout(deadline);
    request.signal?.removeEventListener('abort', onClientAbort);
  };
  const started = performance.now();
  let release: () => void;
  try {
    release = await deps.queue.acquire(controller.signal);
  } catch (error) {
    cleanup();
    if (error instanceof HttpError && error.status === 429) metrics.rejected.inc({ reason: 'queue_full' });
    throw controller.signal.aborted ? controller.signal.reason : error;
  }
  return events(deps, request, { controller, abort, started, release, cleanup });
}

async function* events(
  deps: TurnRunnerDeps,
  request: TurnRequest,
  run: {
    controller: AbortController;
    abort: (reason: KefuError) => void;
    started: number;
    release: () => void;
    cleanup: () => void;
  },
): AsyncGenerator<AssistantEvent> {
  const { config, metrics } = deps;
  const { controller } = run;
  let idle: NodeJS.Timeout | undefined;
  // One timer per turn, pushed back on every event (refresh() is far cheaper than a new timer).
  const touch = () => {
    if (idle) idle.refresh();
    else idle = setTimeout(() => run.abort(stuck(config.deadlines.idleMs)), config.deadlines.idleMs);
  };
  let firstToken = false;
  const generationStarted = performance.now();
  const iterator = deps.assistant
    .respond(request.sessionId, request.customerId, request.message, { signal: controller.signal })
    [Symbol.asyncIterator]();
  let finished = false;
  try {
    touch();
    for (;;) {
      const next = await raceAbort(iterator.next(), controller.signal);
      if (next.done) break;
      touch();
      const event = next.value;
      if (event.type === 'text-delta' && !firstToken) {
        firstToken = true;
        metrics.firstTokenSeconds.observe((performance.now() - run.started) / 1000);
      }
      if (event.type === 'handoff') metrics.handoffs.inc({ reason: event.handoff.reason });
      if (event.type === 'finish') {
        metrics.answerSeconds.observe((performance.now() - run.started) / 1000);
        const tokens = event.reply.usage.completionTokens;
        metrics.completionTokens.inc({}, tokens);
        const decodeSeconds = (performance.now() - generationStarted) / 1000;
        if (tokens > 0 && decodeSeconds > 0) metrics.tokensPerSecond.set(tokens / decodeSeconds);
      }
      yield event;
    }
    finished = true;
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(idle);
    run.cleanup();
    run.release();
    if (!controller.signal.aborted) controller.abort(TURN_ENDED);
    // A generator stuck in the model never settles `return()`; do not wait for it.
    if (!finished) void Promise.resolve(iterator.return?.(undefined)).catch(() => undefined);
  }
}
