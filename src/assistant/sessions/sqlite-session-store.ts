/**
 * The SQLite `SessionStore`: sessions (customer, status, agent, dialogue state as JSON) and their
 * messages, in the workspace database under the 'sessions' migration area, plus the conversation
 * records metrics read (./session-records.ts): source, turns, last speaker, handoff, agent replies,
 * outcome at close — kept up to date by the same statements that write messages and status.
 * Methods are async; each write is one statement or one transaction (a turn's writes are one
 * commit with `finishTurn`), so a failed write changes nothing. Writes never re-read the row.
 * Does not: decide anything about the dialogue, or check who may read a session (the assistant and
 * the server scope by customer).
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { InputError, NotFoundError } from '../../core/errors.js';
import { migrateArea, openSqlite } from '../../storage/sqlite-open.js';
import type { DialogueState, SessionInfo, SessionStatus, StoredMessage } from '../contracts.js';
import { SESSION_MIGRATIONS } from './migrations.js';
import {
  type RecordingSessionStore,
  type SessionRecord,
  type SessionSource,
  sourceOfChannel,
  type TurnWrite,
} from './session-records.js';

interface SessionRow {
  id: string;
  customer_id: string;
  status: SessionStatus;
  agent_id: string | null;
  channel: string | null;
  created_at: string;
  updated_at: string;
  state: string;
  source: SessionSource;
  customer_turns: number;
  agent_replies: number;
  last_role: StoredMessage['role'] | null;
  handed_off_at: string | null;
  handoff_reason: string | null;
  closed_at: string | null;
  outcome: SessionRecord['outcome'] | null;
}

interface MessageRow {
  seq: number;
  id: string;
  session_id: string;
  role: StoredMessage['role'];
  text: string;
  created_at: string;
  meta: string;
}

export const emptyState = (): DialogueState => ({ orderHistory: [], failures: 0 });

const toSession = (row: SessionRow): SessionInfo => ({
  id: row.id,
  customerId: row.customer_id,
  status: row.status,
  ...(row.agent_id ? { agentId: row.agent_id } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  state: JSON.parse(row.state) as DialogueState,
});

const toRecord = (row: Omit<SessionRow, 'state'>): SessionRecord => ({
  id: row.id,
  customerId: row.customer_id,
  source: row.source,
  ...(row.channel ? { channel: row.channel } : {}),
  status: row.status,
  customerTurns: row.customer_turns,
  agentReplies: row.agent_replies,
  ...(row.last_role ? { lastRole: row.last_role } : {}),
  ...(row.handed_off_at ? { handedOffAt: row.handed_off_at } : {}),
  ...(row.handoff_reason ? { handoffReason: row.handoff_reason } : {}),
  ...(row.closed_at ? { closedAt: row.closed_at } : {}),
  ...(row.outcome ? { outcome: row.outcome } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toMessage = (row: MessageRow): StoredMessage => ({
  id: row.id,
  sessionId: row.session_id,
  role: row.role,
  text: row.text,
  createdAt: row.created_at,
  meta: JSON.parse(row.meta) as Record<string, unknown>,
});

export interface SqliteSessionStore extends RecordingSessionStore {
  close(): void;
}

/** The status a patch leaves, as SQL: the new one when given, else the current one. */
const NEW_STATUS = 'COALESCE(@status, status)';

