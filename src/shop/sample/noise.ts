/**
 * Realistic dirt for the SFT and FAQ sets, the kind a cleaner must find: exact and near
 * duplicates, mojibake ('锟斤拷', 'Ã©', U+FFFD, UTF-8 read as Latin-1), advertising (加微信,
 * URLs) and personal data (phones, ID numbers, bank cards, e-mails, addresses). Records are not
 * marked; the returned counts (records affected per kind) go to the manifest. At most one kind
 * per record, so the counts add up.
 */
import type { NoiseCounts, NoiseKind, SftRecord } from '../types.js';
import { bankCardSpelling, email, idCardNumber, phoneSpelling, postalAddress } from './pii.js';
import type { Rng } from './random.js';

/** Share of final records per kind of noise. */
export const NOISE_RATES: Record<NoiseKind, number> = {
  duplicate_exact: 0.04,
  duplicate_near: 0.03,
  mojibake: 0.02,
  ad: 0.02,
  pii_phone: 0.015,
  pii_id_card: 0.01,
  pii_bank_card: 0.01,
  pii_email: 0.01,
  pii_address: 0.01,
};

export function emptyNoiseCounts(): NoiseCounts {
  return {
    duplicate_exact: 0,
    duplicate_near: 0,
    mojibake: 0,
    ad: 0,
    pii_phone: 0,
    pii_id_card: 0,
    pii_bank_card: 0,
    pii_email: 0,
    pii_address: 0,
  };
}

function garble(text: string, rng: Rng): string {
  const chars = Array.from(text);
  const at = rng.int(0, Math.max(0, chars.length - 1));
  const len = Math.min(chars.length - at, rng.int(3, 10));
  const seg = chars.slice(at, at + len).join('');
  const bad = rng.weighted<() => string>([
    [() => '锟斤拷'.repeat(rng.int(1, 3)), 0.3],
    [() => Buffer.from(seg, 'utf8').toString('latin1'), 0.3],
    [() => seg.replace(/[^\x00-\x7f]/g, () => rng.pick(['Ã©', 'â€œ', 'Ã¤', 'ï¿½', 'Â'])), 0.2],
    [() => '\uFFFD'.repeat(len), 0.2],
  ])();
  return chars.slice(0, at).join('') + bad + chars.slice(at + len).join('');
}

function advert(rng: Rng): string {
  const wx = rng.letters(rng.int(3, 6)) + rng.digits(rng.int(3, 5));
  return rng.pick([
    `加微信 ${wx} 领优惠券`,
    `VX：${wx} 低价代购，比官方便宜一半`,
    `戳 https://t.cn/${rng.letters(7, 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789')} 领红包`,
    `关注公众号「省钱小${rng.pick(['助手', '管家', '达人'])}」抽免单`,
    `点击 http://${rng.letters(5)}.vip/${rng.digits(4)} 领取新人礼包`,
    `加QQ群${rng.int(1, 9)}${rng.digits(8)}，好评返现20元`,
  ]);
}

const PII_TEMPLATES: Record<
  'pii_phone' | 'pii_id_card' | 'pii_bank_card' | 'pii_email' | 'pii_address',
  string[]
> = {
  pii_phone: ['我手机号{v}', '电话{v}，有事打我', '联系方式：{v}'],
  pii_id_card: ['我身份证号{v}', '身份证{v}，帮我核实一下', '实名信息 {v}'],
  pii_bank_card: ['退款打到这张卡{v}', '我的银行卡号是{v}', '卡号{v}'],
  pii_email: ['发票发我邮箱{v}', '邮箱{v}', '有结果发到{v}'],
  pii_address: ['我地址是{v}', '寄到{v}', '收货地址改成{v}'],
};

function piiValue(kind: keyof typeof PII_TEMPLATES, rng: Rng): string {
  switch (kind) {
    case 'pii_phone':
      return phoneSpelling(rng);
    case 'pii_id_card':
      return idCardNumber(rng);
    case 'pii_bank_card':
      return bankCardSpelling(rng);
    case 'pii_email':
      return email(rng);
    case 'pii_address':
      return postalAddress(rng);
  }
}

function dirty(record: SftRecord, kind: NoiseKind, rng: Rng): SftRecord {
  const r: SftRecord = { ...record };
  if (kind === 'mojibake') {
    if (rng.chance(0.6)) r.output = garble(r.output, rng);
    else r.instruction = garble(r.instruction, rng);
  } else if (kind === 'ad') {
    if (rng.chance(0.5)) r.output = `${r.output}${advert(rng)}`;
    else
      r.instruction = rng.chance(0.5) ? `${advert(rng)} ${r.instruction}` : `${r.instruction} ${advert(rng)}`;
  } else if (kind in PII_TEMPLATES) {
    const k = kind as keyof typeof PII_TEMPLATES;
    const text = rng.pick(PII_TEMPLATES[k]).replace('{v}', piiValue(k, rng));
    r.instruction = rng.chance(0.5) ? `${text}，${r.instruction}` : `${r.instruction}，${text}`;
  }
  return r;
}

function nearCopy(record: SftRecord, rng: Rng): SftRecord {
  const r: SftRecord = { ...record };
  const edits: (() => void)[] = [
    () => (r.instruction = /[？?]$/.test(r.instruction) ? r.instruction.slice(0, -1) : `${r.instruction}？`),
    () => (r.instruction = `${r.instruction} `),
    () => (r.instruction = r.instruction.replace(/，/, ',')),
    () => (r.output = r.output.startsWith('您好') ? `你好${r.output.slice(2)}` : `您好，${r.output}`),
    () => (r.output = `${r.output}～`),
    () => (r.output = r.output.replace(/。/, '．')),
  ];
  rng.pick(edits)();
  if (r.instruction === record.instruction && r.output === record.output) r.output = `${r.output} `;
  return r;
}

/**
 * `clean` with noise injected so the result has exactly `total` records: duplicates are added on
 * top of the clean ones (so pass `total - duplicatesFor(total)` clean records), the other kinds
 * modify distinct clean records in place.
 */
export function injectNoise(
  clean: SftRecord[],
  total: number,
  rng: Rng,
): { records: SftRecord[]; counts: NoiseCounts } {
  const counts = emptyNoiseCounts();
  const records = clean.slice();
  const order = rng.shuffle(records.map((_, i) => i));
  let next = 0;
  for (const kind of Object.keys(NOISE_RATES) as NoiseKind[]) {
    if (kind.startsWith('duplicate')) continue;
    const n = Math.round(total * NOISE_RATES[kind]);
    for (let k = 0; k < n && next < order.length; k++) {
      const i = order[next++]!;
      records[i] = dirty(records[i]!, kind, rng);
      counts[kind]++;
    }
  }
  const dupes: SftRecord[] = [];
  const exact = Math.round(total * NOISE_RATES.duplicate_exact);
  while (records.length + dupes.length < total) {
    const source = rng.pick(records);
    if (dupes.length < exact) {
      dupes.push({ ...source });
      counts.duplicate_exact++;
    } else {
      dupes.push(nearCopy(source, rng));
      counts.duplicate_near++;
    }
  }
  for (const d of dupes) records.splice(rng.int(0, records.length), 0, d);
  return { records, counts };
}

/** How many duplicates `injectNoise` adds for `total` records. */
export function duplicatesFor(total: number): number {
  return Math.round(total * NOISE_RATES.duplicate_exact) + Math.round(total * NOISE_RATES.duplicate_near);
}
