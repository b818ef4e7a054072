/**
 * A server over the real parts for tests: the assistant area's shop fixture (a generated sample
 * shop in an in-memory order book, the real business tools, the SQLite session store), the real
 * dialogue engine (createAssistant) over a ModelSwitch, the SQLite feedback store, and tokens for
 * two customers, an agent and an admin. Not shipped.
 */

import type { z } from 'zod';
import type { ChatModel } from '../../assistant/contracts.js';
import { isRecordingStore } from '../../assistant/sessions/session-records.js';
import { type ShopFixture, shopFixture } from '../../assistant/test-helpers/shop-fixture.js';
import { createServer, type KefuServer } from '../app.js';
import { mintToken } from '../auth/tokens.js';
import type { serverConfigSchema } from '../config.js';
import { defaultServerConfig } from '../config.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { ModelSwitch } from '../model-switch.js';
import type { ServerDeps } from '../runtime.js';

export const SECRET = 'test-secret-0123456789abcdef';
export const ADMIN_KEY = 'admin-key-0123456789abcdef';

export interface ServerFixture extends KefuServer {
  shop: ShopFixture;
  model: ModelSwitch;
  /** A customer with orders, another customer, an agent. */
  alice: { id: string; token: string };
  bob: { id: string; token: string };
  agentToken: string;
  auth(token: string): Record<string, string>;
  close(): Promise<void>;
}

export async function serverFixture(
  model: ChatModel,
  options: { config?: z.input<typeof serverConfigSchema>; deps?: Partial<ServerDeps> } = {},
): Promise<ServerFixture> {
  const shop = await shopFixture();
  if (!isRecordingStore(shop.sessions)) throw new Error('the shop fixture’s session store keeps no records');
  const switchable = new ModelSwitch(model);
  const assistant = shop.assistant(switchable);
  const config = defaultServerConfig({ readinessModelCheck: true, ...options.config });
  const server = createServer({
    config,
    secret: SECRET,
    adminKeys: [ADMIN_KEY],
    assistant,
    sessions: shop.sessions,
    model: switchable,
    feedback: new FeedbackStore(shop.db),
    tools: shop.tools,
    readiness: {
      async database() {
        shop.db.prepare('SELECT 1').get();
      },
    },
    ...options.deps,
  });
  const first = shop.orders[0]!.customerId;
  const second = shop.orders.find((o) => o.customerId !== first)!.customerId;
  const token = (sub: string, kind: 'customer' | 'agent') =>
    mintToken(SECRET, { sub, kind, ttlSeconds: 3600 });
  return {
    ...server,
    shop,
    model: switchable,
    alice: { id: first, token: token(first, 'customer') },
    bob: { id: second, token: token(second, 'customer') },
    agentToken: token('agent-7', 'agent'),
    auth: (t) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' }),
    async close() {
      shop.close();
    },
  };
}

/** Parses an SSE body into events `{ event, data }` (data JSON-parsed when it is JSON). */
export async function readSse(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      try {
        return { event, data: JSON.parse(data) as unknown };
      } catch {
        return { event, data };
      }
    });
}