/** A session store over an open database (migrated here), or a new connection to `path`. */
export function openSessionStore(dbOrPath: Database.Database | string): SqliteSessionStore {
  const owned = typeof dbOrPath === 'string';
  const db = typeof dbOrPath === 'string' ? openSqlite(dbOrPath) : dbOrPath;
  migrateArea(db, 'sessions', SESSION_MIGRATIONS);
  // Strictly increasing timestamps, so "newest first" is exact within one millisecond too.
  let last = 0;
  const now = () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
  const q = {
    insert: db.prepare(
      `INSERT INTO sessions (id, customer_id, status, agent_id, channel, source, created_at, updated_at, state)
       VALUES (?, ?, 'open', NULL, ?, ?, ?, ?, ?)`,
    ),
    get: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    // One statement: the patch, when the handoff happened and why, and the outcome at close.
    update: db.prepare<Record<string, unknown>, SessionRow>(
      `UPDATE sessions SET
         status = ${NEW_STATUS},
         agent_id = CASE WHEN @setAgent THEN @agentId ELSE agent_id END,
         state = COALESCE(@state, state),
         updated_at = @at,
         handed_off_at = CASE WHEN ${NEW_STATUS} IN ('handed_off', 'with_agent') AND handed_off_at IS NULL
           THEN @at ELSE handed_off_at END,
         handoff_reason = CASE WHEN ${NEW_STATUS} IN ('handed_off', 'with_agent') AND handoff_reason IS NULL
           THEN COALESCE(json_extract(COALESCE(@state, state), '$.handedOff.reason'), 'unknown')
           ELSE handoff_reason END,
         closed_at = CASE WHEN ${NEW_STATUS} = 'closed' AND closed_at IS NULL THEN @at ELSE closed_at END,
         outcome = CASE WHEN ${NEW_STATUS} <> 'closed' THEN outcome
           WHEN handed_off_at IS NOT NULL OR agent_replies > 0 OR status IN ('handed_off', 'with_agent')
             THEN 'handed_off'
           WHEN customer_turns = 0 THEN NULL
           WHEN last_role = 'assistant' THEN 'resolved' ELSE 'abandoned' END
       WHERE id = @id RETURNING *`,
    ),
    touch: db.prepare(
      `UPDATE sessions SET updated_at = @at, last_role = @role,
         customer_turns = customer_turns + (@role = 'customer'),
         agent_replies = agent_replies + (@role = 'agent')
       WHERE id = @id`,
    ),
    append: db.prepare(
      `INSERT INTO session_messages (id, session_id, role, text, created_at, meta)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    messages: db.prepare<[string], MessageRow>(
      'SELECT * FROM session_messages WHERE session_id = ? ORDER BY seq',
    ),
    after: db.prepare<[string, string], MessageRow>(
      `SELECT * FROM session_messages WHERE session_id = ?
         AND seq > (SELECT seq FROM session_messages WHERE id = ?) ORDER BY seq`,
    ),
    seqOf: db.prepare<[string], { seq: number }>('SELECT seq FROM session_messages WHERE id = ?'),
  };

  const missing = (id: string) => new NotFoundError(`no session ${id}`, { hint: 'open a session first' });

  /** Touch the session (throws when it does not exist), then insert; inside a transaction. */
  const appendOne = (sessionId: string, message: TurnMessage): StoredMessage => {
    const at = now();
    if (q.touch.run({ at, role: message.role, id: sessionId }).changes === 0) throw missing(sessionId);
    const id = `m_${randomUUID()}`;
    q.append.run(id, sessionId, message.role, message.text, at, JSON.stringify(message.meta));
    return { ...message, sessionId, id, createdAt: at };
  };

  const patchOne = (sessionId: string, patch: Patch): SessionInfo => {
    const row = q.update.get({
      id: sessionId,
      status: patch.status ?? null,
      setAgent: patch.agentId === undefined ? 0 : 1,
      agentId: patch.agentId ?? null,
      state: patch.state === undefined ? null : JSON.stringify(patch.state),
      at: now(),
    });
    if (!row) throw missing(sessionId);
    return toSession(row);
  };

  const appendTx = db.transaction(appendOne);
  const turnTx = db.transaction((sessionId: string, turn: TurnWrite) => {
    const messages = turn.messages.map((m) => appendOne(sessionId, m));
    const session =
      turn.state !== undefined || turn.status !== undefined
        ? patchOne(sessionId, {
            ...(turn.state ? { state: turn.state } : {}),
            ...(turn.status ? { status: turn.status } : {}),
          })
        : toSession(q.get.get(sessionId)!);
    return { session, messages };
  });

  return {
    async create(customerId: string, options: { channel?: string; source?: SessionSource } = {}) {
      if (!customerId) throw new InputError('a session needs a customer id');
      const id = `s_${randomUUID()}`;
      const at = now();
      const state = emptyState();
      const source = options.source ?? sourceOfChannel(options.channel);
      q.insert.run(id, customerId, options.channel ?? null, source, at, at, JSON.stringify(state));
      return { id, customerId, status: 'open', createdAt: at, updatedAt: at, state };
    },
    async get(sessionId) {
      const row = q.get.get(sessionId);
      return row ? toSession(row) : undefined;
    },
    async update(sessionId, patch) {
      return patchOne(sessionId, patch);
    },
    async append(message) {
      const { sessionId, ...rest } = message;
      return appendTx(sessionId, rest);
    },
    async finishTurn(sessionId, turn) {
      return turnTx(sessionId, turn);
    },
    async messages(sessionId, options = {}) {
      if (options.afterId) {
        if (!q.seqOf.get(options.afterId)) throw new NotFoundError(`no message ${options.afterId}`);
        return q.after.all(sessionId, options.afterId).map(toMessage);
      }
      return q.messages.all(sessionId).map(toMessage);
    },
    async list(filter = {}) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.status) {
        where.push('status = ?');
        args.push(filter.status);
      }
      if (filter.customerId) {
        where.push('customer_id = ?');
        args.push(filter.customerId);
      }
      const sql = `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY updated_at DESC, rowid DESC LIMIT ?`;
      args.push(filter.limit ?? 100);
      return (db.prepare(sql).all(...args) as SessionRow[]).map(toSession);
    },
    async records(filter = {}) {
      const where = ['updated_at >= ?'];
      const args: (string | number)[] = [filter.since ?? ''];
      if (filter.sources) {
        where.push(`source IN (${filter.sources.map(() => '?').join(', ') || 'NULL'})`);
        args.push(...filter.sources);
      }
      args.push(filter.limit ?? 1_000_000);
      const sql = `SELECT id, customer_id, status, agent_id, channel, created_at, updated_at, source,
          customer_turns, agent_replies, last_role, handed_off_at, handoff_reason, closed_at, outcome
        FROM sessions WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, rowid DESC LIMIT ?`;
      return (db.prepare(sql).all(...args) as Omit<SessionRow, 'state'>[]).map(toRecord);
    },
    close() {
      if (owned) db.close();
    },
  };
}

type TurnMessage = TurnWrite['messages'][number];
type Patch = { status?: SessionStatus; agentId?: string | null; state?: DialogueState };
