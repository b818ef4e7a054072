/**
 * The dialogue manager: one customer turn from understanding to decision. It runs the
 * confirmation flow (a pending change runs only on the customer's explicit yes, with
 * `confirmed: true`; no / anything else drops it), hands off (customer asked, anger, repeated
 * failure), resolves the order from the message, a reference or the state (never asking again for
 * what the state has), calls the business tools through the registry — always with the
 * authenticated customer id and an idempotency key of session + turn — and retrieves passages for
 * product and policy questions (./retrieval.ts: the knowledge base, else the shop's policy
 * documents). The question asked stays pending while it asks for the order number; a change said
 * to be possible goes ahead on "帮我提交"; an exchange asks for the wanted spec (then fills the
 * item, target and payment method the change tool needs: ./shop-answers.ts); an address change asks
 * for the new address; a product question naming an attribute gets that fact, a price question
 * naming options that variant's price; a rule question the shop's stated rule (./policy-facts.ts).
 * It returns what to say as a plan: a model answer over the facts, or an exact template.
 * Does not generate text or store anything (../assistant.ts does).
 */
import type { Task } from '../../data/example.js';
import type { OrderBookReader } from '../../shop/order-book.js';
import type { AssistantConfig } from '../config.js';
import type {
  AssistantEvent,
  HandoffReason,
  Passage,
  Retriever,
  ToolRegistry,
  ToolResult,
} from '../contracts.js';
import { asksAddressChange, type NewAddress, parseAddress } from '../understanding/address.js';
import { classifyIntent, type Intent, ORDER_INTENTS, taskOfIntent } from '../understanding/intent.js';
import { extractSlots } from '../understanding/slots.js';
import type { Understanding } from '../understanding/understand.js';
import { asksWhether, capabilitiesFor } from './intent-plan.js';
import { retrievePassages } from './retrieval.js';
import { changeSlots, statedRules, variantPriceAnswer } from './shop-answers.js';
import { type EngineState, resolveOrder, withCurrentOrder } from './state.js';
import { argumentsFor, hasRequired, toolFor } from './tool-map.js';
import { asksPrice } from './variant-match.js';

/** Intents whose answer is a product's facts (the asked attribute first). */
const PRODUCT_QUESTIONS: ReadonlySet<Intent> = new Set(['product_info', 'product_stock', 'warranty']);
/** Intents whose change a plain "帮我提交 / 好的" goes ahead with after it was discussed. */
const CHANGE_INTENTS: ReadonlySet<Intent> = new Set(['return', 'exchange', 'order_cancel']);
/** Intents about a shop rule, answered from the shop's stated policy when it states the rule. */
const RULE_INTENTS: ReadonlySet<Intent> = new Set(['after_sales_policy', 'shipping_policy', 'invoice']);

export interface TurnContext {
  sessionId: string;
  customerId: string;
  /** 1-based number of this customer turn in the session. */
  turn: number;
  signal?: AbortSignal;
}

export interface ToolCallRecord {
  id: string;
  name: string;
  args: Record<string, unknown>;
  result: ToolResult;
}

export type Say =
  | { kind: 'answer' } // the model phrases the facts / passages
  | { kind: 'template'; text: string; answered: boolean }
  | { kind: 'handoff'; reason: HandoffReason };

export interface TurnDecision {
  task: Task;
  intent: Intent;
  calls: ToolCallRecord[];
  passages: Passage[];
  say: Say;
  state: EngineState;
}

export interface ManagerDeps {
  book: OrderBookReader;
  tools: ToolRegistry;
  retriever?: Retriever;
  /** Searched when there is no `retriever`: the shop's policy documents (./policy-retriever.ts). */
  policies?: Retriever;
  config: AssistantConfig;
  emit: (event: AssistantEvent) => void;
  templates: {
    askOrder(intent: Intent): string;
    askProduct(): string;
    confirm(summary: string): string;
    declined(): string;
    notFound(result: ToolResult, named?: string): string;
    fromTool(result: ToolResult, intent?: Intent): string;
    productFact(result: ToolResult, question: string): string | undefined;
    askExchangeSpec(eligibility: ToolResult): string;
    askAddress(): string;
    policyAnswer(lines: readonly { topic: string; rule?: string }[], passage?: Passage): string;
    variantPrices(
      name: string,
      rows: readonly { options: string; price: string; inStock: boolean }[],
      total: number,
    ): string;
    greeting(): string;
    thanks(): string;
    acknowledge(): string;
    outOfScope(): string;
  };
}

