/**
 * From run records to the numbers the seed asks for: accuracy (rules; judge beside it; BLEU-4 and
 * ROUGE as LLaMA-Factory computes them; how many replies came from the model vs templates),
 * single-turn latency p50/p95/p99 (time to first token and full answer), coherence, replacement
 * rate, satisfaction, safety pass rates, pass^k for every set, and pass/fail against the seed's
 * targets and kefu's own higher goals. Pure.
 */
import { meanSimilarity, type SimilarityScores } from './grade/similarity.js';
import { type LatencySummary, latencySummary, passHatSeries, rate } from './metrics.js';
import type { RunRecords } from './results.js';

export interface Targets {
  accuracy: number;
  /** p95 of the full single-turn answer, milliseconds. */
  p95Ms: number;
  coherence: number;
  replacement: number;
  satisfaction: number;
  safety?: number;
}

export const SEED_TARGETS: Targets = {
  accuracy: 0.85,
  p95Ms: 2000,
  coherence: 0.9,
  replacement: 0.6,
  satisfaction: 0.8,
};
export const KEFU_GOALS: Targets = {
  accuracy: 0.95,
  p95Ms: 1000,
  coherence: 0.95,
  replacement: 0.75,
  satisfaction: 0.9,
  safety: 1,
};

/** Stored conversation feedback: how many conversations were rated, and how many satisfied (4–5 stars or thumbs up). */
export interface Feedback {
  rated: number;
  satisfied: number;
}

export interface TargetCheck {
  metric: 'accuracy' | 'latency_p95' | 'coherence' | 'replacement' | 'satisfaction' | 'safety';
  value: number;
  seed?: { target: number; pass: boolean };
  kefu?: { target: number; pass: boolean };
}

export interface EvalSummary {
  target: string;
  repeats: number;
  accuracy?: {
    count: number;
    rate: number;
    byTask: Record<string, number>;
    byKind: Record<string, number>;
    /** Failed rules, counted. */
    failures: Record<string, number>;
    judge?: number;
    similarity: SimilarityScores;
    /** Share of replies by origin (model / template / agent). */
    origin: Record<string, number>;
    passK: Record<string, number>;
  };
  latency?: { ttft: LatencySummary; total: LatencySummary };
  coherence?: {
    count: number;
    rate: number;
    turnRate: number;
    byKind: Record<string, number>;
    passK: Record<string, number>;
  };
  replacement?: {
    count: number;
    rate: number;
    goalMet: number;
    handoff: number;
    byGoal: Record<string, number>;
    stateChecked: boolean;
    passK: Record<string, number>;
  };
  satisfaction?: { rate: number; source: 'feedback' | 'simulated'; count: number; simulated?: number };
  safety?: { count: number; rate: number; byKind: Record<string, number>; passK: Record<string, number> };
  checks: TargetCheck[];
  notes: string[];
}

function groupRate<T>(
  items: readonly T[],
  key: (item: T) => string,
  pass: (item: T) => boolean,
): Record<string, number> {
  const groups = new Map<string, [number, number]>();
  for (const item of items) {
    const g = groups.get(key(item)) ?? [0, 0];
    g[0] += pass(item) ? 1 : 0;
    g[1] += 1;
    groups.set(key(item), g);
  }
  return Object.fromEntries(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, [p, n]]) => [k, rate(p, n)]),
  );
}

function trialsById<T extends { id: string }>(items: readonly T[], pass: (item: T) => boolean): boolean[][] {
  const byId = new Map<string, boolean[]>();
  for (const item of items) byId.set(item.id, [...(byId.get(item.id) ?? []), pass(item)]);
  return [...byId.values()];
}

const overall = <T>(items: readonly T[], pass: (item: T) => boolean) =>
  rate(items.filter(pass).length, items.length);
const finite = (values: number[]) => values.filter((v) => Number.isFinite(v));

function check(
  metric: TargetCheck['metric'],
  value: number,
  seed: number | undefined,
  kefu: number | undefined,
  lowerIsBetter = false,
): TargetCheck {
  const ok = (target: number) =>
    Number.isFinite(value) && (lowerIsBetter ? value <= target : value >= target);
  return {
    metric,
    value,
    ...(seed !== undefined ? { seed: { target: seed, pass: ok(seed) } } : {}),
    ...(kefu !== undefined ? { kefu: { target: kefu, pass: ok(kefu) } } : {}),
  };
}

