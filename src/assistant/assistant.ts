/**
 * `createAssistant`: the `Assistant` over an order book, a tool registry, an optional retriever, a
 * chat model and a session store. A turn: store the customer message → (with an agent: stop
 * there, quietly) → understand → the dialogue manager decides and calls tools → the model phrases
 * the facts, grounding checks the reply, else a template answer → store the reply and the state.
 * Events stream in the contract's order: tool-call / tool-result / source, text-delta, handoff,
 * finish. Does not authenticate (the caller passes the authenticated customer id).
 */
import { InputError, NotFoundError } from '../core/errors.js';
import type { OrderBookReader } from '../shop/order-book.js';
import type { AssistantConfig } from './config.js';
import type {
  Assistant,
  AssistantEvent,
  AssistantReply,
  ChatModel,
  Handoff,
  Retriever,
  SessionInfo,
  SessionStore,
  StoredMessage,
  ToolRegistry,
} from './contracts.js';
import { DialogueManager, type TurnDecision } from './dialogue/manager.js';
import { PolicyRetriever } from './dialogue/policy-retriever.js';
import { asEngineState, type EngineState } from './dialogue/state.js';
import { groundedAnswer } from './generation/answer.js';
import { assemblePrompt, type Fact, TRAINED_SHOP_NAME } from './generation/prompt.js';
import { Templates } from './generation/templates.js';
import { Evidence } from './grounding/grounding.js';
import { isRecordingStore } from './sessions/session-records.js';
import { ProductMatcher, understand } from './understanding/understand.js';

export interface AssistantDeps {
  book: OrderBookReader;
  tools: ToolRegistry;
  retriever?: Retriever;
  model: ChatModel;
  sessions: SessionStore;
  config: AssistantConfig;
}

/** Earlier (customer, assistant) pairs of a transcript, oldest first, the current message excluded. */
function historyPairs(messages: readonly StoredMessage[], keep: number): [string, string][] {
  const pairs: [string, string][] = [];
  let user: string | undefined;
  for (const m of messages) {
    if (m.role === 'customer') user = m.text;
    else if ((m.role === 'assistant' || m.role === 'agent') && user !== undefined && m.text) {
      pairs.push([user, m.text]);
      user = undefined;
    }
  }
  return keep > 0 ? pairs.slice(-keep) : [];
}

function handoffSummary(reason: Handoff['reason'], decision: TurnDecision, message: string): string {
  const tried = decision.calls.map((c) => `${c.name}→${c.result.outcome}`).join(', ');
  return `[${reason}] 顾客: ${message.slice(0, 80)} | 任务: ${decision.task}/${decision.intent}${decision.state.orderId ? ` | 订单: ${decision.state.orderId}` : ''}${tried ? ` | 已调用: ${tried}` : ''}`.slice(
    0,
    300,
  );
}

/**
 * Whether a grounded model reply reads as an answer to `question`: at least a short sentence of
 * Chinese (or English) words, not a fragment such as "2" or "02；电子普通发票在" that opens
 * mid-sentence, and on the question's topic (it repeats two of its words).
 * A reply that does not falls back to the template built from the same facts.
 */
