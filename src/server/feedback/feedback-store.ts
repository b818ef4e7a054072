/**
 * Customer feedback in the workspace database (migration area 'server'): a thumb (up/down) and/or a
 * 1–5 rating, for one answer (messageId) or for the whole conversation (no messageId). One row per
 * (session, message): giving feedback again replaces it. Read back for the satisfaction metric
 * (`summary`) and as preference-pair material (`preferencePairs`: the customer's question with a
 * liked answer as chosen and a disliked answer to a near-identical question as rejected), and the
 * operators' preference labels (`addLabel` / `labels` / `deleteLabel`: a question with the better
 * and the worse answer, picked or written in the console), exported with the derived pairs.
 * Does not: check who may give feedback (the route checks the session is the customer's).
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { InputError, NotFoundError } from '../../core/errors.js';
import { migrateArea } from '../../storage/sqlite-open.js';

export const SERVER_MIGRATIONS = [
  {
    version: 1,
    name: 'feedback',
    sql: `
      CREATE TABLE server_feedback (
        id          TEXT PRIMARY KEY,
        session_id  TEXT NOT NULL,
        message_id  TEXT NOT NULL DEFAULT '',
        customer_id TEXT NOT NULL,
        thumb       TEXT CHECK (thumb IN ('up', 'down')),
        rating      INTEGER CHECK (rating BETWEEN 1 AND 5),
        comment     TEXT NOT NULL DEFAULT '',
        prompt      TEXT NOT NULL DEFAULT '',
        answer      TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        UNIQUE (session_id, message_id)
      ) STRICT;
      CREATE INDEX server_feedback_by_time ON server_feedback (created_at);
    `,
  },
  {
    version: 2,
    name: 'preference labels',
    sql: `
      CREATE TABLE server_preference_labels (
        id         TEXT PRIMARY KEY,
        prompt     TEXT NOT NULL,
        chosen     TEXT NOT NULL,
        rejected   TEXT NOT NULL,
        labeller   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (prompt, chosen, rejected)
      ) STRICT;
    `,
  },
] as const;

/** A preference pair in the seed's flat layout, which `kefu train` (stage: dpo) reads. */
export interface PreferencePair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** An operator's preference label. */
export interface PreferenceLabel extends PreferencePair {
  id: string;
  /** Who labelled it (the admin principal's id). */
  labeller: string;
  createdAt: string;
}

/** Where exported pairs come from: derived from feedback, the operators' labels, or both. */
export type PairSource = 'feedback' | 'labels' | 'all';

interface LabelRow {
  id: string;
  prompt: string;
  chosen: string;
  rejected: string;
  labeller: string;
  created_at: string;
}

const toLabel = (r: LabelRow): PreferenceLabel => ({
  id: r.id,
  prompt: r.prompt,
  chosen: r.chosen,
  rejected: r.rejected,
  labeller: r.labeller,
  createdAt: r.created_at,
});

const normalisePrompt = (prompt: string) => prompt.trim().replace(/\s+/g, ' ');

export interface FeedbackInput {
  sessionId: string;
  customerId: string;
  /** The answer rated; absent for the whole conversation. */
  messageId?: string;
  thumb?: 'up' | 'down';
  rating?: number;
  comment?: string;
  /** The question and answer text, kept so pairs survive session clean-up. */
  prompt?: string;
  answer?: string;
}

export interface FeedbackRecord extends Required<Omit<FeedbackInput, 'thumb' | 'rating' | 'messageId'>> {
  id: string;
  messageId?: string;
  thumb?: 'up' | 'down';
  rating?: number;
  createdAt: string;
}

export interface FeedbackSummary {
  answers: { up: number; down: number; rated: number; meanRating: number | null };
  conversations: { rated: number; meanRating: number | null; satisfied: number };
  /** Share of rated conversations at 4–5 stars (or thumbs up), the seed's satisfaction metric. */
  satisfaction: number | null;
}

interface Row {
  id: string;
  session_id: string;
  message_id: string;
  customer_id: string;
  thumb: 'up' | 'down' | null;
  rating: number | null;
  comment: string;
  prompt: string;
  answer: string;
  created_at: string;
}

const toRecord = (r: Row): FeedbackRecord => ({
  id: r.id,
  sessionId: r.session_id,
  customerId: r.customer_id,
  ...(r.message_id ? { messageId: r.message_id } : {}),
  ...(r.thumb ? { thumb: r.thumb } : {}),
  ...(r.rating !== null ? { rating: r.rating } : {}),
  comment: r.comment,
  prompt: r.prompt,
  answer: r.answer,
  createdAt: r.created_at,
});

export class FeedbackStore {
  constructor(private readonly db: Database.Database) {
    migrateArea(db, 'server', SERVER_MIGRATIONS);
  }

