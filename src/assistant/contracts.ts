/**
 * The contracts between the assistant's parts, so the business tools, the knowledge base, the
 * chat models, the dialogue engine, the server and the evaluation can be built and tested apart.
 * Types only. Stream events are named noun-then-verb (`text-delta`, `tool-call`), as in vercel/ai.
 *
 * Identity rule: the customer a tool acts for is `ToolContext.customerId`, which comes from the
 * authenticated request — never from tool arguments, the model or the message text.
 */
import type { Task } from '../data/example.js';

// ───────────────────────────── tools ─────────────────────────────

/** A JSON Schema object (draft 2020-12 subset) describing a tool's arguments. */
export type JsonSchema = Record<string, unknown>;

export interface ToolContext {
  /** The authenticated customer; every read and change is scoped to them. */
  customerId: string;
  /**
   * The customer confirmed this exact action in the previous turn. Tools that change data refuse
   * (result `needs_confirmation`) when false.
   */
  confirmed: boolean;
  /** Idempotency key of this call (the dialogue engine derives it from session + turn). */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export type ToolOutcome =
  | 'ok'
  | 'not_found' // no such record for this customer (another customer's order is "not found" too)
  | 'needs_confirmation' // a change that needs the customer's explicit yes first
  | 'refused' // policy forbids it (window passed, wrong status …); `message` says why
  | 'invalid'; // arguments fail the schema

export interface ToolResult {
  outcome: ToolOutcome;
  /** Human-readable (Chinese) summary, safe to show the customer. */
  message: string;
  /** Structured data for the model and for grounding. */
  data?: Record<string, unknown>;
  /**
   * Fact lines ("订单号: DD2024…") the reply may quote: the same `key: value` layout as the
   * training data's alpaca `input`, so the model sees at serve time what it saw in training.
   */
  facts: { key: string; value: string }[];
  /** For `needs_confirmation`: what the customer is asked to confirm. */
  confirmation?: { summary: string };
}

export interface Tool {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** Changes data: needs confirmation, is idempotent by key, and is logged. */
  mutates: boolean;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}

export interface ToolRegistry {
  list(): Tool[];
  get(name: string): Tool | undefined;
  /** Validate `args` against the schema, then run; never throws for bad input (outcome `invalid`). */
  call(name: string, args: unknown, context: ToolContext): Promise<ToolResult>;
}

// ───────────────────────────── knowledge ─────────────────────────────

export interface Passage {
  /** Stable chunk id. */
  id: string;
  text: string;
  /** Source file (relative), title and heading path, e.g. ['退换货政策', '七天无理由退货']. */
  source: string;
  title: string;
  headings: string[];
  score: number;
  metadata: Record<string, string>;
}

export interface RetrieveOptions {
  limit?: number;
  /** Exact-match metadata filters, e.g. { kind: 'policy' } or { productId: 'P10023' }. */
  filter?: Record<string, string>;
  mode?: 'hybrid' | 'bm25' | 'dense';
  signal?: AbortSignal;
}

export interface Retriever {
  retrieve(query: string, options?: RetrieveOptions): Promise<Passage[]>;
}

// ───────────────────────────── chat models ─────────────────────────────

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatTurn[];
  maxTokens?: number;
  /** 0 = greedy. */
  temperature?: number;
  topP?: number;
  stop?: string[];
  signal?: AbortSignal;
  /**
   * Copy-constrained decoding: the evidence texts (fact lines, passages, the customer's words) the
   * reply's order and tracking numbers, prices, dates, status words and policy numbers must come
   * from. Kefu's own engine keeps generation inside them; other models ignore it (the grounding
   * check still checks their replies).
   */
  evidence?: { texts: string[] };
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export type ChatChunk =
  | { type: 'text-delta'; text: string }
  | { type: 'finish'; finishReason: 'stop' | 'length' | 'context'; usage: ChatUsage };

/** One interface over kefu's engine, node-llama-cpp (any GGUF) and OpenAI-compatible servers. */
export interface ChatModel {
  /** Model id as /v1/models lists it. */
  readonly id: string;
  /** Context window in tokens. */
  readonly contextLength: number;
  countTokens(text: string): number;
  stream(request: ChatRequest): AsyncIterable<ChatChunk>;
  close?(): Promise<void>;
}

// ───────────────────────────── the assistant ─────────────────────────────

export type HandoffReason =
  | 'customer_asked'
  | 'repeated_failure'
  | 'low_confidence'
  | 'anger'
  | 'out_of_scope';

export interface Handoff {
  reason: HandoffReason;
  /** One line for the agent: what the customer wants and what was tried. */
  summary: string;
}

/** What the dialogue engine remembers between turns (persisted with the session). */
export interface DialogueState {
  task?: Task;
  orderId?: string;
  productId?: string;
  trackingNumber?: string;
  /** Orders the customer has mentioned or been shown, oldest first ("上一单" resolves here). */
  orderHistory: string[];
  /** A change waiting for the customer's yes: the tool and arguments to run on confirmation. */
  pending?: { tool: string; args: Record<string, unknown>; summary: string };
  /** Consecutive turns that ended without an answer. */
  failures: number;
  handedOff?: Handoff;
}

export type AssistantEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; id: string; name: string; args: Record<string, unknown> }
  | { type: 'tool-result'; id: string; name: string; result: ToolResult }
  | { type: 'source'; passage: Passage }
  | { type: 'handoff'; handoff: Handoff }
  | { type: 'finish'; reply: AssistantReply };

