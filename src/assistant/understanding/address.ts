/**
 * A new shipping address written in a customer message, by rules, in the two layouts shops use:
 * a Chinese one ("广东省深圳市南山区科技园路1号" → province, city, district, detail; a
 * municipality "北京市朝阳区…" is its own city) and a US one, comma-separated as τ-bench writes it
 * ("445 Maple Drive, Suite 394, Fort Worth, TX 76165[, USA]" → address1, address2, city, state,
 * zip, country). The fields carry the argument names of the address-changing tools (kefu's
 * province/city/district/detail, τ-bench's address1…zip), so the dialogue passes them through
 * unchanged. Pure; does not check that the address exists (the tool and the customer confirm).
 */

export interface ChineseAddress {
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface UsAddress {
  address1: string;
  address2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export type NewAddress = ChineseAddress | UsAddress;

const MUNICIPALITIES = /^(?:北京|上海|天津|重庆)市?/;

/** China's provinces, autonomous regions and municipalities, by the names addresses start with. */
const PROVINCES =
  '河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门';

const CHINESE = new RegExp(
  `(?<province>(?:${PROVINCES})(?:省|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?|(?:北京|上海|天津|重庆)市?)` +
    '(?<city>[\\u4e00-\\u9fff]{2,8}?(?:市|自治州|地区|盟))?(?<district>[\\u4e00-\\u9fff]{1,8}?(?:区|县|旗|市))' +
    '(?<detail>[^，,。；;！!？?\\s]{2,60})',
);

/** "123 Main St, [Apt 1,] City, ST 12345[, USA]" — the street line starts with a number. */
const US =
  /(?<address1>\d+[A-Za-z0-9 .'#-]*?[A-Za-z][A-Za-z0-9 .'#-]*?)\s*,\s*(?:(?<address2>[A-Za-z0-9 .'#-]+?)\s*,\s*)?(?<city>[A-Za-z][A-Za-z .'-]*?)\s*,\s*(?<state>[A-Z]{2})\s*,?\s*(?<zip>\d{5})(?:-\d{4})?(?:\s*,\s*(?<country>[A-Za-z][A-Za-z .]*[A-Za-z]))?/;

export function parseAddress(message: string): NewAddress | undefined {
  const text = message.normalize('NFKC');
  const us = US.exec(text)?.groups;
  if (us?.address1 && us.city && us.state && us.zip) {
    return {
      address1: us.address1.trim(),
      address2: us.address2?.trim() ?? '',
      city: us.city.trim(),
      state: us.state,
      zip: us.zip,
      country: us.country?.trim() || 'USA',
    };
  }
  const cn = CHINESE.exec(text)?.groups;
  if (cn?.province && cn.district && cn.detail) {
    const province =
      cn.province.endsWith('市') || !MUNICIPALITIES.test(cn.province) ? cn.province : `${cn.province}市`;
    return {
      province,
      city: cn.city ?? (MUNICIPALITIES.test(province) ? province : ''),
      district: cn.district,
      detail: cn.detail,
    };
  }
  return undefined;
}

/** Words asking to change the address (not just to read it). */
export function asksAddressChange(text: string): boolean {
  return /(?:改|修改|更改|变更|更新|换)[^，。,？?]{0,14}地址|地址[^，。,？?]{0,6}(?:改|换|更新)|(?:地址)?(?:填|写)错|(?:change|update) (?:the |my )?(?:shipping )?address/i.test(
    text.normalize('NFKC'),
  );
}
