/**
 * The evaluation's shapes: the four eval sets (accuracy questions, coherence scenarios, simulated
 * customers for the replacement rate, safety probes), what a target returns for one customer turn,
 * and the `EvalTarget` contract the runner drives (HTTP through the real server, or the Assistant
 * in process). Types only: no I/O, no logic.
 */

import type { HandoffReason, ToolOutcome } from '../assistant/contracts.js';
import type { Task } from '../data/example.js';

export type EvalSetName = 'accuracy' | 'coherence' | 'replacement' | 'safety';
export const EVAL_SET_NAMES: readonly EvalSetName[] = ['accuracy', 'coherence', 'replacement', 'safety'];

/** The four tasks questions are asked about (the seed's four; 'other' is never a target). */
export type EvalTask = Exclude<Task, 'other'>;
export const EVAL_TASKS: readonly EvalTask[] = ['order', 'shipping', 'after_sales', 'product'];

/**
 * A fact that must (or must not) appear in a reply: one exact string, or several spellings of the
 * same fact of which any one counts (e.g. ['¥99.00', '99元']).
 */
export type Fact = string | string[];

/** Logical tool kinds; the target maps them to its registry's tool names (see grade/tools.ts). */
export type ToolKind =
  | 'order_lookup'
  | 'order_list'
  | 'shipment_track'
  | 'return_status'
  | 'product_lookup'
  | 'policy_lookup'
  | 'order_cancel'
  | 'return_create'
  | 'exchange_create';

/** What one reply is checked against. Every listed check must hold for the turn to pass. */
export interface TurnExpectation {
  required: Fact[];
  forbidden: string[];
  /** The reply's task label (when the target reports one); a list where a question honestly belongs to two (warranty: product or after-sales). */
  task?: EvalTask | EvalTask[];
  /** A tool of this kind (or of any listed kind) must have been called (any outcome unless `toolOutcome`). */
  tool?: ToolKind | ToolKind[];
  toolOutcome?: ToolOutcome;
  /** No tool that changes data may succeed in this turn. */
  noMutation?: boolean;
  /** The reply must ask the customer to confirm (a change is pending). */
  asksConfirmation?: boolean;
  /** The reply must not ask again for the order number the customer already gave. */
  noReask?: boolean;
  /** The reply must not hand the conversation to a person. */
  noHandoff?: boolean;
}

export interface AccuracyCase {
  id: string;
  /** Template kind, e.g. 'order.status', for per-kind breakdowns. */
  kind: string;
  task: EvalTask;
  customerId: string;
  question: string;
  expect: TurnExpectation;
  /** A reference answer written from the data, for BLEU-4 / ROUGE (LLaMA-Factory's predict metrics). */
  reference: string;
}

export interface ScenarioTurn {
  say: string;
  expect: TurnExpectation;
}

export interface CoherenceScenario {
  id: string;
  /** 'remember' | 'reference' | 'previous_order' | 'switch_back' | 'confirm'. */
  kind: string;
  customerId: string;
  turns: ScenarioTurn[];
}

export type GoalKind = 'track' | 'cancel' | 'return' | 'exchange' | 'policy' | 'person';

/** A change the goal requires in the order book, or the absence of any change. */
export type ExpectedChange =
  | { kind: 'order_status'; orderId: string; status: string }
  | { kind: 'return_created'; orderId: string; type: 'return' | 'exchange'; exchangeSku?: string };

/** A simulated customer: who, what they want, and the facts they give when asked. */
export interface ReplacementScenario {
  id: string;
  goal: GoalKind;
  customerId: string;
  /** The first message (may leave out the order number, so the assistant has to ask). */
  opening: string;
  /** What the simulator answers when asked. */
  knows: { orderId?: string; reason?: string; size?: string };
  /** Facts one of the replies must contain for an informational goal (track, policy). */
  answerFacts: Fact[];
  /** Order-book changes the goal needs; anything else changing for this customer fails the run. */
  changes: ExpectedChange[];
  /** Orders the check looks at (the customer's orders). */
  watchOrders: string[];
  maxTurns: number;
}

export type SafetyKind = 'other_customer' | 'injection' | 'extraction';

export interface SafetyCase {
  id: string;
  kind: SafetyKind;
  customerId: string;
  message: string;
  /** Strings whose appearance is a leak (the other customer's phone, a system-prompt line …). */
  mustNotContain: string[];
  /** Orders that must be unchanged afterwards (an injected "cancel it" must not act). */
  watchOrders: string[];
}

export interface EvalSets {
  shop: string;
  seed: number;
  accuracy: AccuracyCase[];
  coherence: CoherenceScenario[];
  replacement: ReplacementScenario[];
  safety: SafetyCase[];
}

// ───────────────────────────── targets ─────────────────────────────

export interface TargetToolCall {
  name: string;
  outcome?: ToolOutcome;
  mutates?: boolean;
}

/** One reply as the runner sees it, whatever the target. */
export interface TargetReply {
  text: string;
  /** The task the assistant assigned (absent when the target does not say). */
  task?: Task;
  toolCalls: TargetToolCall[];
  handoff?: { reason: HandoffReason | string };
  /** 'model' | 'template' | 'agent' when the target reports it. */
  origin?: string;
  /** Knowledge passages the reply cited (retrieval counts as the policy lookup). */
  sources?: number;
  /** Milliseconds from sending to the first text; equals totalMs when nothing streamed. */
  ttftMs: number;
  totalMs: number;
}

export interface EvalConversation {
  send(message: string, signal?: AbortSignal): Promise<TargetReply>;
  close(): Promise<void>;
}

/** Something that answers customers: the real server over HTTP, or the Assistant in process. */
export interface EvalTarget {
  readonly name: string;
  /** Whether replies carry task and tool calls (rules that need them are skipped otherwise). */
  readonly reportsTools: boolean;
  open(customerId: string): Promise<EvalConversation>;
  /** Restore the order book to its state before the run (replacement repeats need it). */
  reset?(): Promise<void>;
  /** Strings that must never reach a customer (system prompt lines), for the extraction probes. */
  secrets?(): Promise<string[]>;
  close?(): Promise<void>;
}
