/**
 * Schema of the 'sessions' area: conversations and their messages, and (version 2) what the
 * replacement-rate and satisfaction metrics need from real conversation logs: where the traffic
 * came from (`source`), customer turns, the last speaker, whether and why it was handed off,
 * agent replies, and the outcome recorded at close. Append migrations; never edit one that has
 * shipped.
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
  {
    version: 2,
    name: 'conversation outcomes',
    sql: `
      ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT 'api'
        CHECK (source IN ('api', 'console', 'eval-simulator', 'cli', 'test'));
      ALTER TABLE sessions ADD COLUMN customer_turns INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN agent_replies INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN last_role TEXT;
      ALTER TABLE sessions ADD COLUMN handed_off_at TEXT;
      ALTER TABLE sessions ADD COLUMN handoff_reason TEXT;
      ALTER TABLE sessions ADD COLUMN closed_at TEXT;
      ALTER TABLE sessions ADD COLUMN outcome TEXT CHECK (outcome IN ('resolved', 'abandoned', 'handed_off'));
      UPDATE sessions SET
        source = CASE channel WHEN 'eval' THEN 'eval-simulator' WHEN 'eval-simulator' THEN 'eval-simulator'
          WHEN 'cli' THEN 'cli' WHEN 'test' THEN 'test' WHEN 'console' THEN 'console' ELSE 'api' END,
        customer_turns = (SELECT count(*) FROM session_messages m WHERE m.session_id = sessions.id AND m.role = 'customer'),
        agent_replies = (SELECT count(*) FROM session_messages m WHERE m.session_id = sessions.id AND m.role = 'agent'),
        last_role = (SELECT role FROM session_messages m WHERE m.session_id = sessions.id ORDER BY seq DESC LIMIT 1),
        handoff_reason = json_extract(state, '$.handedOff.reason'),
        handed_off_at = CASE WHEN json_extract(state, '$.handedOff.reason') IS NOT NULL
          OR status IN ('handed_off', 'with_agent') THEN updated_at END,
        closed_at = CASE WHEN status = 'closed' THEN updated_at END;
      UPDATE sessions SET outcome = CASE
          WHEN handed_off_at IS NOT NULL OR agent_replies > 0 THEN 'handed_off'
          WHEN customer_turns = 0 THEN NULL
          WHEN last_role = 'assistant' THEN 'resolved' ELSE 'abandoned' END
        WHERE status = 'closed';
      CREATE INDEX sessions_by_source ON sessions (source, created_at);
    `,
  },
];
