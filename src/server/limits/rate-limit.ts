/**
 * Per-key token buckets: each key (a customer id) holds up to `burst` tokens, refilled at
 * `perMinute / 60` tokens a second; a request takes one or is refused with the seconds until the
 * next token. Idle full buckets are forgotten so memory stays bounded. Does not: know HTTP.
 */
export interface RateLimitOptions {
  /** Tokens added per minute; 0 disables the limit. */
  perMinute: number;
  burst: number;
  /** Clock in milliseconds; defaults to Date.now (tests pass their own). */
  now?: () => number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;
  private takes = 0;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
  }

  take(key: string): TakeResult {
    const { perMinute, burst } = this.options;
    if (perMinute <= 0) return { ok: true };
    const now = this.now();
    const perMs = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (++this.takes % 1024 === 0) this.sweep(now, perMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: (1 - bucket.tokens) / perMs / 1000 };
  }

  /** Buckets tracked now (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.options.burst) this.buckets.delete(key);
    }
  }
}
