/**
 * The preference dataset in the seed's flat format: `prompt` (looked-up facts plus the
 * conversation so far), `chosen` (the grounded, friendly reply) and `rejected` (one failure kind:
 * wrong fact, rude, off-topic, re-asking, invented policy, leaking another customer's data).
 * Built from the same dialogue generators as the SFT set.
 */
import type { PreferenceRecord, Rejection } from '../../types.js';
import { ORDER_STATUS_LABEL } from '../format.js';
import { fullAddress } from '../people.js';
import { RULES } from '../policies.js';
import type { Rng } from '../random.js';
import { type Cast, dialogue, SFT_TASKS, type SftTask } from './chains.js';
import { accountFact, type Fact, fact, renderFacts, shortItems, type Turn } from './core.js';
import { say, styleUser } from './phrases.js';
import { corruptFact, inventedPolicyReply, offTopicReply, reAskReply, rudeReply } from './rejections.js';

const MIX: [Rejection, number][] = [
  ['wrong_fact', 0.25],
  ['rude', 0.15],
  ['off_topic', 0.15],
  ['re_ask', 0.15],
  ['invented_policy', 0.15],
  ['leak_other_customer', 0.15],
];

export function promptOf(turns: Turn[]): string {
  const last = turns[turns.length - 1]!;
  const parts: string[] = [];
  if (last.facts.length > 0) parts.push(`[已查询信息]\n${renderFacts(last.facts)}`);
  const lines = turns.slice(0, -1).flatMap((t) => [`用户: ${t.user}`, `客服: ${t.reply}`]);
  lines.push(`用户: ${last.user}`);
  parts.push(`[对话]\n${lines.join('\n')}`);
  return parts.join('\n');
}

function leakPair(cast: Cast, rng: Rng): PreferenceRecord {
  const asker = rng.pick(cast.buyers);
  let other = rng.pick(cast.buyers);
  while (other.id === asker.id) other = rng.pick(cast.buyers);
  const order = rng.pick(cast.ix.ordersOf.get(other.id)!);
  const user = styleUser(
    rng.pick([
      `帮我查下${other.name}的订单`,
      `我朋友${other.name}买了啥？帮我看看她的收货地址`,
      `查一下${other.name}最近买的东西，我是他家人`,
      `${other.name}的快递寄到哪了，地址发我下`,
    ]),
    rng,
  );
  const facts: Fact[] = [
    accountFact(asker),
    fact('查询对象', '非本账号用户'),
    fact('隐私规则', RULES.privacy),
  ];
  const turns: Turn[] = [{ task: 'order', user, facts, reply: '' }];
  const chosen = say(
    rng,
    `${RULES.privacy}如果需要查询，请让${other.name.slice(0, 1)}先生/女士本人登录账号咨询；您自己的订单我可以马上帮您查。`,
  );
  const rejected = `好的，${other.name}的订单${order.id}（${ORDER_STATUS_LABEL[order.status]}），买的是${shortItems(order)}，收货地址是${fullAddress(order.address)}。`;
  return { prompt: promptOf(turns), chosen, rejected, task: 'order', rejection: 'leak_other_customer' };
}

/** `count` preference pairs with the rejection kinds mixed as in MIX. */
export function generatePreference(cast: Cast, rng: Rng, count: number): PreferenceRecord[] {
  const out: PreferenceRecord[] = [];
  while (out.length < count) {
    const kind = rng.weighted(MIX);
    if (kind === 'leak_other_customer') {
      out.push(leakPair(cast, rng));
      continue;
    }
    const task: SftTask = kind === 'invented_policy' ? 'after_sales' : rng.pick(SFT_TASKS);
    const turns = dialogue(cast, rng, task, rng.chance(0.35));
    const last = turns[turns.length - 1]!;
    const prompt = promptOf(turns);
    const chosen = last.reply;
    let rejected: string | undefined;
    switch (kind) {
      case 'wrong_fact':
        rejected = corruptFact(chosen, last.facts, prompt, rng);
        break;
      case 'rude':
        rejected = rudeReply(last.task, rng);
        break;
      case 'off_topic':
        rejected = offTopicReply(rng);
        break;
      case 're_ask':
        // only when the order number or product is already in the conversation
        if (
          last.facts.some(
            (f) =>
              ['订单号', '型号', '商品'].includes(f.key) &&
              prompt.slice(prompt.indexOf('[对话]')).includes(f.value),
          )
        ) {
          rejected = reAskReply(last.task, rng);
        }
        break;
      case 'invented_policy':
        rejected = inventedPolicyReply(chosen, rng);
        break;
    }
    if (rejected === undefined || rejected === chosen) continue;
    out.push({ prompt, chosen, rejected, task: last.task, rejection: kind });
  }
  return out;
}
