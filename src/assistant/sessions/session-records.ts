/**
 * What the session store records about each conversation beyond the contract's `SessionStore`,
 * for metrics from real conversation logs: where the traffic came from, customer turns, the last
 * speaker, handoff (when and why), agent replies and the outcome; plus `finishTurn`, a turn's
 * writes in one transaction. And `conversationOutcome`, the one rule deciding whether a
 * conversation was resolved by the bot, abandoned, handed to a human, or is still going.
 * Does not: read feedback (the server's feedback store has it) or compute rates (src/server/stats).
 */
import type { DialogueState, SessionInfo, SessionStatus, SessionStore, StoredMessage } from '../contracts.js';

/** Where a session's traffic came from. Only 'eval-simulator' and 'test' are not real customers. */
export type SessionSource = 'api' | 'console' | 'eval-simulator' | 'cli' | 'test';
export const SESSION_SOURCES: readonly SessionSource[] = ['api', 'console', 'eval-simulator', 'cli', 'test'];
/** Sources that are not customers: left out of replacement rate and satisfaction. */
export const SYNTHETIC_SOURCES: readonly SessionSource[] = ['eval-simulator', 'test'];

/** How a closed (or idle) conversation ended. */
export type ConversationOutcome = 'resolved' | 'abandoned' | 'handed_off';

export interface SessionRecord {
  id: string;
  customerId: string;
  source: SessionSource;
  /** What the client said it was (web, app, openai …), free text. */
  channel?: string;
  status: SessionStatus;
  customerTurns: number;
  agentReplies: number;
  lastRole?: StoredMessage['role'];
  handedOffAt?: string;
  handoffReason?: string;
  closedAt?: string;
  /** Set when the session is closed. */
  outcome?: ConversationOutcome;
  createdAt: string;
  updatedAt: string;
}

/** One turn's writes: messages appended in order, then the state / status, in one commit. */
export interface TurnWrite {
  messages: Omit<StoredMessage, 'id' | 'createdAt' | 'sessionId'>[];
  state?: DialogueState;
  status?: SessionStatus;
}

export interface SessionRecords {
  create(customerId: string, options?: { channel?: string; source?: SessionSource }): Promise<SessionInfo>;
  finishTurn(
    sessionId: string,
    turn: TurnWrite,
  ): Promise<{ session: SessionInfo; messages: StoredMessage[] }>;
  /** Newest first; `since` compares with the last activity. */
  records(filter?: {
    since?: string;
    sources?: readonly SessionSource[];
    limit?: number;
  }): Promise<SessionRecord[]>;
}

export type RecordingSessionStore = SessionStore & SessionRecords;

/** Whether `store` keeps conversation records (the SQLite store does). */
export function isRecordingStore(store: SessionStore): store is RecordingSessionStore {
  const candidate = store as Partial<SessionRecords>;
  return typeof candidate.records === 'function' && typeof candidate.finishTurn === 'function';
}

/** The source a channel name implies when the caller names none (old rows, in-process callers). */
export function sourceOfChannel(channel: string | undefined): SessionSource {
  if (channel === 'eval' || channel === 'eval-simulator') return 'eval-simulator';
  if (channel === 'cli' || channel === 'test' || channel === 'console') return channel;
  return 'api';
}

/**
 * The outcome of a conversation, or undefined while it is still going (open and active within
 * `idleMs`) or when the customer never wrote. A human took part → 'handed_off'; otherwise the bot
 * resolved it when it had the last word, and the customer abandoned it when their last message got
 * no answer (a failed or cut-off turn).
 */
export function conversationOutcome(
  record: SessionRecord,
  options: { now: number; idleMs: number },
): ConversationOutcome | undefined {
  if (record.outcome) return record.outcome;
  if (record.handedOffAt || record.agentReplies > 0) return 'handed_off';
  if (record.customerTurns === 0) return undefined;
  const ended = record.status === 'closed' || options.now - Date.parse(record.updatedAt) >= options.idleMs;
  if (!ended) return undefined;
  return record.lastRole === 'assistant' ? 'resolved' : 'abandoned';
}
