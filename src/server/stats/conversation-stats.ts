/**
 * The seed's replacement rate and satisfaction from real conversation logs: the workspace's stored
 * sessions (their records, see src/assistant/sessions/session-records.ts) and stored feedback.
 *   replacement rate = conversations resolved without a human / conversations that ended
 *     (resolved + abandoned + handed off); open conversations still going are not counted yet;
 *   satisfaction = positive feedback (thumbs up, or a rating of 4–5; a rating wins over a thumb)
 *     / all feedback.
 * Only customer traffic counts: sessions from the evaluation's simulator and from tests are left
 * out (reported as `excluded`), and so is their feedback. Served at GET /admin/stats and printed by
 * `kefu eval`. Does not: write anything.
 */
import {
  type ConversationOutcome,
  conversationOutcome,
  type SessionRecords,
  type SessionSource,
  SYNTHETIC_SOURCES,
} from '../../assistant/sessions/session-records.js';
import type { FeedbackRecord, FeedbackStore } from '../feedback/feedback-store.js';

export interface ConversationStats {
  /** Lower bound on the last activity of the sessions counted, when asked for. */
  since?: string;
  /** A conversation open and silent this long has ended (by its last speaker). */
  idleMinutes: number;
  /** Customer sessions with at least one customer message, by where they came from. */
  conversations: number;
  bySource: Partial<Record<SessionSource, number>>;
  /** Still going (open and active within the idle window). */
  inProgress: number;
  outcomes: Record<ConversationOutcome, number>;
  /** Why conversations were handed off, and how many an agent replied in. */
  handoffReasons: Record<string, number>;
  agentReplied: number;
  /** resolved / (resolved + abandoned + handed_off); null before any conversation ended. */
  replacementRate: number | null;
  feedback: {
    total: number;
    positive: number;
    /** Per answer and per conversation. */
    answers: number;
    conversations: number;
    meanRating: number | null;
  };
  /** Positive feedback / all feedback; null without feedback. */
  satisfaction: number | null;
  /** Left out: sessions opened by the eval simulator or tests, and sessions with no customer message. */
  excluded: { synthetic: number; empty: number };
}

export interface ConversationStatsOptions {
  since?: string;
  /** Defaults to 30. */
  idleMinutes?: number;
  now?: number;
}

/** Positive: a rating of 4–5, or without a rating a thumb up. */
export const isPositiveFeedback = (f: Pick<FeedbackRecord, 'thumb' | 'rating'>): boolean =>
  f.rating !== undefined ? f.rating >= 4 : f.thumb === 'up';

export async function conversationStats(
  sessions: Pick<SessionRecords, 'records'>,
  feedback: Pick<FeedbackStore, 'list'>,
  options: ConversationStatsOptions = {},
): Promise<ConversationStats> {
  const idleMinutes = options.idleMinutes ?? 30;
  const clock = { now: options.now ?? Date.now(), idleMs: idleMinutes * 60_000 };
  const records = await sessions.records(options.since ? { since: options.since } : {});
  const outcomes: Record<ConversationOutcome, number> = { resolved: 0, abandoned: 0, handed_off: 0 };
  const bySource: Partial<Record<SessionSource, number>> = {};
  const handoffReasons: Record<string, number> = {};
  const customerSessions = new Set<string>();
  let synthetic = 0;
  let empty = 0;
  let inProgress = 0;
  let agentReplied = 0;
  for (const record of records) {
    if (SYNTHETIC_SOURCES.includes(record.source)) {
      synthetic++;
      continue;
    }
    customerSessions.add(record.id);
    if (record.customerTurns === 0) {
      empty++;
      continue;
    }
    bySource[record.source] = (bySource[record.source] ?? 0) + 1;
    if (record.agentReplies > 0) agentReplied++;
    if (record.handoffReason) {
      handoffReasons[record.handoffReason] = (handoffReasons[record.handoffReason] ?? 0) + 1;
    }
    const outcome = conversationOutcome(record, clock);
    if (outcome) outcomes[outcome]++;
    else inProgress++;
  }
  const ended = outcomes.resolved + outcomes.abandoned + outcomes.handed_off;
  const given = (await feedback.list(options.since ? { since: options.since } : {})).filter((f) =>
    customerSessions.has(f.sessionId),
  );
  const positive = given.filter(isPositiveFeedback).length;
  const ratings = given.flatMap((f) => (f.rating === undefined ? [] : [f.rating]));
  return {
    ...(options.since ? { since: options.since } : {}),
    idleMinutes,
    conversations: customerSessions.size - empty,
    bySource,
    inProgress,
    outcomes,
    handoffReasons,
    agentReplied,
    replacementRate: ended ? outcomes.resolved / ended : null,
    feedback: {
      total: given.length,
      positive,
      answers: given.filter((f) => f.messageId).length,
      conversations: given.filter((f) => !f.messageId).length,
      meanRating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    },
    satisfaction: given.length ? positive / given.length : null,
    excluded: { synthetic, empty },
  };
}
