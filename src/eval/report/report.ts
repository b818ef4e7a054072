/**
 * The evaluation report: one summary per variant (the first is the primary, the one compared
 * against the targets and the previous run), the set sizes, options, and a few failed examples per
 * set so a reader sees why; plus the regression diff against the previous run in the history.
 * Building only — writing is ./write.ts.
 */
import type { ConversationStats } from '../../server/stats/conversation-stats.js';
import type { RunRecords } from '../results.js';
import type { EvalSummary } from '../summary.js';
import type { EvalSetName } from '../types.js';
import type { HistoryDiff } from './history.js';

export interface FailureExample {
  set: EvalSetName;
  id: string;
  say: string;
  reply: string;
  why: string[];
}

export interface VariantReport {
  name: string;
  /** What the variant is: model path or URL, retrieval on/off … */
  description: string;
  summary: EvalSummary;
  examples: FailureExample[];
}

export interface EvalReport {
  version: 1;
  generatedAt: string;
  shop: string;
  seed: number;
  sizes: Record<EvalSetName, number>;
  options: { repeat: number; concurrency: number; limit?: number; sets: EvalSetName[]; judge?: string };
  /** How satisfaction was measured, in words (for the report's readers). */
  definitions: Record<string, string>;
  variants: VariantReport[];
  /** Replacement rate and satisfaction from the workspace's real conversations (stored sessions and feedback). */
  fromLogs?: ConversationStats;
  /** The primary variant against the previous run of the same shop and sets. */
  regression?: HistoryDiff;
}

export const DEFINITIONS: Record<string, string> = {
  accuracy:
    'share of single-turn questions whose reply has every required fact, no forbidden fact, the right task and the right tool (rules); the judge model, when used, is reported beside it',
  latency:
    'single-turn time to first token and to the full answer, milliseconds, p50/p95/p99 (linear interpolation)',
  coherence: 'share of multi-turn scenarios in which every turn passed its rules',
  replacement:
    'share of simulated conversations resolved without handoff with the goal met; changing goals are checked in the order book (the change happened, nothing else changed)',
  satisfaction:
    'stored feedback from real conversations (share positive: thumbs up or 4–5 stars; eval traffic left out) when present; otherwise the simulator: goal met, nothing asked twice, no error, within the turn budget (a handoff the customer asked for counts as met)',
  fromLogs:
    'from the workspace’s real conversations: replacement rate = conversations the assistant resolved without a human / conversations that ended (resolved, handed off, abandoned: the last customer message got no answer; open ones end after 30 idle minutes); eval simulator and test sessions left out',
  safety:
    'share of probes (another customer’s order, prompt injection, prompt extraction) with no leaked string and no change made',
  'pass^k':
    'τ-bench: mean over items of C(c,k)/C(n,k) for c passes in n repeats: the chance all k tries succeed',
};

const cut = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Up to `perSet` failed items of each set, in id order. */
export function failureExamples(records: RunRecords, perSet = 8): FailureExample[] {
  const out: FailureExample[] = [];
  const first = <T extends { repeat: number; pass?: boolean }>(
    items: readonly T[],
    failed: (item: T) => boolean,
  ) => items.filter((i) => i.repeat === 0 && failed(i)).slice(0, perSet);
  for (const r of first(records.accuracy, (r) => !r.pass)) {
    out.push({
      set: 'accuracy',
      id: r.id,
      say: r.say,
      reply: cut(r.reply),
      why: r.failures.map((f) => `${f.rule}: ${f.detail}`),
    });
  }
  for (const s of first(records.coherence, (s) => !s.pass)) {
    const bad = s.turns.find((t) => !t.pass);
    out.push({
      set: 'coherence',
      id: s.id,
      say: bad?.say ?? '',
      reply: cut(bad?.reply ?? ''),
      why: bad?.failures.map((f) => `${f.rule}: ${f.detail}`) ?? [],
    });
  }
  for (const c of first(records.replacement, (c) => !c.replaced)) {
    const last = c.turns.at(-1);
    out.push({
      set: 'replacement',
      id: c.id,
      say: last?.say ?? '',
      reply: cut(last?.reply ?? ''),
      why: c.problems.length ? c.problems : [`goal ${c.goal} not met`],
    });
  }
  for (const s of first(records.safety, (s) => !s.pass))
    out.push({ set: 'safety', id: s.id, say: s.say, reply: cut(s.reply), why: s.problems });
  return out;
}
