/**
 * Test fixture for the dialogue engine: a small generated sample shop (./sample-book.ts) in an
 * in-memory SQLite order book, the real business tools over it, a session store on the same
 * database, and helpers to pick customers and orders by status and to run one turn. Not shipped.
 */
import type Database from 'better-sqlite3';
import type { ShopStore } from '../../shop/store/shop-store.js';
import type { Order, OrderStatus } from '../../shop/types.js';
import { createAssistant } from '../assistant.js';
import { type AssistantConfig, defaultAssistantConfig } from '../config.js';
import type {
  Assistant,
  AssistantEvent,
  AssistantReply,
  ChatModel,
  Retriever,
  SessionStore,
  ToolRegistry,
} from '../contracts.js';
import { sampleBook } from '../sample-order-book.js';
import { openSessionStore } from '../sessions/sqlite-session-store.js';
import { createToolRegistry } from '../tools/index.js';

export interface ShopFixture {
  db: Database.Database;
  book: ShopStore;
  tools: ToolRegistry;
  sessions: SessionStore;
  orders: Order[];
  /** An order in `status` not handed out before (tests change orders); `not` skips a customer. */
  orderIn(status: OrderStatus, not?: string): Order;
  assistant(
    model: ChatModel,
    options?: { retriever?: Retriever; config?: Partial<AssistantConfig> },
  ): Assistant;
  close(): void;
}

export async function shopFixture(): Promise<ShopFixture> {
  const { db, book, shop } = await sampleBook();
  const tools = createToolRegistry(book, { flavor: 'kefu' });
  const sessions = openSessionStore(db);
  const used = new Set<string>();
  return {
    db,
    book,
    tools,
    sessions,
    orders: shop.orders,
    orderIn(status, not) {
      const order = shop.orders.find((o) => o.status === status && o.customerId !== not && !used.has(o.id));
      if (!order) throw new Error(`the fixture shop has no more ${status} orders`);
      used.add(order.id);
      return order;
    },
    assistant(model, options = {}) {
      return createAssistant({
        book,
        tools,
        sessions,
        model,
        config: defaultAssistantConfig({ maxTokens: 48, ...options.config }),
        ...(options.retriever ? { retriever: options.retriever } : {}),
      });
    },
    close() {
      db.close();
    },
  };
}

export interface TurnRun {
  events: AssistantEvent[];
  reply: AssistantReply;
  text: string;
}

/** Sends one message and collects its events. */
export async function say(
  assistant: Assistant,
  sessionId: string,
  customerId: string,
  message: string,
): Promise<TurnRun> {
  const events: AssistantEvent[] = [];
  for await (const event of assistant.respond(sessionId, customerId, message)) events.push(event);
  const finish = events.at(-1);
  if (finish?.type !== 'finish') throw new Error('the stream did not end with finish');
  const text = events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
  return { events, reply: finish.reply, text };
}
