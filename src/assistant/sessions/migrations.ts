/**
 * Schema of the 'sessions' area: conversations and their messages. Append migrations; never edit
 * one that has shipped.
 */
import type { Migration } from '../../storage/migrations.js';

export const SESSION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions and messages',
    sql: `
      CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('open', 'handed_off', 'with_agent', 'closed')),
        agent_id    TEXT,
        channel     TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (json_valid(state))
      ) STRICT;
      CREATE INDEX sessions_by_customer ON sessions (customer_id, updated_at);
      CREATE INDEX sessions_by_status ON sessions (status, updated_at);
      CREATE TABLE session_messages (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        id          TEXT NOT NULL UNIQUE,
        session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        role        TEXT NOT NULL CHECK (role IN ('customer', 'assistant', 'agent', 'system')),
        text        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        meta        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta))
      );
      CREATE INDEX session_messages_by_session ON session_messages (session_id, seq);
    `,
  },
];
