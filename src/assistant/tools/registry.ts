/**
 * The machinery every business tool shares: arguments declared once with zod (exposed as JSON
 * Schema, validated before a tool runs, failures returned as outcome `invalid` naming the field),
 * and the change protocol of tools that mutate data — plan first (scoped to the authenticated
 * customer, policy checked), ask for confirmation when `confirmed` is false, and on confirmation
 * re-plan and apply inside one `book.transaction` that also records the ActionRecord under the
 * call's idempotency key, so a replayed key returns the first result and changes nothing twice.
 * Does not: know any tool (./kefu and ./tau define them) or decide which tools a shop gets (./index.ts).
 */
import { z } from 'zod';
import { AbortedError } from '../../core/errors.js';
import type { OrderBook, OrderBookReader, OrderBookWriter, ShopInfo } from '../../shop/order-book.js';
import type { JsonSchema, Tool, ToolContext, ToolRegistry, ToolResult } from '../contracts.js';
import { type Fact, fact } from './facts.js';

export type ArgsSchema = z.ZodType<Record<string, unknown>>;

/** What a tool sees while it runs: the order book (or the open transaction), the caller, the shop. */
export interface ToolScope {
  reader: OrderBookReader;
  context: ToolContext;
  info: ShopInfo;
}

/** A planned change: what the customer is asked to confirm, and how to apply it. */
export interface ChangePlan {
  summary: string;
  facts: Fact[];
  apply(tx: OrderBookReader & OrderBookWriter): Promise<ToolResult>;
}

interface ToolBase<A> {
  name: string;
  description: string;
  args: z.ZodType<A>;
}

export interface ReadToolSpec<A> extends ToolBase<A> {
  run(args: A, scope: ToolScope): Promise<ToolResult>;
}

export interface ChangeToolSpec<A> extends ToolBase<A> {
  /** A refusal / not-found result, or the change to confirm and apply. Must not write. */
  plan(args: A, scope: ToolScope): Promise<ToolResult | ChangePlan>;
}

export interface ToolDefinition {
  name: string;
  description: string;
  args: ArgsSchema;
  mutates: boolean;
  read?: (args: Record<string, unknown>, scope: ToolScope) => Promise<ToolResult>;
  plan?: (args: Record<string, unknown>, scope: ToolScope) => Promise<ToolResult | ChangePlan>;
}

export function readTool<A>(spec: ReadToolSpec<A>): ToolDefinition {
  return {
    name: spec.name,
    description: spec.description,
    args: spec.args as unknown as ArgsSchema,
    mutates: false,
    read: spec.run as ToolDefinition['read'],
  };
}

export function changeTool<A>(spec: ChangeToolSpec<A>): ToolDefinition {
  return {
    name: spec.name,
    description: spec.description,
    args: spec.args as unknown as ArgsSchema,
    mutates: true,
    plan: spec.plan as ToolDefinition['plan'],
  };
}

const isPlan = (value: ToolResult | ChangePlan): value is ChangePlan => 'apply' in value;

/** Outcome `invalid` naming the offending field(s). */
export function invalidResult(problems: { field: string; message: string }[]): ToolResult {
  const first = problems[0] ?? { field: '(arguments)', message: 'invalid' };
  return {
    outcome: 'invalid',
    message: `参数 ${first.field} 不正确：${first.message}`,
    data: { errors: problems },
    facts: problems.map((p) => fact('参数错误', `${p.field}: ${p.message}`)),
  };
}

/** Outcome `refused`: the policy forbids it; `message` says why. */
export function refused(message: string, facts: Fact[], data?: Record<string, unknown>): ToolResult {
  return { outcome: 'refused', message, facts, ...(data ? { data } : {}) };
}

function issuesOf(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
    const path = issue.path.map(String).join('.');
    return { field: path || keys || '(arguments)', message: issue.message };
  });
}

function checkAborted(context: ToolContext): void {
  if (context.signal?.aborted) throw new AbortedError('the tool call was aborted');
}

/** A stored action under this key, as the result to return again (or `invalid` if it is not ours). */
function replay(
  prior: { tool: string; customerId: string; result: Record<string, unknown> },
  name: string,
  context: ToolContext,
): ToolResult {
  if (prior.tool !== name || prior.customerId !== context.customerId) {
    return invalidResult([
      { field: 'idempotencyKey', message: 'this key was already used for another action' },
    ]);
  }
  return prior.result as unknown as ToolResult;
}

async function runChange(
  book: OrderBook,
  definition: ToolDefinition,
  args: Record<string, unknown>,
  context: ToolContext,
): Promise<ToolResult> {
  const plan = definition.plan!;
  const key = context.idempotencyKey;
  if (key) {
    const prior = await book.action(key);
    if (prior) return replay(prior, definition.name, context);
  }
  const info = await book.info();
  const planned = await plan(args, { reader: book, context, info });
  if (!isPlan(planned)) return planned;
  if (!context.confirmed) {
    return {
      outcome: 'needs_confirmation',
      message: `请您确认：${planned.summary}。确认后我再为您办理。`,
      data: { tool: definition.name, args },
      facts: planned.facts,
      confirmation: { summary: planned.summary },
    };
  }
  if (!key) return invalidResult([{ field: 'idempotencyKey', message: 'a change needs an idempotency key' }]);
  checkAborted(context);
  return book.transaction(async (tx) => {
    const prior = await tx.action(key);
    if (prior) return replay(prior, definition.name, context);
    // Plan again inside the transaction: the data may have changed since the confirmation.
    const fresh = await plan(args, { reader: tx, context, info });
    if (!isPlan(fresh)) return fresh;
    const result = await fresh.apply(tx);
    await tx.recordAction({
      key,
      tool: definition.name,
      customerId: context.customerId,
      args,
      result: result as unknown as Record<string, unknown>,
      at: new Date().toISOString(),
    });
    return result;
  });
}

function toTool(book: OrderBook, definition: ToolDefinition): Tool {
  const parameters = z.toJSONSchema(definition.args, { io: 'input' }) as JsonSchema;
  delete parameters.$schema;
  return {
    name: definition.name,
    description: definition.description,
    parameters,
    mutates: definition.mutates,
    async run(raw, context) {
      checkAborted(context);
      const parsed = definition.args.safeParse(raw ?? {});
      if (!parsed.success) return invalidResult(issuesOf(parsed.error));
      if (definition.mutates) return runChange(book, definition, parsed.data, context);
      const info = await book.info();
      return definition.read!(parsed.data, { reader: book, context, info });
    },
  };
}

/** A registry over `definitions` (later definitions replace earlier ones of the same name). */
export function registryOf(book: OrderBook, definitions: readonly ToolDefinition[]): ToolRegistry {
  const byName = new Map<string, Tool>();
  for (const definition of definitions) byName.set(definition.name, toTool(book, definition));
  const tools = [...byName.values()];
  return {
    list: () => tools.slice(),
    get: (name) => byName.get(name),
    async call(name, args, context) {
      const tool = byName.get(name);
      if (!tool) return invalidResult([{ field: 'name', message: `no tool named "${name}"` }]);
      if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
        return invalidResult([{ field: '(arguments)', message: 'expected a JSON object' }]);
      }
      return tool.run((args ?? {}) as Record<string, unknown>, context);
    },
  };
}
