/**
 * Server-sent events over a web `Response`: `sseResponse(signal, write)` returns at once and runs
 * `write(send)` in the background, sending `event:` / `data:` frames; the stream closes when `write`
 * returns or throws, and `send` reports false once the client has gone. Frames sent in the same
 * turn of the event loop go out as one chunk (one write instead of one per token when a model or a
 * template answers at once). A comment line keeps idle streams open through proxies.
 * Does not: decide what is sent.
 */

export type SendEvent = (data: unknown, event?: string) => boolean;

export interface SseOptions {
  /** The client's signal; `write` should stop when it aborts. */
  signal?: AbortSignal;
  /** Seconds between keep-alive comments; 0 = none. Defaults to 15. */
  keepAliveSeconds?: number;
  headers?: Record<string, string>;
  /** Called once the stream has closed, whatever the reason. */
  onClose?: () => void;
}

const encoder = new TextEncoder();

export function sseResponse(write: (send: SendEvent) => Promise<void>, options: SseOptions = {}): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
    },
  });
  let pending = '';
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (!pending || !open) return;
    const chunk = pending;
    pending = '';
    try {
      controller.enqueue(encoder.encode(chunk));
    } catch {
      open = false;
    }
  };
  const enqueue = (chunk: string): boolean => {
    if (!open || options.signal?.aborted) return false;
    pending += chunk;
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
    return true;
  };
  const send: SendEvent = (data, event) =>
    enqueue(
      `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
  const keepAlive =
    (options.keepAliveSeconds ?? 15) > 0
      ? setInterval(() => enqueue(': keep-alive\n\n'), (options.keepAliveSeconds ?? 15) * 1000)
      : undefined;
  void (async () => {
    try {
      await write(send);
    } catch {
      // `write` reports its own errors as events; a throw here only ends the stream.
    } finally {
      clearInterval(keepAlive);
      flush();
      if (open) {
        open = false;
        try {
          controller.close();
        } catch {}
      }
      options.onClose?.();
    }
  })();
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...options.headers,
    },
  });
}
