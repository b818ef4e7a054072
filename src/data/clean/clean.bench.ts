/**
 * Benchmark of the cleaner: generates synthetic, realistic Chinese customer-service dialogues in
 * memory (100,000; 10,000 with --quick) with roughly 10% exact or near duplicates and a few
 * percent each of junk, ads and personal data, runs `Cleaner` over them and reports records/s
 * against a plain loop that only NFKC-normalises and hashes each record, in the same run.
 * Goal: 100k records in <= 60 s. Notes carry elapsed time, kept/dropped counts and peak RSS.
 * Does not: touch the disk (scratchDir is unused) or measure loading and writing files.
 */

import type { BenchContext, Benchmark, Measurement } from '../../bench/benchmark.js';
import { mulberry32 } from '../../core/random.js';
import type { Example } from '../example.js';
import { parseCleanConfig } from './config.js';
import { hashKey } from './normalize.js';
import { Cleaner } from './pipeline.js';

/** mulberry32 (src/core/random.ts). */
const rng = mulberry32;

const PRODUCTS = [
  'XR-2000空气净化器',
  'KF-35GW空调',
  'iPhone 15 Pro手机壳',
  '蓝牙耳机T3',
  '电热水壶K12',
  '儿童保温杯',
  '加湿器H5',
  '扫地机器人S8',
  '羽绒服（黑色XL）',
  '纯棉四件套',
  '破壁机P30',
  '电动牙刷Z2',
];
const USER = [
  '请问订单{order}什么时候发货？我{days}天前就下单了',
  '我买的{product}还没到，快递单号{track}，能帮我查一下吗',
  '{product}收到了但是有划痕，可以换货吗？订单号{order}',
  '你好，{date}买的{product}怎么用？说明书看不太懂，订单{order}',
  '订单{order}我想改一下收货地址可以吗',
  '{product}支持七天无理由退货吗？{date}签收的，还没拆封，订单{order}',
  '我想问一下{price}元的{product}和上一代有什么区别，值得升级吗',
  '物流显示已签收，但我没收到，运单号{track}',
  '{product}现在{price}元，有没有优惠券？{date}前能到吗',
  '申请退款{days}天了还没到账，订单{order}',
];
const ASSISTANT = [
  '您好，订单{order}已于今天下午从杭州仓发出，预计{days}天内送达，请注意查收。',
  '亲，已帮您查询，快递{track}目前在转运中心，明天会派送，请保持电话畅通哦。',
  '非常抱歉给您带来不便，{product}支持换货，请在订单页面申请售后，上传划痕照片即可。',
  '您好，订单{order}的{product}使用方法：先长按电源键三秒开机，再按模式键选择档位。',
  '可以的，订单{order}还未发货，我已为您修改收货地址，请在订单详情中确认。',
  '亲，您{date}签收的商品未拆封，支持七天无理由退货，订单{order}可直接申请。',
  '这款{price}元的{product}相比上一代续航提升了{days}0%，噪音更低。',
  '您好，已为您联系快递站点核实运单{track}，{date}前会给您答复。',
  '目前{product}有满{price}减20的优惠券，在商品页领取，{date}前可以送达。',
  '您好，退款已原路退回，一般1-3个工作日到账，请留意银行通知，订单{order}。',
];
const PII = [
  '，我电话1{p3}{p4}{p4}',
  '，手机号 13{d} {p4} {p4}',
  '，收件人：张伟，地址浙江省杭州市西湖区文三路{n}号',
  '，我叫王芳，身份证11010519491231002X',
  '，退款到卡号6222021234567890128',
  '，邮箱user{n}@163.com',
  '，李先生说放门口就行',
];
const ADS = [
  '加微信abc{n}领优惠券',
  '兼职日结，刷单返佣，有意私聊',
  '详情点击 http://t.cn/A{n} 免费领取',
  '低价出二手{product}，vx：seller_{n}',
];
const JUNK = [
  (t: string) => Buffer.from(t, 'utf8').toString('latin1'),
  (t: string) => `${t}\u0000\u0007`,
  () => '',
  (t: string) => `${t.slice(0, 4)}锟斤拷锟斤拷`,
];

