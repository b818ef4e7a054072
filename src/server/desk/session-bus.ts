/**
 * In-process publish/subscribe of session events, so a customer's open stream
 * (GET /sessions/:id/events) sees what happens to the conversation elsewhere: an agent's reply,
 * a claim, a hand-back, a close. One process only; several server processes would put Redis or
 * PostgreSQL LISTEN/NOTIFY behind the same interface. Does not: store anything.
 */
import type { SessionStatus, StoredMessage } from '../../assistant/contracts.js';

export type SessionBusEvent =
  | { type: 'message'; message: StoredMessage }
  | { type: 'status'; status: SessionStatus; agentId?: string };

type Listener = (event: SessionBusEvent) => void;

export class SessionBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  publish(sessionId: string, event: SessionBusEvent): void {
    for (const listener of this.listeners.get(sessionId) ?? []) listener(event);
  }

  /** Returns the unsubscribe function. */
  subscribe(sessionId: string, listener: Listener): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) this.listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
    };
  }

  /** Open subscriptions (for metrics and shutdown). */
  get subscriptions(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
