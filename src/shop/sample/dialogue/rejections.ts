/**
 * How a rejected reply goes wrong, one function per kind: a corrupted fact (a digit or a status
 * label changed), rude, off-topic, asking again for what the user already gave, an invented
 * policy, or another customer's data. Phrase tables plus small pure transforms; no I/O.
 */
import type { Task } from '../../../data/example.js';
import { ORDER_STATUS_LABEL, RETURN_STATUS_LABEL, SHIPMENT_STATUS_LABEL } from '../format.js';
import type { Rng } from '../random.js';
import type { Fact } from './core.js';

const FAMILIES = [
  Object.values(ORDER_STATUS_LABEL),
  Object.values(SHIPMENT_STATUS_LABEL),
  Object.values(RETURN_STATUS_LABEL),
];
const LABELS = [...new Set(FAMILIES.flat())];

/** Another status label of the same kind (order / shipment / return request). */
function otherLabel(label: string, rng: Rng): string {
  const family = FAMILIES.find((f) => f.includes(label)) ?? LABELS;
  return rng.pick(family.filter((l) => l !== label));
}

function mutateDigits(value: string, rng: Rng): string {
  const small = value.match(/^(\D*)(\d{1,3})(\D*)$/);
  if (small) return `${small[1]}${Number(small[2]) + rng.int(1, 5)}${small[3]}`;
  const positions: number[] = [];
  for (let i = 0; i < value.length; i++) if (/\d/.test(value[i]!)) positions.push(i);
  // leave years alone: change one of the later digits
  const tail = positions.slice(Math.floor(positions.length * 0.4));
  const at = rng.pick(tail.length > 0 ? tail : positions);
  const d = String((Number(value[at]) + rng.int(1, 8)) % 10);
  return value.slice(0, at) + d + value.slice(at + 1);
}

/**
 * `reply` with one fact value that it quotes replaced by a wrong one, or undefined when it quotes
 * none that can be changed. `context` is the prompt: the wrong value must not appear in it.
 */
export function corruptFact(reply: string, facts: Fact[], context: string, rng: Rng): string | undefined {
  const candidates: string[] = [];
  for (const f of facts) {
    if (f.value.length >= 2 && f.value.length <= 40 && reply.includes(f.value) && /\d/.test(f.value))
      candidates.push(f.value);
  }
  for (const label of LABELS)
    if (reply.includes(`「${label}」`) || reply.includes(`状态：${label}`)) candidates.push(label);
  for (const value of rng.shuffle(candidates)) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = LABELS.includes(value) ? otherLabel(value, rng) : mutateDigits(value, rng);
      if (wrong !== value && !context.includes(wrong) && !reply.includes(wrong))
        return reply.replaceAll(value, wrong);
    }
  }
  return undefined;
}

const RUDE: Record<Task, string[]> = {
  order: ['自己去订单页看，别老问。', '订单就那样，查什么查。', '不知道，你自己看吧。'],
  shipping: ['快递的事别问我，自己问快递去。', '急什么，等着就行了。', '物流自己查，单号页面上有。'],
  after_sales: ['退不了，规定就是这样。', '你自己用坏的吧？不管。', '要退自己去申请，别烦我。'],
  product: ['页面上都写了，自己看。', '不清楚，自己看详情页。', '爱买不买。'],
  other: ['不知道。', '这个问题别问我。'],
};

const OFF_TOPIC = [
  '亲，我们店铺最近上新了一批夏季连衣裙，全场满299减50，欢迎选购～',
  '今天天气不错呢，祝您心情愉快～',
  '您可以关注我们的直播间，每晚8点有抽奖哦！',
  '最近天气热，建议您多喝水注意防暑哦～',
  '我们的会员积分可以兑换好礼，要不要了解一下？',
  '推荐您看看我们家的爆款空气炸锅，销量很好哦！',
];

export function rudeReply(task: Task, rng: Rng): string {
  return rng.pick(RUDE[task]);
}

export function offTopicReply(rng: Rng): string {
  return rng.pick(OFF_TOPIC);
}

export function reAskReply(task: Task, rng: Rng): string {
  return task === 'product'
    ? rng.pick([
        '请问您咨询的是哪款商品呢？麻烦提供一下型号。',
        '您说的是哪个商品呀？发一下商品链接或型号我帮您查。',
      ])
    : rng.pick([
        '请问您的订单号是多少呢？我帮您查询一下。',
        '麻烦提供一下订单号哦，我这边才能帮您查。',
        '您好，请先告诉我您的订单号。',
      ]);
}

const INVENTED: [RegExp, string[]][] = [
  [
    /价保/,
    ['本店价保期是30天，30天内降价都能退差价，秒杀也可以哦～', '我们支持终身价保，随时降价随时补差价。'],
  ],
  [/发票/, ['开发票需要另外支付6%的税点哦。', '发票要等3个月后才能开。']],
  [/保修|维修/, ['本店所有商品终身免费保修，人为损坏也包修～', '保修期是5年，过保也免费修。']],
  [/换/, ['30天内随便换，不限次数，运费我们全包～', '换货不需要寄回原商品，直接给您发新的。']],
  [
    /退|退款/,
    [
      '我们支持30天无理由退货，拆封使用过也能退，运费我们全包～',
      '退款10分钟内就能到账哦。',
      '食品拆封了也可以无理由退货的。',
    ],
  ],
  [/发货|运费|快递|包邮/, ['全场无门槛包邮，下单后当天一定送到。', '可以指定任意快递，顺丰也不加价。']],
];

/** A reply stating a policy the shop does not have, on the topic of `chosen`. */
export function inventedPolicyReply(chosen: string, rng: Rng): string {
  for (const [re, lines] of INVENTED) if (re.test(chosen)) return `您好，${rng.pick(lines)}`;
  return `您好，${rng.pick(INVENTED[4]![1])}`;
}
