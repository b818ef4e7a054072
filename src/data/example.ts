/**
 * The one in-memory shape every dataset record becomes after loading, whatever its file format
 * (alpaca, sharegpt, OpenAI messages, the preference variants). Cleaning, statistics, splitting and
 * export work on `Example`; loaders and writers convert at the edges and keep `source` so output
 * can be written back in the format it came in and every problem can name its file and line.
 * Types only: no I/O, no logic.
 */

/** Roles in LLaMA-Factory's sense: `function_call` is the model calling a tool, `observation` its result. */
export type Role = 'user' | 'assistant' | 'function_call' | 'observation';

export interface Message {
  role: Role;
  content: string;
}

/** The seed's four customer-service tasks plus everything else. */
export type Task = 'order' | 'shipping' | 'after_sales' | 'product' | 'other';
export const TASKS: readonly Task[] = ['order', 'shipping', 'after_sales', 'product', 'other'];

/** File formats kefu reads and writes. `preference` is the seed's flat `{prompt, chosen, rejected}`. */
export type RecordFormat =
  | 'alpaca' // {instruction, input, output, system?, history?}
  | 'sharegpt' // {conversations: [{from, value}], system?, tools?}
  | 'openai' // {messages: [{role, content}]}
  | 'preference' // {prompt, chosen, rejected}
  | 'alpaca_preference' // {instruction, input?, chosen, rejected, system?, history?}
  | 'sharegpt_preference'; // {conversations, chosen: {from, value}, rejected: {from, value}}

export interface SourceRef {
  file: string;
  /** 1-based line where the record starts (JSON array element, JSONL line, CSV row). */
  line: number;
  format: RecordFormat;
}

export interface Example {
  kind: 'sft' | 'preference';
  system?: string;
  /** Tool definitions as the JSON string LLaMA-Factory stores in `tools`. */
  tools?: string;
  /**
   * The conversation in order. For `sft` it ends with the assistant reply that is trained on.
   * For `preference` it ends with the user turn that `chosen` and `rejected` answer.
   */
  messages: Message[];
  /**
   * Alpaca's `input`: context attached to the last user turn (the seed puts order numbers and
   * looked-up facts here). Kept apart so alpaca round-trips; other formats join it to that turn
   * with a newline, as LLaMA-Factory does.
   */
  input?: string;
  chosen?: string;
  rejected?: string;
  /** Task label when known (from the file or from `classifyTask`). */
  task?: Task;
  /** Stable id: from the record when it has one, else assigned by the loader. */
  id?: string;
  source?: SourceRef;
}

/** One problem found in an input record: `file:line: field: message`. Never carries field values. */
export interface RecordIssue {
  file: string;
  line: number;
  field: string;
  message: string;
}
