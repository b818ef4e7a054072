/**
 * Masks personal data in a text and counts what it masked, per kind. Masking never drops text.
 *
 * Does: mainland mobile numbers (+86/0086 prefix, spaces or dashes in 3-4-4 groups, full-width
 * digits) → [手机号]; 18-digit resident ids passing the ISO 7064 mod 11-2 checksum with a
 * plausible birth date → [身份证号]; 16–19 digit bank cards passing Luhn → [银行卡号]; e-mail
 * addresses → [邮箱]; street addresses by heuristic (admin divisions + road + number, or estate
 * + building/unit/room) → [地址]; names after labels (收件人：张伟, 我叫王芳) and before honorifics
 * (李先生 → [姓名]先生), using a surname list, conservatively.
 * Keeps: order and tracking numbers after 订单/单号/运单/快递单号 …, tokens that mix letters and
 * digits (DD20240315000123, SF1234567890123, #W1234567, XR-2000, KF-35GW), allow-listed phones,
 * and numbers that fail the id checksum or Luhn.
 * Does not: detect ads or junk, or touch anything but the string it is given. The address and
 * name rules are heuristics: they may leave an unusual address or name, or mask a character or
 * two around one.
 */

export const PII_KINDS = ['phone', 'id_card', 'bank_card', 'email', 'address', 'name'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const PII_TOKENS: Record<PiiKind, string> = {
  phone: '[手机号]',
  id_card: '[身份证号]',
  bank_card: '[银行卡号]',
  email: '[邮箱]',
  address: '[地址]',
  name: '[姓名]',
};

export interface PiiOptions {
  /** Kinds to mask; the others are left as they are. */
  kinds: readonly PiiKind[];
  /** The shop's own phone numbers, never masked. */
  allowPhones: readonly string[];
}

export interface MaskResult {
  text: string;
  /** Masked occurrences per kind; kinds with none are absent. */
  counts: Partial<Record<PiiKind, number>>;
}

const D = '[0-9０-９]';
const NB = '(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ_])';
const NA = '(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ_])';
const SEP = '[ \\-－\\u3000]';

/** Full-width digits and letters to ASCII; everything else unchanged. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** ISO 7064 mod 11-2 checksum and a plausible birth date for an 18-character resident id. */
export function isValidIdCard(raw: string): boolean {
  const id = toAsciiDigits(raw).toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  return idCardCheckDigit(id.slice(0, 17)) === id[17];
}

/** GB 11643 check digit (ISO 7064 MOD 11-2) of the first 17 digits of a resident ID number. */
export function idCardCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return '10X98765432'[sum % 11]!;
}

