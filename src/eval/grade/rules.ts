/**
 * Rule grading of one reply against its `TurnExpectation`: required facts present, forbidden
 * facts absent, the right task, the right tool, no change without confirmation, a confirmation
 * question when one is due, no re-asking for an order number already given, no handoff. Each
 * failed rule is reported by name so reports can say why. Checks that need tool and task data
 * are skipped (not failed) for targets that do not report them. Pure.
 */
import type { TargetReply, ToolKind, TurnExpectation } from '../types.js';
import { asksConfirmation, asksForOrderNumber, containsFact, spellings } from './text.js';
import { mutated, usedTool } from './tools.js';

export type RuleName =
  | 'required_fact'
  | 'forbidden_fact'
  | 'task'
  | 'tool'
  | 'mutation'
  | 'confirmation'
  | 'reask'
  | 'handoff'
  | 'error';

export interface RuleFailure {
  rule: RuleName;
  detail: string;
}

export interface TurnGrade {
  pass: boolean;
  failures: RuleFailure[];
}

export interface GradeContext {
  /** The target reports task and tool calls. */
  reportsTools: boolean;
  /** Order numbers the customer already gave in this conversation. */
  knownOrderIds?: readonly string[];
}

export function gradeTurn(reply: TargetReply, expect: TurnExpectation, context: GradeContext): TurnGrade {
  const failures: RuleFailure[] = [];
  for (const fact of expect.required) {
    if (!containsFact(reply.text, fact))
      failures.push({ rule: 'required_fact', detail: spellings(fact).join(' | ') });
  }
  for (const fact of expect.forbidden) {
    if (containsFact(reply.text, fact)) failures.push({ rule: 'forbidden_fact', detail: fact });
  }
  if (context.reportsTools) {
    const tasks = expect.task === undefined ? [] : ([] as string[]).concat(expect.task);
    if (tasks.length && reply.task !== undefined && !tasks.includes(reply.task)) {
      failures.push({ rule: 'task', detail: `expected ${tasks.join(' or ')}, got ${reply.task}` });
    }
    const tools = expect.tool === undefined ? [] : ([] as ToolKind[]).concat(expect.tool);
    if (tools.length && !tools.some((kind) => usedTool(reply, kind, expect.toolOutcome))) {
      const called = reply.toolCalls.map((c) => `${c.name}:${c.outcome ?? '?'}`).join(', ') || 'none';
      failures.push({
        rule: 'tool',
        detail: `expected ${tools.join(' or ')}${expect.toolOutcome ? `:${expect.toolOutcome}` : ''}, called ${called}`,
      });
    }
    if (expect.noMutation && mutated(reply))
      failures.push({ rule: 'mutation', detail: 'a change was made without confirmation' });
  }
  if (expect.asksConfirmation && !asksConfirmation(reply.text)) {
    failures.push({ rule: 'confirmation', detail: 'the reply did not ask the customer to confirm' });
  }
  if (expect.noReask && asksForOrderNumber(reply.text, context.knownOrderIds ?? [])) {
    failures.push({ rule: 'reask', detail: 'asked again for an order number the customer gave' });
  }
  if (expect.noHandoff && reply.handoff)
    failures.push({ rule: 'handoff', detail: `handed off (${reply.handoff.reason})` });
  return { pass: failures.length === 0, failures };
}

/** A turn that could not be graded because the target failed. */
export function errorGrade(error: unknown): TurnGrade {
  return {
    pass: false,
    failures: [{ rule: 'error', detail: error instanceof Error ? error.message : String(error) }],
  };
}
