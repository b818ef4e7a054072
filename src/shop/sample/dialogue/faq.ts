/**
 * The FAQ dataset: single-turn alpaca records answering policy questions (from the policy FAQ and
 * its rule sentences) and product questions (specs, options, usage, care, troubleshooting,
 * warranty from each product's manual). `input` names the source document and the passage the
 * answer is grounded in. Clean records only; noise is added by noise.ts.
 */
import type { Product, SftRecord } from '../../types.js';
import { productTypeOf } from '../catalog.js';
import { POLICY_FAQ, policyAnswer } from '../faq-data.js';
import { optionValues, warrantyText } from '../manuals.js';
import { RULES, ruleSource } from '../policies.js';
import type { Rng } from '../random.js';
import type { ShopIndex } from '../shop.js';
import { fact, renderFacts } from './core.js';
import { SYSTEM_PROMPT, say, styleUser } from './phrases.js';

/** Share of FAQ records about policies (the rest are about products). */
const POLICY_SHARE = 0.3;

function policyRecord(rng: Rng): SftRecord {
  const item = rng.pick(POLICY_FAQ);
  const question = styleUser(rng.pick(item.questions).replace(/？$/, ''), rng);
  const input = renderFacts([
    fact('资料', ruleSource(item.rules[0]!)),
    ...item.rules.map((k) => fact('条款', RULES[k])),
  ]);
  return {
    instruction: question,
    input,
    output: say(rng, policyAnswer(item)),
    system: SYSTEM_PROMPT,
    task: item.task,
  };
}

function productRecord(p: Product, rng: Rng): SftRecord {
  const pt = productTypeOf(p);
  const name = rng.chance(0.5) ? p.model : p.name;
  const src = fact('资料', p.manual);
  const head = [fact('商品', p.name), fact('型号', p.model), src];
  const kind = rng.weighted([
    ['spec', 3],
    ['options', 1.5],
    ['usage', 1.5],
    ['care', 1],
    ['trouble', 2],
    ['warranty', 1],
  ] as const);
  let q: string;
  let facts = head;
  let body: string;
  switch (kind) {
    case 'spec': {
      const [k, v] = rng.pick(Object.entries(p.specs));
      q = rng.pick([`${name}的${k}是多少`, `${name} ${k}?`, `请问${name}${k}是什么`]);
      facts = [...head, fact(k, v)];
      body = `${p.name}的${k}为${v}。`;
      break;
    }
    case 'options': {
      const values = optionValues(p);
      const axis = rng.pick(Object.keys(values));
      const list = values[axis] ?? [];
      q = rng.pick([`${name}有哪些${axis}`, `${name}可选${axis}有哪些`, `${name}有几种${axis}`]);
      facts = [...head, fact(`可选${axis}`, list.join('、'))];
      body = `${p.name}共有${list.length}种${axis}可选：${list.join('、')}。`;
      break;
    }
    case 'usage':
    case 'care': {
      const steps = kind === 'usage' ? pt.usage : pt.care;
      q =
        kind === 'usage'
          ? rng.pick([`${name}怎么使用`, `${name}使用方法`, `${name}第一次用要注意什么`])
          : rng.pick([`${name}怎么保养`, `${name}如何清洁`, `${name}平时怎么护理`]);
      facts = [...head, fact(kind === 'usage' ? '使用' : '保养', steps.join('；'))];
      body = `根据说明书，${p.name}${kind === 'usage' ? '使用' : '保养'}要点如下：${steps.map((s, i) => `${i + 1}. ${s}`).join('；')}。`;
      break;
    }
    case 'trouble': {
      const [symptom, cause, fix] = rng.pick(pt.trouble);
      q = rng.pick([
        `${name}${symptom}怎么办`,
        `${name}${symptom}是什么原因`,
        `${name}出现${symptom}怎么处理`,
      ]);
      facts = [...head, fact('故障排除', `${symptom} | ${cause} | ${fix}`)];
      body = `${p.name}${symptom}的可能原因是${cause}，处理方法：${fix}。`;
      break;
    }
    case 'warranty':
      q = rng.pick([`${name}保修多久`, `${name}有保修吗`, `${name}保修期是多长时间`]);
      facts = [...head, fact('保修', warrantyText(p))];
      body = warrantyText(p);
      break;
  }
  return {
    instruction: styleUser(q, rng),
    input: renderFacts(facts),
    output: say(rng, body),
    system: SYSTEM_PROMPT,
    task: 'product',
  };
}

/** `count` clean FAQ records: ~30% policy (after_sales / other), ~70% product. */
export function generateFaq(ix: ShopIndex, rng: Rng, count: number): SftRecord[] {
  const out: SftRecord[] = [];
  for (let i = 0; i < count; i++) {
    out.push(rng.chance(POLICY_SHARE) ? policyRecord(rng) : productRecord(rng.pick(ix.shop.products), rng));
  }
  return out;
}
