/**
 * Serving a kefu app on a TCP port with @hono/node-server, and stopping it: `listen` resolves with
 * the bound URL once the socket listens; `close` stops accepting connections and waits for open
 * ones to end (SSE clients are ended by the server's shutdown first). Does not: build the app.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
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
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