export function readable(text: string, question: string): boolean {
  const t = text.trim();
  const words = (t.match(/[\u4e00-\u9fff]/g)?.length ?? 0) + (t.match(/[A-Za-z]{2,}/g)?.length ?? 0) * 2;
  if (words < 8 || /^[\d:：；;，,。.、）)\]-]/.test(t)) return false;
  // On topic: it repeats at least one word of the question (a Chinese bigram or an id / number).
  const terms = (s: string) => {
    const out = new Set<string>(s.match(/[A-Za-z0-9#-]{3,}/g) ?? []);
    for (const run of s.match(/[\u4e00-\u9fff]+/g) ?? [])
      for (let i = 0; i + 1 < run.length; i += 1) out.add(run.slice(i, i + 2));
    return out;
  };
  const asked = terms(question);
  const shared = [...terms(t)].filter((term) => asked.has(term)).length;
  return shared >= Math.min(2, asked.size);
}

export function createAssistant(deps: AssistantDeps): Assistant {
  const { sessions, config, model } = deps;
  const products = new ProductMatcher(deps.book);
  const policies = new PolicyRetriever(deps.book);
  // The configured name, else the imported shop's, else the name the sample model was trained with.
  let shopName: Promise<string> | undefined;
  const nameOfShop = () => {
    shopName ??= config.shopName
      ? Promise.resolve(config.shopName)
      : deps.book.info().then(
          (info) => info.name || TRAINED_SHOP_NAME,
          () => TRAINED_SHOP_NAME,
        );
    return shopName;
  };

  async function owned(sessionId: string, customerId: string): Promise<SessionInfo> {
    const session = await sessions.get(sessionId);
    if (!session || session.customerId !== customerId) {
      throw new NotFoundError(`no session ${sessionId} for this customer`, { hint: 'open a session first' });
    }
    return session;
  }

  async function* respond(
    sessionId: string,
    customerId: string,
    message: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<AssistantEvent> {
    const started = Date.now();
    const session = await owned(sessionId, customerId);
    const text = message.trim();
    if (!text) throw new InputError('the message is empty', { file: 'message' });
    if (session.status === 'closed') {
      throw new InputError('this session is closed', undefined, {
        code: 'E_SESSION_CLOSED',
        hint: 'open a new session',
      });
    }
    const earlier = await sessions.messages(sessionId);
    const stored = await sessions.append({ sessionId, role: 'customer', text, meta: {} });
    const usage = { promptTokens: 0, completionTokens: 0 };
    const state = asEngineState(session.state);

    if (session.status === 'handed_off' || session.status === 'with_agent') {
      const reply: AssistantReply = {
        messageId: stored.id,
        text: '',
        task: state.task ?? 'other',
        origin: 'agent',
        grounded: true,
        toolCalls: [],
        sources: [],
        usage,
        latencyMs: Date.now() - started,
      };
      yield { type: 'finish', reply };
      return;
    }

    const turn = earlier.filter((m) => m.role === 'customer').length + 1;
    const name = await nameOfShop();
    const voice = { shopName: name, personaName: config.personaName, tone: config.tone };
    const templates = new Templates(voice, turn);
    const events: AssistantEvent[] = [];
    const manager = new DialogueManager({ ...deps, policies, templates, emit: (e) => events.push(e) });
    const understood = await understand(products, text);
    const ctx = { sessionId, customerId, turn, ...(options.signal ? { signal: options.signal } : {}) };
    const decision = await manager.decide(understood, state, ctx);
    yield* events;

    let replyText: string;
    let origin: AssistantReply['origin'] = 'template';
    let grounded = true;
    let handoff: Handoff | undefined;
    let newState: EngineState = { ...decision.state, task: decision.task };
    const say = decision.say;
    let sources = decision.passages;
    if (say.kind === 'template') replyText = say.text;
    else if (say.kind === 'handoff') {
      handoff = { reason: say.reason, summary: handoffSummary(say.reason, decision, text) };
      replyText = templates.handoff(say.reason);
    } else {
      const facts: Fact[] = decision.calls.flatMap((c) => c.result.facts);
      const prompt = assemblePrompt(
        {
          shopName: name,
          ...(config.systemPrompt ? { systemPrompt: config.systemPrompt } : {}),
          history: historyPairs(earlier, config.historyTurns),
          message: text,
          facts,
          passages: decision.passages,
        },
        model,
        config.maxTokens,
      );
      sources = prompt.passages;
      const evidence = new Evidence([
        ...facts.map((f) => `${f.key}: ${f.value}`),
        ...decision.calls.map((c) => c.result.message),
        ...sources.map((p) => p.text),
        ...earlier.filter((m) => m.role === 'customer').map((m) => m.text),
        text,
      ]);
      const answer = await groundedAnswer(model, prompt.messages, evidence, facts, {
        maxTokens: config.maxTokens,
        temperature: config.temperature,
        grounding: config.grounding,
        regenerate: config.regenerateOnUngrounded,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      usage.promptTokens += answer.usage.promptTokens;
      usage.completionTokens += answer.usage.completionTokens;
      if (answer.grounded && readable(answer.text, text)) {
        replyText = answer.text;
        origin = 'model';
      } else {
        const toolResult = decision.calls.find(
          (c) => c.result.outcome === 'ok' || c.result.outcome === 'refused',
        );
        grounded = false;
        if (toolResult) replyText = templates.fromTool(toolResult.result, decision.intent);
        else if (sources.length) replyText = templates.fromPassages(sources, text);
        else {
          handoff = { reason: 'low_confidence', summary: handoffSummary('low_confidence', decision, text) };
          replyText = templates.handoff('low_confidence');
        }
        // A template built from the facts is grounded by construction.
        grounded = Boolean(toolResult || sources.length);
      }
    }

    for (const piece of replyText.match(/[^，。！？～]+[，。！？～]*/g) ?? [replyText]) {
      yield { type: 'text-delta', text: piece };
    }
    if (handoff) {
      newState = { ...newState, handedOff: handoff };
      yield { type: 'handoff', handoff };
    }
    const meta: Omit<AssistantReply, 'text' | 'messageId'> = {
      task: decision.task,
      origin,
      grounded,
      toolCalls: decision.calls.map((c) => ({ name: c.name, args: c.args, outcome: c.result.outcome })),
      sources: sources.map((p) => ({ id: p.id, source: p.source, title: p.title })),
      ...(handoff ? { handoff } : {}),
      usage,
      latencyMs: Date.now() - started,
    };
    // The reply and the new state in one commit when the store can (the SQLite store can).
    const answer = {
      role: 'assistant' as const,
      text: replyText,
      meta: { ...meta, intent: decision.intent },
    };
    const patch = { state: newState, ...(handoff ? { status: 'handed_off' as const } : {}) };
    let saved: StoredMessage;
    if (isRecordingStore(sessions)) {
      saved = (await sessions.finishTurn(sessionId, { messages: [answer], ...patch })).messages[0]!;
    } else {
      await sessions.update(sessionId, patch);
      saved = await sessions.append({ sessionId, ...answer });
    }
    yield { type: 'finish', reply: { ...meta, messageId: saved.id, text: replyText } };
  }

  return {
    openSession: (customerId, options) => sessions.create(customerId, options),
    session: owned,
    respond,
    async history(sessionId, customerId) {
      await owned(sessionId, customerId);
      return sessions.messages(sessionId);
    },
    async close(sessionId, customerId) {
      await owned(sessionId, customerId);
      await sessions.update(sessionId, { status: 'closed' });
    },
  };
}
