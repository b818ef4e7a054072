/**
 * The SFT dataset: dialogues over the four tasks turned into alpaca records (`instruction` =
 * last user message, `input` = its looked-up facts, `output` = the agent reply, `history` = the
 * earlier [user, assistant] pairs). Clean records only; noise is added by noise.ts.
 */
import type { SftRecord } from '../../types.js';
import type { Rng } from '../random.js';
import { type Cast, dialogue, SFT_TASKS } from './chains.js';
import { renderFacts, type Turn } from './core.js';
import { SYSTEM_PROMPT } from './phrases.js';

/** Share of dialogues planned as multi-turn (the dataset needs at least 30%). */
export const MULTI_TURN_SHARE = 0.4;

export function turnsToRecord(turns: Turn[]): SftRecord {
  const last = turns[turns.length - 1]!;
  const record: SftRecord = {
    instruction: last.user,
    input: renderFacts(last.facts),
    output: last.reply,
    system: SYSTEM_PROMPT,
    task: last.task,
  };
  if (turns.length > 1) record.history = turns.slice(0, -1).map((t) => [t.user, t.reply]);
  return record;
}

/** `count` clean SFT records, tasks in equal shares, about 40% multi-turn. */
export function generateSft(cast: Cast, rng: Rng, count: number): SftRecord[] {
  const out: SftRecord[] = [];
  for (let i = 0; i < count; i++) {
    const task = SFT_TASKS[i % SFT_TASKS.length]!;
    out.push(turnsToRecord(dialogue(cast, rng, task, rng.chance(MULTI_TURN_SHARE))));
  }
  return rng.shuffle(out);
}
