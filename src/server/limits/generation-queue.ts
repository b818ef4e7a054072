/**
 * The bounded generation queue: at most `concurrency` generations run, at most `maxWaiting` wait
 * (first come, first served); one more is refused at once with an estimated wait, so the server
 * answers 429 + Retry-After instead of piling up work it cannot finish. A waiter whose signal
 * aborts (client gone, deadline) leaves the queue. Does not: run the generation itself.
 *
 *   const release = await queue.acquire(signal);   // throws 429 when full
 *   try { … } finally { release(); }
 */
import { AbortedError } from '../../core/errors.js';
import { tooManyRequests } from '../http-errors.js';

export interface GenerationQueueOptions {
  concurrency: number;
  maxWaiting: number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
}

export class GenerationQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  /** Moving average of how long a slot is held, for Retry-After. */
  private averageHoldMs = 1000;

  constructor(private readonly options: GenerationQueueOptions) {}

  get running(): number {
    return this.active;
  }

  get depth(): number {
    return this.waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AbortedError('the request was aborted while queued'));
    if (this.active < this.options.concurrency) return Promise.resolve(this.grant());
    if (this.waiting.length >= this.options.maxWaiting) {
      const seconds = ((this.waiting.length + 1) * this.averageHoldMs) / this.options.concurrency / 1000;
      return Promise.reject(
        tooManyRequests('E_QUEUE_FULL', 'the generation queue is full', Math.max(1, seconds)),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiting.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) {
            this.waiting.splice(at, 1);
            reject(new AbortedError('the request was aborted while queued'));
          }
        },
        { once: true },
      );
    });
  }

  private grant(): () => void {
    this.active++;
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.averageHoldMs = 0.8 * this.averageHoldMs + 0.2 * (performance.now() - started);
      this.active--;
      const next = this.waiting.shift();
      if (next) next.resolve(this.grant());
    };
  }
}
