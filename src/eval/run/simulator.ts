/**
 * The simulated customer (scripted, not an LLM): opens with its goal, then reacts to each reply —
 * gives the order number when asked (or when shown a list of orders), says yes when asked to
 * confirm, gives a reason or a size when asked, insists once when nothing moves (asks again for
 * the person, or to go ahead with the change), and stops when its goal looks done, when it was
 * handed to a person, or after `maxTurns`. Afterwards the order book is checked, τ-bench style:
 * the changes the goal needs happened and nothing else changed for that customer.
 *
 * Outcome per conversation:
 *   goalMet   — informational goals: every answer fact appeared in some reply; changing goals: the
 *               order-book check passes (without order-book access: a matching tool call returned
 *               ok); "person": the conversation was handed off.
 *   replaced  — goalMet and no handoff (a "person" goal therefore never counts as replaced).
 *   satisfied — goalMet, the simulator never had to give the same information twice, no target
 *               error, and it ended within the turn budget (a handoff asked for counts as met).
 */
import { mentionsValue } from '../../assistant/dialogue/variant-match.js';
import { Rng } from '../../shop/sample/random.js';
import { captureState, checkChanges, describeStateCheck, diffStates } from '../grade/db-state.js';
import { asksConfirmation, asksForOrderNumber, containsFact, orderIdsIn } from '../grade/text.js';
import { usedTool } from '../grade/tools.js';
import type { ConversationRecord, TurnRecord } from '../results.js';
import { simulatorLine } from '../sets/replacement.js';
import type { EvalConversation, ReplacementScenario, TargetReply, ToolKind } from '../types.js';
import { type ItemContext, turnRecord } from './items.js';

const ASKS_TO_CONFIRM = /(请(您)?确认|回复.{0,3}[“"「]?确认|是否确认|确认(要|办理|取消|提交))/;
const ASKS_REASON = /(原因|理由|为什么|什么问题)/;
const ASKS_SIZE = /(尺码|码数|尺寸|换成|哪个码|什么码)/;
const DONE_CHANGE = /(已(为您|帮您)?(取消|提交|申请|创建|登记|受理)|申请成功|取消成功|已成功)/;

const CHANGE_TOOL: Partial<Record<ReplacementScenario['goal'], ToolKind>> = {
  cancel: 'order_cancel',
  return: 'return_create',
  exchange: 'exchange_create',
};

type Need = 'giveOrder' | 'confirm' | 'reason' | 'size' | 'insist';

function nextNeed(reply: TargetReply, scenario: ReplacementScenario): Need | undefined {
  const text = reply.text;
  const listed = orderIdsIn(text);
  if (
    scenario.knows.orderId &&
    (asksForOrderNumber(text, []) || (listed.length > 1 && !text.includes(scenario.knows.orderId)))
  )
    return 'giveOrder';
  // An explicit "please confirm" outranks anything else the message mentions (a reason, a size).
  if (ASKS_TO_CONFIRM.test(text)) return 'confirm';
  if (scenario.goal === 'exchange' && ASKS_SIZE.test(text) && !mentionsValue(text, `${scenario.knows.size}`))
    return 'size';
  if (ASKS_REASON.test(text) && /[?？]|请|麻烦/.test(text)) return 'reason';
  if (asksConfirmation(text)) return 'confirm';
  return undefined;
}

export async function runConversation(
  scenario: ReplacementScenario,
  ctx: ItemContext,
): Promise<ConversationRecord> {
  const rng = new Rng(ctx.repeat * 7919 + Number(scenario.id.replace(/\D/g, '') || 0));
  const turns: TurnRecord[] = [];
  const problems: string[] = [];
  const replies: TargetReply[] = [];
  const given = new Map<Need, number>();
  let repeatedInfo = false;
  let error = false;
  const before = ctx.orderBook ? await captureState(ctx.orderBook, scenario.watchOrders) : undefined;
  let conversation: EvalConversation | undefined;
  const informational = () => scenario.answerFacts.every((f) => replies.some((r) => containsFact(r.text, f)));
  try {
    conversation = await ctx.target.open(scenario.customerId);
    let say: string | undefined = scenario.opening;
    if (scenario.knows.orderId && scenario.opening.includes(scenario.knows.orderId))
      given.set('giveOrder', 1);
    while (say !== undefined && turns.length < scenario.maxTurns) {
      const reply = await conversation.send(say, ctx.signal);
      replies.push(reply);
      turns.push(turnRecord(say, reply, true, []));
      if (reply.handoff) break;
      if (scenario.goal === 'track' || scenario.goal === 'policy') {
        if (informational()) break;
      } else if (
        scenario.goal !== 'person' &&
        (DONE_CHANGE.test(reply.text) ||
          replies.some((r) => usedTool(r, CHANGE_TOOL[scenario.goal] as ToolKind, 'ok')))
      )
        break;
      // A customer whose goal is not done says so once before giving up.
      const need =
        nextNeed(reply, scenario) ??
        (scenario.goal === 'person' || CHANGE_TOOL[scenario.goal] ? 'insist' : undefined);
      if (!need || (need === 'insist' && given.has('insist'))) {
        say = undefined;
        break;
      }
      const count = given.get(need) ?? 0;
      if (count >= 1 && need !== 'confirm' && need !== 'insist') repeatedInfo = true;
      if (count >= 2) break;
      given.set(need, count + 1);
      say = simulatorLine(rng, need, need === 'insist' && scenario.goal === 'person' ? {} : scenario.knows);
    }
  } catch (e) {
    error = true;
    problems.push(`error: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await conversation?.close().catch(() => undefined);
  }
  const handedOff = replies.some((r) => r.handoff);
  let goalMet: boolean;
  let stateChecked = false;
  if (before && ctx.orderBook) {
    const after = await captureState(ctx.orderBook, scenario.watchOrders);
    const check = checkChanges(diffStates(before, after), scenario.changes);
    stateChecked = true;
    problems.push(...describeStateCheck(check));
    goalMet = check.pass;
  } else {
    const tool = CHANGE_TOOL[scenario.goal];
    goalMet = tool ? replies.some((r) => usedTool(r, tool, 'ok')) : true;
  }
  if (scenario.answerFacts.length && !informational()) {
    goalMet = false;
    problems.push('the answer never came');
  }
  if (scenario.goal === 'person') goalMet = goalMet && handedOff;
  else if (handedOff) problems.push(`handed off (${replies.find((r) => r.handoff)?.handoff?.reason})`);
  if (repeatedInfo) problems.push('had to repeat information');
  const replaced = goalMet && !handedOff && !error;
  const promptHandoff = scenario.goal !== 'person' || replies.findIndex((r) => r.handoff) <= 1;
  const satisfied = goalMet && !repeatedInfo && !error && promptHandoff;
  return {
    id: scenario.id,
    goal: scenario.goal,
    repeat: ctx.repeat,
    goalMet: goalMet && !error,
    handedOff,
    replaced,
    satisfied,
    stateChecked,
    problems,
    turns,
  };
}