  async record(input: FeedbackInput): Promise<FeedbackRecord> {
    if (!input.thumb && input.rating === undefined) {
      throw new InputError('feedback needs a thumb or a rating', undefined, { details: { field: 'thumb' } });
    }
    const id = `f_${randomUUID()}`;
    const at = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO server_feedback (id, session_id, message_id, customer_id, thumb, rating, comment, prompt, answer, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (session_id, message_id) DO UPDATE SET thumb = excluded.thumb, rating = excluded.rating,
           comment = excluded.comment, created_at = excluded.created_at`,
      )
      .run(
        id,
        input.sessionId,
        input.messageId ?? '',
        input.customerId,
        input.thumb ?? null,
        input.rating ?? null,
        input.comment ?? '',
        input.prompt ?? '',
        input.answer ?? '',
        at,
      );
    const row = this.db
      .prepare<[string, string], Row>('SELECT * FROM server_feedback WHERE session_id = ? AND message_id = ?')
      .get(input.sessionId, input.messageId ?? '')!;
    return toRecord(row);
  }

  async list(options: { since?: string; limit?: number } = {}): Promise<FeedbackRecord[]> {
    return this.db
      .prepare<[string, number], Row>(
        'SELECT * FROM server_feedback WHERE created_at >= ? ORDER BY created_at, id LIMIT ?',
      )
      .all(options.since ?? '', options.limit ?? 100_000)
      .map(toRecord);
  }

  async summary(): Promise<FeedbackSummary> {
    const all = await this.list();
    const answers = all.filter((f) => f.messageId);
    const conversations = all.filter((f) => !f.messageId);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const answerRatings = answers.flatMap((f) => (f.rating === undefined ? [] : [f.rating]));
    const convRatings = conversations.flatMap((f) => (f.rating === undefined ? [] : [f.rating]));
    const satisfied = conversations.filter((f) => (f.rating ?? (f.thumb === 'up' ? 5 : 1)) >= 4).length;
    return {
      answers: {
        up: answers.filter((f) => f.thumb === 'up').length,
        down: answers.filter((f) => f.thumb === 'down').length,
        rated: answerRatings.length,
        meanRating: mean(answerRatings),
      },
      conversations: { rated: conversations.length, meanRating: mean(convRatings), satisfied },
      satisfaction: conversations.length ? satisfied / conversations.length : null,
    };
  }

  /**
   * Preference pairs in the seed's flat `{prompt, chosen, rejected}` layout. From feedback: for each
   * question with both a liked (up or 4–5) and a disliked (down or 1–2) answer, one pair per
   * disliked answer. From labels: each label as stored. `all` (the default) is feedback then labels,
   * a pair that is in both kept once.
   */
  async preferencePairs(from: PairSource = 'all'): Promise<PreferencePair[]> {
    const pairs = [
      ...(from === 'labels' ? [] : await this.feedbackPairs()),
      ...(from === 'feedback'
        ? []
        : (await this.labels()).map(({ prompt, chosen, rejected }) => ({ prompt, chosen, rejected }))),
    ];
    const seen = new Set<string>();
    return pairs.filter((p) => {
      const key = JSON.stringify([normalisePrompt(p.prompt), p.chosen, p.rejected]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private async feedbackPairs(): Promise<PreferencePair[]> {
    const rated = (await this.list()).filter((f) => f.messageId && f.prompt && f.answer);
    const liked = (f: FeedbackRecord) => f.thumb === 'up' || (f.rating ?? 0) >= 4;
    const disliked = (f: FeedbackRecord) => f.thumb === 'down' || (f.rating !== undefined && f.rating <= 2);
    const byPrompt = new Map<string, FeedbackRecord[]>();
    for (const f of rated) {
      const key = normalisePrompt(f.prompt);
      byPrompt.set(key, [...(byPrompt.get(key) ?? []), f]);
    }
    const pairs: PreferencePair[] = [];
    for (const [prompt, group] of byPrompt) {
      const chosen = group.find(liked);
      if (!chosen) continue;
      for (const bad of group.filter(disliked)) {
        if (bad.answer !== chosen.answer) pairs.push({ prompt, chosen: chosen.answer, rejected: bad.answer });
      }
    }
    return pairs;
  }

  /** Stores an operator's label; the same (prompt, chosen, rejected) again is kept once (the first). */
  async addLabel(input: Omit<PreferenceLabel, 'id' | 'createdAt'>): Promise<PreferenceLabel> {
    const pair = {
      prompt: input.prompt.trim(),
      chosen: input.chosen.trim(),
      rejected: input.rejected.trim(),
    };
    for (const field of ['prompt', 'chosen', 'rejected'] as const) {
      if (!pair[field]) {
        throw new InputError(`a label needs a ${field} text`, undefined, { details: { field } });
      }
    }
    if (pair.chosen === pair.rejected) {
      throw new InputError('chosen and rejected are the same answer', undefined, {
        details: { field: 'rejected' },
        hint: 'the rejected answer must differ from the chosen one',
      });
    }
    this.db
      .prepare(
        `INSERT INTO server_preference_labels (id, prompt, chosen, rejected, labeller, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (prompt, chosen, rejected) DO NOTHING`,
      )
      .run(
        `l_${randomUUID()}`,
        pair.prompt,
        pair.chosen,
        pair.rejected,
        input.labeller,
        new Date().toISOString(),
      );
    const row = this.db
      .prepare<[string, string, string], LabelRow>(
        'SELECT * FROM server_preference_labels WHERE prompt = ? AND chosen = ? AND rejected = ?',
      )
      .get(pair.prompt, pair.chosen, pair.rejected)!;
    return toLabel(row);
  }

  /** The labels, oldest first. */
  async labels(): Promise<PreferenceLabel[]> {
    return this.db
      .prepare<[], LabelRow>('SELECT * FROM server_preference_labels ORDER BY created_at, rowid')
      .all()
      .map(toLabel);
  }

  /** Removes a label; NotFoundError when there is none with that id. */
  async deleteLabel(id: string): Promise<void> {
    const { changes } = this.db.prepare('DELETE FROM server_preference_labels WHERE id = ?').run(id);
    if (changes === 0) throw new NotFoundError(`no label ${id}`, { hint: 'GET /admin/labels lists them' });
  }
}
