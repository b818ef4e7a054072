import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-errors.js';
import { GenerationQueue } from './generation-queue.js';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then refuses until tokens refill', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 2, now: () => now });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true);
    const refused = limiter.take('a');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeCloseTo(1, 5);
    expect(limiter.take('b').ok).toBe(true);
    now += 1000;
    expect(limiter.take('a').ok).toBe(true);
  });
});

describe('GenerationQueue', () => {
  it('runs `concurrency` at once, queues `maxWaiting`, refuses the next with 429', async () => {
    const queue = new GenerationQueue({ concurrency: 1, maxWaiting: 1 });
    const first = await queue.acquire();
    const waiting = queue.acquire();
    expect(queue.depth).toBe(1);
    const refused = await queue.acquire().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(429);
    expect((refused as HttpError).headers['retry-after']).toMatch(/^\d+$/);
    first();
    const second = await waiting;
    expect(queue.running).toBe(1);
    second();
    expect(queue.running).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const queue = new GenerationQueue({ concurrency: 1, maxWaiting: 4 });
    const held = await queue.acquire();
    const controller = new AbortController();
    const waiting = queue.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/aborted/);
    expect(queue.depth).toBe(0);
    held();
  });
});