export class DialogueManager {
  constructor(private readonly deps: ManagerDeps) {}

  private async call(
    ctx: TurnContext,
    name: string,
    args: Record<string, unknown>,
    confirmed: boolean,
    calls: ToolCallRecord[],
  ): Promise<ToolResult> {
    const id = `call_${ctx.turn}_${calls.length + 1}`;
    this.deps.emit({ type: 'tool-call', id, name, args });
    const result = await this.deps.tools.call(name, args, {
      customerId: ctx.customerId,
      confirmed,
      idempotencyKey: `${ctx.sessionId}:${ctx.turn}`,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    this.deps.emit({ type: 'tool-result', id, name, result });
    calls.push({ id, name, args, result });
    return result;
  }

  async decide(u: Understanding, stateIn: EngineState, ctx: TurnContext): Promise<TurnDecision> {
    const { templates, config } = this.deps;
    let state: EngineState = { ...stateIn };
    const calls: ToolCallRecord[] = [];
    const done = (intent: Intent, say: Say, passages: Passage[] = []): TurnDecision => ({
      task: taskOfIntent(intent) === 'other' ? u.task : taskOfIntent(intent),
      intent,
      calls,
      passages,
      say,
      state,
    });

    // 1. A change waiting for this customer's yes.
    const pending = state.pending;
    if (pending) {
      delete state.pending;
      if (u.slots.answer === 'yes') {
        const result = await this.call(ctx, pending.tool, pending.args, true, calls);
        state.failures = result.outcome === 'ok' ? 0 : state.failures + 1;
        return done(
          state.intent ?? 'order_status',
          result.outcome === 'ok'
            ? { kind: 'answer' }
            : { kind: 'template', text: templates.fromTool(result, state.intent), answered: false },
        );
      }
      if (u.slots.answer === 'no') {
        state.failures = 0;
        return done(state.intent ?? 'order_status', {
          kind: 'template',
          text: templates.declined(),
          answered: true,
        });
      }
    }

    // 2. Handoff the customer asked for, or anger.
    if (u.slots.handoffAsked) return done(u.intent, { kind: 'handoff', reason: 'customer_asked' });
    if (u.slots.angry && config.handoff.onAnger) return done(u.intent, { kind: 'handoff', reason: 'anger' });

    // 3. Which order: named, referred to, or the current one for a follow-up.
    let intent = u.intent;
    let orderId = u.slots.orderIds[0];
    // The order number we asked for, sent on its own: answer the question that was asked.
    // The question stays pending until it is served: "订单号是DD…" (only generic order words
    // around the number) answers it; a message with a question of its own replaces it.
    const awaiting = state.awaiting;
    // An address change in progress: we asked for the order or the new address.
    const changingAddress = state.changingAddress === true;
    delete state.changingAddress;
    if (awaiting) {
      const rest = u.text.replace(/DD\d{14}|#?W\d{7}|[A-Z]{0,2}\d{9,14}(?:CN)?/gi, '');
      const own = classifyIntent(rest).intent;
      const generic = own === 'other' || own === 'order_status' || own === 'greeting' || own === 'thanks';
      const named = Boolean(orderId || u.slots.trackingNumbers.length || u.slots.reference);
      // An exchange waiting for the wanted spec takes the next plain message ("XL") as the answer.
      const spec =
        (awaiting === 'exchange' && Boolean(state.orderId)) ||
        (awaiting === 'order_address' && changingAddress && Boolean(state.orderId && parseAddress(u.text)));
      if (generic && (named || spec)) intent = awaiting;
      if (named || spec || !generic) delete state.awaiting;
    }
    // "好的，帮我提交吧" after an eligibility answer: the change itself, on the order discussed.
    const change = state.offered;
    delete state.offered;
    if (
      change &&
      state.orderId &&
      (u.slots.goAhead || u.slots.answer === 'yes') &&
      (u.intent === 'other' || u.intent === change) &&
      !u.slots.orderIds.length
    ) {
      intent = change;
      orderId = state.orderId;
    }
    if (!orderId && u.slots.reference) {
      orderId = await resolveOrder(u.slots.reference, state, this.deps.book, ctx.customerId);
      if (intent === 'other' || intent === 'order_status') {
        const follow = classifyIntent(u.text).intent;
        intent =
          follow !== 'other'
            ? follow
            : !state.intent || state.intent === 'order_list'
              ? 'order_status'
              : state.intent;
      }
    }
    if (!orderId && ORDER_INTENTS.has(intent) && !u.slots.trackingNumbers.length) orderId = state.orderId;
    if (u.intent === 'greeting')
      return done('greeting', { kind: 'template', text: templates.greeting(), answered: true });
    if (u.slots.answer && intent === 'other' && !u.slots.reference && !u.productId)
      return done('other', { kind: 'template', text: templates.acknowledge(), answered: true });
    if (u.intent === 'thanks')
      return done('thanks', { kind: 'template', text: templates.thanks(), answered: true });

    // 4. Tools.
    const address =
      intent === 'order_address' && (changingAddress || asksAddressChange(u.text))
        ? { wanted: parseAddress(u.text) }
        : undefined;
    const facts = await this.runTools(intent, u, orderId, state, ctx, calls, address);
    state = facts.state;
    if (facts.say) return this.finish(done(intent, facts.say));
    // An exchange the customer may have: ask which spec they want (the change needs it).
    const eligibility = calls.find((c) => c.name === 'check_return_eligibility' && c.result.outcome === 'ok');
    if (
      intent === 'exchange' &&
      eligibility &&
      !calls.some((c) => c.result.outcome === 'ok' && c !== eligibility) &&
      eligibility.result.facts.some((f) => f.key === '换货' && f.value.includes('可申请'))
    ) {
      state = { ...state, intent, awaiting: 'exchange', offered: 'exchange', failures: 0 };
      return done(intent, {
        kind: 'template',
        text: templates.askExchangeSpec(eligibility.result),
        answered: true,
      });
    }
    // A price or stock question naming a variant's options gets that variant's price and stock.
    const askedProduct = u.productId ?? state.productId;
    const asksVariant = asksPrice(u.text) || intent === 'product_stock';
    if (PRODUCT_QUESTIONS.has(intent) && !orderId && askedProduct && asksVariant) {
      const text = await variantPriceAnswer(this.deps.book, templates, askedProduct, u.text);
      if (text) {
        state = { ...state, failures: 0, intent, productId: askedProduct };
        return done(intent, { kind: 'template', text, answered: true });
      }
    }
    // A product question naming an attribute (spec, warranty, 7-day returns, stock) gets that fact.
    if (PRODUCT_QUESTIONS.has(intent) && !orderId) {
      const product = calls.find(
        (c) => c.result.outcome === 'ok' && c.result.data && 'product' in (c.result.data as object),
      );
      const text = product && templates.productFact(product.result, u.text);
      if (text) {
        state.failures = 0;
        state.intent = intent;
        return done(intent, { kind: 'template', text, answered: true });
      }
    }

    // 5. Passages for product and policy questions.
    const passages = await retrievePassages(
      { ...this.deps, limit: this.deps.config.retrievalLimit },
      intent,
      u.text,
      u.productId ?? state.productId,
      ctx.signal,
    );
    for (const passage of passages) this.deps.emit({ type: 'source', passage });
    // A rule question: the shop's stated rule (numbers from the order book, in any policy language).
    if (RULE_INTENTS.has(intent) && !orderId) {
      const lines = await statedRules(this.deps.book, u.text);
      if (lines.length) {
        state.failures = 0;
        state.intent = intent;
        const text = templates.policyAnswer(lines, passages[0]);
        return done(intent, { kind: 'template', text, answered: true }, passages);
      }
    }
    const usable = calls.some((c) => c.result.outcome === 'ok' || c.result.outcome === 'refused');
    if (usable || passages.length) {
      state.failures = 0;
      state.intent = intent;
      if (
        CHANGE_INTENTS.has(intent) &&
        orderId &&
        !calls.some((c) => c.result.outcome === 'ok' && this.deps.tools.get(c.name)?.mutates)
      )
        state.offered = intent;
      return done(intent, { kind: 'answer' }, passages);
    }
    if ((intent === 'product_info' || intent === 'product_stock') && !u.productId && !state.productId) {
      state.intent = intent;
      return done(intent, { kind: 'template', text: templates.askProduct(), answered: true });
    }
    state.failures += 1;
    if (state.failures >= config.handoff.maxFailures)
      return done(intent, { kind: 'handoff', reason: 'repeated_failure' });
    if (intent === 'other' && config.handoff.onOutOfScope)
      return done(intent, { kind: 'handoff', reason: 'out_of_scope' });
    return done(intent, { kind: 'template', text: templates.outOfScope(), answered: false });
  }

  /** A template turn that failed counts towards the failure handoff. */
  private finish(decision: TurnDecision): TurnDecision {
    const say = decision.say;
    if (
      say.kind === 'template' &&
      !say.answered &&
      decision.state.failures >= this.deps.config.handoff.maxFailures
    )
      return { ...decision, say: { kind: 'handoff', reason: 'repeated_failure' } };
    return decision;
  }

  private async runTools(
    intent: Intent,
    u: Understanding,
    orderId: string | undefined,
    stateIn: EngineState,
    ctx: TurnContext,
    calls: ToolCallRecord[],
    /** Set when the customer asks to change the order's address: the new one, if the message gives it. */
    address?: { wanted: NewAddress | undefined },
  ): Promise<{ state: EngineState; say?: Say }> {
    const { templates, tools } = this.deps;
    let state = stateIn;
    const productId = u.productId ?? (intent.startsWith('product') ? state.productId : undefined);
    const tracking = u.slots.trackingNumbers[0];
    const needsOrder = ORDER_INTENTS.has(intent) && !(intent === 'shipping_track' && tracking);
    if (needsOrder && !orderId) {
      state = { ...state, intent, awaiting: intent, ...(address ? { changingAddress: true } : {}) };
      return { state, say: { kind: 'template', text: templates.askOrder(intent), answered: true } };
    }
    if (address && orderId && !address.wanted) {
      state = { ...withCurrentOrder(state, orderId), intent, awaiting: intent, changingAddress: true };
      return { state, say: { kind: 'template', text: templates.askAddress(), answered: true } };
    }
    const slots: Record<string, unknown> = {
      orderId,
      trackingNumber: tracking,
      productId,
      quantity: u.slots.quantity,
      customerId: ctx.customerId,
      query: u.text,
      reason: u.text,
      qualityIssue: /质量|坏了|破损|损坏|瑕疵|故障|不能用|用不了/.test(u.text) || undefined,
      ...(intent === 'return' || intent === 'exchange'
        ? await changeSlots(this.deps.book, intent, orderId, ctx.customerId, u.text)
        : {}),
      ...(address?.wanted ?? {}),
    };
    const capabilities = capabilitiesFor(intent, Boolean(orderId), Boolean(productId), asksWhether(u.text));
    if (address?.wanted && orderId) capabilities.unshift('change_address');
    for (const capability of capabilities) {
      const tool = toolFor(tools, capability);
      if (!tool) continue;
      const args = argumentsFor(tool, slots);
      if (!hasRequired(tool, args)) continue;
      const result = await this.call(ctx, tool.name, args, false, calls);
      if (result.outcome === 'needs_confirmation') {
        const summary = result.confirmation?.summary ?? result.message;
        state = { ...state, intent, pending: { tool: tool.name, args, summary } };
        if (orderId) state = withCurrentOrder(state, orderId);
        return { state, say: { kind: 'template', text: templates.confirm(summary), answered: true } };
      }
      if (result.outcome === 'not_found') {
        state = { ...state, failures: state.failures + 1 };
        return {
          state,
          say: { kind: 'template', text: templates.notFound(result, orderId ?? tracking), answered: false },
        };
      }
      if (result.outcome === 'invalid') continue;
      if (orderId) state = withCurrentOrder(state, orderId);
      if (productId) state = { ...state, productId };
      if (tracking) state = { ...state, trackingNumber: tracking };
      if (capability === 'list_orders') {
        // The orders in the order shown, whatever the tool's data shape: "第二个" resolves here.
        const shown = [...result.facts.map((f) => f.value), result.message].join('\n');
        const listed = extractSlots(shown).orderIds;
        if (listed.length) state = { ...state, listed };
      }
      break; // one answering tool per turn
    }
    return { state };
  }
}
