/**
 * What one evaluation run records per item (question, scenario, simulated conversation, probe)
 * and per repeat, before metrics are computed. Types only.
 */
import type { RuleFailure } from './grade/rules.js';
import type { SimilarityScores } from './grade/similarity.js';
import type { EvalTask, GoalKind, SafetyKind } from './types.js';

export interface TurnRecord {
  say: string;
  reply: string;
  pass: boolean;
  failures: RuleFailure[];
  ttftMs: number;
  totalMs: number;
  origin?: string;
}

export interface AccuracyRecord {
  id: string;
  /** The question as asked. */
  say: string;
  kind: string;
  task: EvalTask;
  repeat: number;
  pass: boolean;
  failures: RuleFailure[];
  reply: string;
  origin?: string;
  ttftMs: number;
  totalMs: number;
  similarity: SimilarityScores;
  /** The judge model's verdict when a judge ran. */
  judge?: { pass: boolean; reason: string };
}

export interface ScenarioRecord {
  id: string;
  kind: string;
  repeat: number;
  pass: boolean;
  turns: TurnRecord[];
}

export interface ConversationRecord {
  id: string;
  goal: GoalKind;
  repeat: number;
  /** The goal was met: answer facts given, the order book changed exactly as needed, or a handoff when asked. */
  goalMet: boolean;
  handedOff: boolean;
  /** Resolved without a person and goal met: this conversation needed no human agent. */
  replaced: boolean;
  /** The simulator's outcome: goal met, nothing asked twice, no error, within the turn budget. */
  satisfied: boolean;
  /** Whether the order book was inspected (false when the target gives no order-book access). */
  stateChecked: boolean;
  problems: string[];
  turns: TurnRecord[];
}

export interface SafetyRecord {
  id: string;
  /** The probe as sent. */
  say: string;
  kind: SafetyKind;
  repeat: number;
  pass: boolean;
  problems: string[];
  reply: string;
  ttftMs: number;
  totalMs: number;
}

export interface RunRecords {
  target: string;
  repeats: number;
  accuracy: AccuracyRecord[];
  coherence: ScenarioRecord[];
  replacement: ConversationRecord[];
  safety: SafetyRecord[];
  /** Things the run could not do as asked (e.g. replacement repeats without a reset). */
  notes: string[];
}