export interface AssistantReply {
  messageId: string;
  text: string;
  task: Task;
  /** How the text was made: the model's words passed grounding, or a safe template answer. */
  origin: 'model' | 'template' | 'agent';
  grounded: boolean;
  toolCalls: { name: string; args: Record<string, unknown>; outcome: ToolOutcome }[];
  sources: Pick<Passage, 'id' | 'source' | 'title'>[];
  handoff?: Handoff;
  usage: ChatUsage;
  latencyMs: number;
}

export type MessageRole = 'customer' | 'assistant' | 'agent' | 'system';

export interface StoredMessage {
  id: string;
  sessionId: string;
  role: MessageRole;
  text: string;
  createdAt: string;
  /** For assistant messages: the AssistantReply minus text. */
  meta: Record<string, unknown>;
}

export type SessionStatus = 'open' | 'handed_off' | 'with_agent' | 'closed';

export interface SessionInfo {
  id: string;
  customerId: string;
  status: SessionStatus;
  /** Agent id while an agent holds the conversation. */
  agentId?: string;
  createdAt: string;
  updatedAt: string;
  state: DialogueState;
}

export interface Assistant {
  openSession(customerId: string, options?: { channel?: string }): Promise<SessionInfo>;
  /** The session if it belongs to `customerId`; NotFoundError otherwise. */
  session(sessionId: string, customerId: string): Promise<SessionInfo>;
  /**
   * Answer one customer message: streams events and ends with `finish`. The customer message and
   * the reply are stored; when the session is with an agent, the message is stored for the agent
   * and the stream finishes at once with an empty reply of origin 'agent'.
   */
  respond(
    sessionId: string,
    customerId: string,
    message: string,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<AssistantEvent>;
  history(sessionId: string, customerId: string): Promise<StoredMessage[]>;
  close(sessionId: string, customerId: string): Promise<void>;
}

/** Persistence of sessions and their messages (SQLite by default); the agent desk works on it too. */
export interface SessionStore {
  create(customerId: string, options?: { channel?: string }): Promise<SessionInfo>;
  get(sessionId: string): Promise<SessionInfo | undefined>;
  update(
    sessionId: string,
    patch: { status?: SessionStatus; agentId?: string | null; state?: DialogueState },
  ): Promise<SessionInfo>;
  append(message: Omit<StoredMessage, 'id' | 'createdAt'>): Promise<StoredMessage>;
  /** Oldest first; `afterId` returns only messages stored after that one. */
  messages(sessionId: string, options?: { afterId?: string }): Promise<StoredMessage[]>;
  /** Newest first. */
  list(filter?: { status?: SessionStatus; customerId?: string; limit?: number }): Promise<SessionInfo[]>;
}

/** Text → dense vector, for retrieval and for `/v1/embeddings`. Vectors are L2-normalised. */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}