/** Luhn check over the digits of `raw` (separators ignored). */
export function passesLuhn(raw: string): boolean {
  const digits = toAsciiDigits(raw).replace(/\D/g, '');
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Digits of a mobile number without +86/0086 prefix, for comparing with the allow-list. */
export function phoneDigits(raw: string): string {
  return toAsciiDigits(raw)
    .replace(/\D/g, '')
    .replace(/^(?:0086|86)(?=1\d{10}$)/, '');
}

/** Identifiers after these words are order / tracking / ticket numbers and are never masked. */
const PROTECT_RE =
  /(订单编号|订单号码|订单号|订单|子订单|单号|运单号|运单|快递单号|快递号|物流单号|物流号|工单号|售后单号|退款单号|退货单号|交易号|流水号|发票号|order\s*(?:no\.?|id|number|#)?)([\s:：#＃是为]{0,3})([A-Za-z0-9０-９#＃-]{4,40})/gi;
const EMAIL_RE = /[A-Za-z0-9._%+-]+[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const ID_RE = new RegExp(`${NB}${D}{17}[0-9０-９XxＸｘ]${NA}`, 'g');
const BANK_RE = new RegExp(`${NB}(?:${D}{16,19}|${D}{4}(?:${SEP}${D}{4}){3}(?:${SEP}?${D}{1,3})?)${NA}`, 'g');
const PHONE_RE = new RegExp(
  `${NB}(?:(?:[+＋]|00|００)(?:86|８６)${SEP}?)?[1１][3-9３-９]${D}(?:${SEP}?${D}{4}){2}${NA}`,
  'g',
);

// --- addresses -------------------------------------------------------------------------------
const PROVINCES =
  '北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门';
/** Characters that end a place name: pronouns, particles and verbs that precede an address. */
const STOP =
  '我你您他她它们的是在住到从往至寄收件址为了吗呢吧啊呀请帮给要想把被与及或就也还个这那哪么什怎以没不很几对说问看找叫';
const N = `(?:(?![${STOP}])[\\u4e00-\\u9fa5])`;
const ADMIN = `(?:(?:${PROVINCES})(?:省|市|自治区)?|${N}{2,5}?(?:省|自治区)|${N}{1,5}?(?:市|自治州|地区|盟)|${N}{1,5}?(?:区|县|旗)|${N}{1,5}?(?:街道|镇|乡))`;
const STREET = `${N}{1,8}?(?:大道|大街|路|街|巷|胡同)`;
const NUM = `${D}{1,5}(?:号|弄)院?`;
const UNIT = `(?:[ \\-－,，]?(?:${D}{1,5}|[A-Za-z])(?:号楼|栋|幢|座|单元|层|楼|室|号|弄)|${N}{2,8}?(?:小区|花园|公寓|大厦|广场|家园|新村|苑))`;
const ESTATE = `${N}{2,8}?(?:小区|花园|公寓|大厦|家园|新村|苑)`;
const ADDRESS_STREET_RE = new RegExp(`(${ADMIN}*)(${STREET})(${NUM})(${UNIT}*)`, 'g');
const ADDRESS_ESTATE_RE = new RegExp(`(${ADMIN}*)(${ESTATE})(${UNIT}+)`, 'g');
const ESTATE_WORDS = /小区|花园|公寓|大厦|家园|新村|苑/;
const ADDRESS_LABEL = /(地址|住址|住在|寄到|送到|发到|寄往|送至)[\s:：是为]*$/;

// --- names -----------------------------------------------------------------------------------
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const COMPOUND =
  '欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|夏侯|长孙|宇文|司徒|轩辕|端木|独孤|南宫|西门';
const SURNAME = `(?:${COMPOUND}|[${SURNAMES}])`;
const NAME_END = `(?=$|[\\s,，。.!！?？;；:：、)）\\]】(（\\[0-9０-９]|电话|手机|联系|地址|身份|收|的)`;
const LABEL_NAME_RE = new RegExp(
  `(收件人|收货人|联系人|寄件人|姓名|名字|户名|持卡人|开户名|开户人|客户姓名|买家姓名|我叫|本人叫|我的名字是|我的名字叫)([\\s:：]*(?:是|为|叫)?[\\s:：]*)(${SURNAME}[\\u4e00-\\u9fa5]{1,2}?)${NAME_END}`,
  'g',
);
const SURNAME_SET = new Set(SURNAMES);
const COMPOUND_SET = new Set(COMPOUND.split('|'));
/** Characters that may stand right before a name: greetings and particles (您好李先生, 谢谢王女士). */
const NAME_LEADERS = new Set('好谢问的位是给叫请和跟找称呼向对与及');
/** Characters that are never part of a given name in front of an honorific. */
const GIVEN_STOP = new Set('的是了好谢问请位您你我他她们这那个和与给叫跟对向吗呢啊呀吧哦嗯老');
const HONORIFIC_RE = /先生|女士|小姐/g;
const isHan = (ch: string | undefined) => ch !== undefined && /[\u4e00-\u9fa5]/.test(ch);
const leads = (ch: string | undefined) => !isHan(ch) || NAME_LEADERS.has(ch!);
const isSurname = (s: string) => SURNAME_SET.has(s) || COMPOUND_SET.has(s);

/** Length of the name right before an honorific at `at` (0 when none is reliable). */
function nameBefore(text: string, at: number): number {
  const c1 = text[at - 1];
  const c2 = text[at - 2];
  const c3 = text[at - 3];
  if (c1 === undefined || !isHan(c1)) return 0;
  if (isSurname(c1) && leads(c2)) return 1; // 李先生, 谢谢王女士
  if (isHan(c2) && !GIVEN_STOP.has(c1) && leads(c3)) {
    if (isSurname(c2!) || isSurname(c2! + c1)) return 2; // 张伟先生, 欧阳先生
  }
  if (isHan(c3) && isHan(c2) && !GIVEN_STOP.has(c1) && !GIVEN_STOP.has(c2!) && leads(text[at - 4])) {
    if (isSurname(c3!) || isSurname(c3! + c2!)) return 3; // 王小明先生, 欧阳娜女士
  }
  return isSurname(c1) ? 1 : 0;
}

function maskHonorifics(text: string, c: Counter): string {
  let out = '';
  let last = 0;
  let prevEnd = 0;
  for (const m of text.matchAll(HONORIFIC_RE)) {
    const n = nameBefore(text, m.index);
    if (n > 0 && m.index - n >= prevEnd) {
      out += text.slice(last, m.index - n) + bump(c, 'name');
      last = m.index;
    }
    prevEnd = m.index + m[0].length;
  }
  return out + text.slice(last);
}

interface Counter {
  counts: Partial<Record<PiiKind, number>>;
}
function bump(c: Counter, kind: PiiKind): string {
  c.counts[kind] = (c.counts[kind] ?? 0) + 1;
  return PII_TOKENS[kind];
}

function maskAddresses(text: string, c: Counter): string {
  if (/[0-9０-９]/.test(text) && /[路街巷同道]/.test(text)) {
    const src = text;
    text = src.replace(
      ADDRESS_STREET_RE,
      (all, admin: string, _s: string, _n: string, unit: string, at: number) => {
        const labelled = ADDRESS_LABEL.test(src.slice(Math.max(0, at - 8), at));
        return admin || unit || labelled ? bump(c, 'address') : all;
      },
    );
  }
  if (!ESTATE_WORDS.test(text)) return text;
  const src = text;
  return src.replace(ADDRESS_ESTATE_RE, (all, admin: string, _e: string, unit: string, at: number) => {
    const units = unit.match(/号楼|栋|幢|座|单元|层|楼|室|号|弄/g)?.length ?? 0;
    const labelled = ADDRESS_LABEL.test(src.slice(Math.max(0, at - 8), at));
    return admin || labelled || units >= 2 ? bump(c, 'address') : all;
  });
}

/** Mask every enabled kind of personal data in `text`. */
export function maskPii(text: string, options: Partial<PiiOptions> = {}): MaskResult {
  const kinds = new Set<PiiKind>(options.kinds ?? PII_KINDS);
  const allowPhones = new Set((options.allowPhones ?? []).map(phoneDigits));
  const c: Counter = { counts: {} };
  if (text.length === 0 || kinds.size === 0) return { text, counts: c.counts };

  // Hide protected identifiers behind private-use sentinels that no pattern matches.
  const kept: string[] = [];
  let t = text.replace(PROTECT_RE, (_all, word: string, sep: string, id: string) => {
    if (kept.length >= 0xeff) return _all;
    kept.push(id);
    return `${word}${sep}\uE000${String.fromCharCode(0xe100 + kept.length - 1)}`;
  });

  if (kinds.has('email') && /[@＠]/.test(t)) t = t.replace(EMAIL_RE, () => bump(c, 'email'));
  const digits = /[0-9０-９]/.test(t);
  if (digits && kinds.has('id_card'))
    t = t.replace(ID_RE, (m) => (isValidIdCard(m) ? bump(c, 'id_card') : m));
  if (digits && kinds.has('bank_card')) {
    t = t.replace(BANK_RE, (m) => {
      const digits = toAsciiDigits(m).replace(/\D/g, '');
      if (digits.length < 16 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return m;
      return passesLuhn(digits) ? bump(c, 'bank_card') : m;
    });
  }
  if (kinds.has('phone'))
    t = t.replace(PHONE_RE, (m) => (allowPhones.has(phoneDigits(m)) ? m : bump(c, 'phone')));
  if (kinds.has('address')) t = maskAddresses(t, c);
  if (kinds.has('name')) {
    t = t.replace(LABEL_NAME_RE, (_all, label: string, sep: string) => `${label}${sep}${bump(c, 'name')}`);
    if (/先生|女士|小姐/.test(t)) t = maskHonorifics(t, c);
  }

  if (kept.length > 0)
    t = t.replace(/\uE000([\uE100-\uEFFF])/g, (m, ch: string) => kept[ch.charCodeAt(0) - 0xe100] ?? m);
  return { text: t, counts: c.counts };
}