export function summarize(
  records: RunRecords,
  options: { feedback?: Feedback; seedTargets?: Targets; kefuGoals?: Targets } = {},
): EvalSummary {
  const seed = options.seedTargets ?? SEED_TARGETS;
  const kefu = options.kefuGoals ?? KEFU_GOALS;
  const summary: EvalSummary = {
    target: records.target,
    repeats: records.repeats,
    checks: [],
    notes: [...records.notes],
  };
  const k = records.repeats;
  const acc = records.accuracy;
  if (acc.length) {
    const failures: Record<string, number> = {};
    for (const r of acc) for (const f of r.failures) failures[f.rule] = (failures[f.rule] ?? 0) + 1;
    const judged = acc.filter((r) => r.judge);
    const origin: Record<string, number> = {};
    for (const r of acc)
      origin[r.origin ?? 'unknown'] = (origin[r.origin ?? 'unknown'] ?? 0) + 1 / acc.length;
    summary.accuracy = {
      count: acc.length,
      rate: overall(acc, (r) => r.pass),
      byTask: groupRate(
        acc,
        (r) => r.task,
        (r) => r.pass,
      ),
      byKind: groupRate(
        acc,
        (r) => r.kind,
        (r) => r.pass,
      ),
      failures,
      ...(judged.length ? { judge: overall(judged, (r) => r.judge?.pass === true) } : {}),
      similarity: meanSimilarity(acc.map((r) => r.similarity)),
      origin,
      passK: passHatSeries(
        trialsById(acc, (r) => r.pass),
        k,
      ),
    };
  }
  const singleTurn = [...acc, ...records.safety];
  if (singleTurn.length) {
    summary.latency = {
      ttft: latencySummary(finite(singleTurn.map((r) => r.ttftMs))),
      total: latencySummary(finite(singleTurn.map((r) => r.totalMs))),
    };
  }
  const coh = records.coherence;
  if (coh.length) {
    const turns = coh.flatMap((s) => s.turns);
    summary.coherence = {
      count: coh.length,
      rate: overall(coh, (s) => s.pass),
      turnRate: overall(turns, (t) => t.pass),
      byKind: groupRate(
        coh,
        (s) => s.kind,
        (s) => s.pass,
      ),
      passK: passHatSeries(
        trialsById(coh, (s) => s.pass),
        k,
      ),
    };
  }
  const rep = records.replacement;
  if (rep.length) {
    const repRepeats = Math.max(...rep.map((r) => r.repeat)) + 1;
    summary.replacement = {
      count: rep.length,
      rate: overall(rep, (r) => r.replaced),
      goalMet: overall(rep, (r) => r.goalMet),
      handoff: overall(rep, (r) => r.handedOff),
      byGoal: groupRate(
        rep,
        (r) => r.goal,
        (r) => r.goalMet,
      ),
      stateChecked: rep.every((r) => r.stateChecked),
      passK: passHatSeries(
        trialsById(rep, (r) => r.replaced),
        repRepeats,
      ),
    };
  }
  const simulated = rep.length ? overall(rep, (r) => r.satisfied) : Number.NaN;
  const fb = options.feedback;
  if (fb && fb.rated > 0) {
    summary.satisfaction = {
      rate: rate(fb.satisfied, fb.rated),
      source: 'feedback',
      count: fb.rated,
      ...(rep.length ? { simulated } : {}),
    };
  } else if (rep.length) {
    summary.satisfaction = { rate: simulated, source: 'simulated', count: rep.length };
  }
  const saf = records.safety;
  if (saf.length) {
    summary.safety = {
      count: saf.length,
      rate: overall(saf, (r) => r.pass),
      byKind: groupRate(
        saf,
        (r) => r.kind,
        (r) => r.pass,
      ),
      passK: passHatSeries(
        trialsById(saf, (r) => r.pass),
        k,
      ),
    };
  }
  if (summary.accuracy)
    summary.checks.push(check('accuracy', summary.accuracy.rate, seed.accuracy, kefu.accuracy));
  if (summary.latency)
    summary.checks.push(check('latency_p95', summary.latency.total.p95, seed.p95Ms, kefu.p95Ms, true));
  if (summary.coherence)
    summary.checks.push(check('coherence', summary.coherence.rate, seed.coherence, kefu.coherence));
  if (summary.replacement)
    summary.checks.push(check('replacement', summary.replacement.rate, seed.replacement, kefu.replacement));
  if (summary.satisfaction)
    summary.checks.push(
      check('satisfaction', summary.satisfaction.rate, seed.satisfaction, kefu.satisfaction),
    );
  if (summary.safety) summary.checks.push(check('safety', summary.safety.rate, seed.safety, kefu.safety));
  return summary;
}
