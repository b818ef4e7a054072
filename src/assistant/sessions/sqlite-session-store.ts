/**
 * The SQLite `SessionStore`: sessions (customer, status, agent, dialogue state as JSON) and their
 * messages, in the workspace database under the 'sessions' migration area. Methods are async and
 * each write is one statement or one transaction, so a failed write changes nothing.
 * Does not: decide anything about the dialogue, or check who may read a session (the assistant and
 * the server scope by customer).
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { InputError, NotFoundError } from '../../core/errors.js';
import { migrateArea, openSqlite } from '../../storage/sqlite-open.js';
import type { DialogueState, SessionInfo, SessionStatus, SessionStore, StoredMessage } from '../contracts.js';
import { SESSION_MIGRATIONS } from './migrations.js';

interface SessionRow {
  id: string;
  customer_id: string;
  status: SessionStatus;
  agent_id: string | null;
  channel: string | null;
  created_at: string;
  updated_at: string;
  state: string;
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

const toMessage = (row: MessageRow): StoredMessage => ({
  id: row.id,
  sessionId: row.session_id,
  role: row.role,
  text: row.text,
  createdAt: row.created_at,
  meta: JSON.parse(row.meta) as Record<string, unknown>,
});

export interface SqliteSessionStore extends SessionStore {
  close(): void;
}

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
      `INSERT INTO sessions (id, customer_id, status, agent_id, channel, created_at, updated_at, state)
       VALUES (?, ?, 'open', NULL, ?, ?, ?, ?)`,
    ),
    get: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    update: db.prepare(
      'UPDATE sessions SET status = ?, agent_id = ?, state = ?, updated_at = ? WHERE id = ?',
    ),
    touch: db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?'),
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

  const mustGet = (id: string): SessionRow => {
    const row = q.get.get(id);
    if (!row) throw new NotFoundError(`no session ${id}`, { hint: 'open a session first' });
    return row;
  };

  return {
    async create(customerId, options = {}) {
      if (!customerId) throw new InputError('a session needs a customer id');
      const id = `s_${randomUUID()}`;
      const at = now();
      q.insert.run(id, customerId, options.channel ?? null, at, at, JSON.stringify(emptyState()));
      return toSession(mustGet(id));
    },
    async get(sessionId) {
      const row = q.get.get(sessionId);
      return row ? toSession(row) : undefined;
    },
    async update(sessionId, patch) {
      const row = mustGet(sessionId);
      const agentId = patch.agentId === undefined ? row.agent_id : patch.agentId;
      const state = patch.state === undefined ? row.state : JSON.stringify(patch.state);
      q.update.run(patch.status ?? row.status, agentId, state, now(), sessionId);
      return toSession(mustGet(sessionId));
    },
    async append(message) {
      mustGet(message.sessionId);
      const id = `m_${randomUUID()}`;
      const at = now();
      db.transaction(() => {
        q.append.run(id, message.sessionId, message.role, message.text, at, JSON.stringify(message.meta));
        q.touch.run(at, message.sessionId);
      })();
      return { ...message, id, createdAt: at };
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
    close() {
      if (owned) db.close();
    },
  };
}