function fill(template: string, r: () => number, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => {
    if (slots[k] !== undefined) return slots[k]!;
    if (k === 'p3') return String(3 + Math.floor(r() * 7)) + String(Math.floor(r() * 10));
    if (k === 'p4') return String(Math.floor(r() * 10000)).padStart(4, '0');
    if (k === 'd') return String(Math.floor(r() * 10));
    return String(Math.floor(r() * 100000));
  });
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** `count` synthetic dialogues; the same seed gives the same list. */
export function syntheticDialogues(count: number, seed = 42): Example[] {
  const r = rng(seed);
  const out: Example[] = [];
  for (let i = 0; i < count; i++) {
    const roll = r();
    if (out.length > 10 && roll < 0.05) {
      out.push({ ...pick(r, out), id: `s${i}` }); // exact duplicate
      continue;
    }
    if (out.length > 10 && roll < 0.1) {
      const src = pick(r, out); // near duplicate: punctuation and a particle changed
      const messages = src.messages.map((m) => ({
        ...m,
        content: m.content.replace(/，/g, ',').replace(/。$/, '哦！'),
      }));
      out.push({ ...src, id: `s${i}`, messages });
      continue;
    }
    const slots = {
      order: `DD2024${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
      track: `SF${String(Math.floor(r() * 1e13)).padStart(13, '0')}`,
      product: pick(r, PRODUCTS),
      days: String(1 + Math.floor(r() * 9)),
      price: String(49 + Math.floor(r() * 2000)),
      date: `${1 + Math.floor(r() * 12)}月${1 + Math.floor(r() * 28)}日`,
    };
    const turns = 1 + Math.floor(r() * 3);
    const messages: Example['messages'] = [];
    for (let t = 0; t < turns; t++) {
      const k = Math.floor(r() * USER.length);
      let user = fill(USER[k]!, r, slots);
      if (r() < 0.15) user += fill(pick(r, PII), r, slots);
      messages.push({ role: 'user', content: user });
      messages.push({ role: 'assistant', content: fill(ASSISTANT[k]!, r, slots) });
    }
    const kindRoll = r();
    const last = messages[messages.length - 1]!;
    if (kindRoll < 0.03) last.content = pick(r, JUNK)(last.content);
    else if (kindRoll < 0.06) messages[0]!.content = fill(pick(r, ADS), r, slots);
    else if (kindRoll < 0.07) last.content = messages[messages.length - 2]!.content;
    const ex: Example = {
      kind: 'sft',
      system: '你是本店的客服助手，请礼貌、准确地回答顾客问题。',
      messages,
      id: `s${i}`,
    };
    if (r() < 0.1) {
      const reply = messages.pop()!;
      out.push({
        ...ex,
        kind: 'preference',
        messages,
        chosen: reply.content,
        rejected: '不知道，你自己看吧。',
      });
    } else out.push(ex);
  }
  return out;
}

function referenceText(ex: Example): string {
  let t = ex.system ?? '';
  for (const m of ex.messages) t += `\n${m.content}`;
  return `${t}\n${ex.chosen ?? ''}\n${ex.rejected ?? ''}`;
}

export const cleanBenchmark: Benchmark = {
  id: 'data.clean',
  title: 'kefu data clean: PII masking, junk/ad filters, exact + MinHash near-dup over synthetic dialogues',
  async run(context: BenchContext): Promise<Measurement[]> {
    const n = context.quick ? 10_000 : 100_000;
    context.log(`generating ${n} synthetic dialogues`);
    const data = syntheticDialogues(n);

    let sink = 0;
    const refStart = performance.now();
    for (const ex of data) sink ^= hashKey(referenceText(ex).normalize('NFKC')).charCodeAt(3);
    const refSeconds = (performance.now() - refStart) / 1000;
    void sink; // the hashes are only computed to be timed

    context.log('cleaning');
    const cleaner = new Cleaner(parseCleanConfig({}));
    const start = performance.now();
    for (const ex of data) cleaner.process(ex);
    const seconds = (performance.now() - start) / 1000;
    const s = cleaner.summary();
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    const top = Object.entries(s.reasons)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return [
      {
        name: `clean ${n} dialogues`,
        value: n / seconds,
        unit: 'records/s',
        higherIsBetter: true,
        reference: { name: 'NFKC + hash loop', value: n / Math.max(refSeconds, 1e-9) },
        goal: { value: 100_000 / 60, text: '100k in <= 60 s' },
        notes: `${seconds.toFixed(1)} s; kept ${s.kept}, dropped ${s.dropped} (${top}); peak RSS ${peakMiB.toFixed(0)} MiB`,
      },
    ];
  },
};
