/**
 * Serving a kefu app on a TCP port with @hono/node-server, and stopping it: `listen` resolves with
 * the bound URL once the socket listens; `close` stops accepting connections, closes idle keep-alive
 * ones and waits up to `graceMs` for the rest before cutting them (call it after the server's
 * shutdown has drained its streams). Does not: build the app.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface Listening {
  url: string;
  port: number;
  /** Stop listening; connections still open after `graceMs` (default 1000) are cut. */
  close(graceMs?: number): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any hono app (its Env type does not matter here)
export function listen(app: Hono<any>, options: { host: string; port: number }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        const host = options.host.includes(':') ? `[${options.host}]` : options.host;
        resolve({
          url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`,
          port: info.port,
          close: (graceMs = 1000) =>
            new Promise<void>((done) => {
              const http = server as unknown as {
                closeIdleConnections?: () => void;
                closeAllConnections?: () => void;
              };
              const cut = setTimeout(() => http.closeAllConnections?.(), graceMs);
              server.close(() => {
                clearTimeout(cut);
                done();
              });
              http.closeIdleConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
