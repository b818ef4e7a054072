/** Tests for pii.ts: each kind masked (positives) and look-alikes kept (negatives), order/tracking ids kept. */

import { describe, expect, it } from 'vitest';
import { isValidIdCard, maskPii, passesLuhn, phoneDigits } from './pii.js';

const mask = (text: string, kinds?: Parameters<typeof maskPii>[1]) => maskPii(text, kinds);

describe('phone numbers', () => {
  it.each([
    ['我的手机号是13812345678', '我的手机号是[手机号]'],
    ['电话：138 1234 5678', '电话：[手机号]'],
    ['138-1234-5678', '[手机号]'],
    ['+86 139-1234-5678', '[手机号]'],
    ['+8613912345678', '[手机号]'],
    ['008615912345678谢谢', '[手机号]谢谢'],
    ['１３８１２３４５６７８', '[手机号]'],
    ['１３８　１２３４　５６７８', '[手机号]'],
    ['手机19912345678,备用17712345678', '手机[手机号],备用[手机号]'],
  ])('masks %s', (input, expected) => {
    const r = mask(input);
    expect(r.text).toBe(expected);
    expect(r.counts.phone).toBeGreaterThan(0);
  });

  it.each([
    '12812345678', // second digit 2 is not a mobile prefix
    '1381234567', // 10 digits
    '138123456789', // 12 digits
    '0571-88888888', // landline
    '400-820-8820', // hotline
    'SF13812345678', // part of a tracking number
    '13812345678X',
  ])('keeps %s', (input) => {
    expect(mask(input).text).toBe(input);
  });

  it('keeps allow-listed numbers in any spelling', () => {
    const r = maskPii('客服电话 138-0000-0000，本人 13912345678', { allowPhones: ['13800000000'] });
    expect(r.text).toBe('客服电话 138-0000-0000，本人 [手机号]');
    expect(phoneDigits('+86 138 0000 0000')).toBe('13800000000');
  });
});

describe('resident ids', () => {
  it('validates the ISO 7064 mod 11-2 checksum', () => {
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('11010519491231002x')).toBe(true);
    expect(isValidIdCard('330106199003071236')).toBe(true);
    expect(isValidIdCard('110105194912310021')).toBe(false);
    expect(isValidIdCard('330106199013071236')).toBe(false); // month 13
  });

  it('masks valid ids, including full-width ones', () => {
    expect(mask('身份证11010519491231002X，谢谢').text).toBe('身份证[身份证号]，谢谢');
    expect(mask('４４０３０４１９８５１１２０４５６７').text).toBe('[身份证号]');
    expect(mask('330106199003071236').counts).toEqual({ id_card: 1 });
  });

  it('keeps 18-digit numbers failing the checksum', () => {
    expect(mask('编号110105194912310021').text).toBe('编号110105194912310021');
  });
});

describe('bank cards', () => {
  it('validates Luhn', () => {
    expect(passesLuhn('6222021234567890128')).toBe(true);
    expect(passesLuhn('6222 0212 3456 7890 128')).toBe(true);
    expect(passesLuhn('6222021234567890127')).toBe(false);
  });

  it.each([
    ['卡号6222021234567890128', '卡号[银行卡号]'],
    ['卡号 6222 0212 3456 7890 128 退款', '卡号 [银行卡号] 退款'],
    ['4367421234567896', '[银行卡号]'],
    ['6217-0000-0000-0000-004', '[银行卡号]'],
  ])('masks %s', (input, expected) => {
    expect(mask(input).text).toBe(expected);
  });

  it.each(['6222021234567890127', '1111111111111111', '622202123456789'])('keeps %s', (input) => {
    expect(mask(input).text).toBe(input);
  });
});

describe('e-mails', () => {
  it('masks addresses', () => {
    expect(mask('发到abc.def@qq.com或12345678@163.com').text).toBe('发到[邮箱]或[邮箱]');
  });
  it('keeps @mentions', () => {
    expect(mask('@客服小美 你好').text).toBe('@客服小美 你好');
  });
});

describe('street addresses', () => {
  it.each([
    ['地址：浙江省杭州市西湖区文三路90号', '地址：[地址]'],
    ['浙江省杭州市西湖区文三路90号', '[地址]'],
    ['我住在杭州市西湖区文三路90号3栋2单元301室，谢谢', '我住在[地址]，谢谢'],
    ['寄到中山路100号', '寄到[地址]'],
    ['上海市浦东新区阳光小区3栋2单元501室', '[地址]'],
    ['阳光小区3栋2单元501室', '[地址]'],
    ['北京市朝阳区建国路88号SOHO现代城', '[地址]SOHO现代城'],
  ])('masks %s', (input, expected) => {
    expect(mask(input).text).toBe(expected);
  });

  it.each([
    '我想问一下中山路100号那家店', // street without context
    '我知道3号发货',
    '上海市的仓库今天发货',
    '西湖区有门店吗',
    '一路顺风，3号见',
    '阳光小区有人收吗',
  ])('keeps %s', (input) => {
    expect(mask(input).text).toBe(input);
  });
});

describe('names', () => {
  it.each([
    ['收件人：张伟 电话13812345678', '收件人：[姓名] 电话[手机号]'],
    ['收货人张伟，地址', '收货人[姓名]，地址'],
    ['我叫王芳，想问一下', '我叫[姓名]，想问一下'],
    ['李先生您好', '[姓名]先生您好'],
    ['谢谢李先生', '谢谢[姓名]先生'],
    ['您好，张伟先生', '您好，[姓名]先生'],
    ['您好王小明先生', '您好[姓名]先生'],
    ['欧阳女士', '[姓名]女士'],
    ['好的王女士，李小姐', '好的[姓名]女士，[姓名]小姐'],
  ])('masks %s', (input, expected) => {
    expect(mask(input).text).toBe(expected);
  });

  it.each(['好的先生', '这位女士您好', '先生您好', '我叫不出名字', '姓名栏请填写真实姓名', '老先生'])(
    'keeps %s',
    (input) => {
      expect(mask(input).text).toBe(input);
    },
  );
});

describe('identifiers that must stay', () => {
  it.each([
    '订单号DD20240315000123',
    '订单 #W1234567 已发货',
    '订单号：2024031512345672', // would pass Luhn, but it is an order id
    '单号 2024031512345672',
    '运单号75123456789012',
    '快递单号：SF1234567890123',
    'YT1234567890123 和 JD0012345678901',
    '型号XR-2000，KF-35GW，iPhone 15 Pro',
    '订单号13812345678', // looks like a phone, but follows 订单号
  ])('%s', (input) => {
    const r = mask(input);
    expect(r.text).toBe(input);
    expect(r.counts).toEqual({});
  });

  it('masks a bare 16-digit Luhn-valid number that has no order keyword', () => {
    expect(mask('2024031512345672').text).toBe('[银行卡号]');
  });

  it('keeps the order number and masks the phone in one sentence', () => {
    const r = mask('订单号DD20240315000123，收货电话13812345678，身份证11010519491231002X');
    expect(r.text).toBe('订单号DD20240315000123，收货电话[手机号]，身份证[身份证号]');
    expect(r.counts).toEqual({ phone: 1, id_card: 1 });
  });
});

describe('options', () => {
  it('masks only the kinds asked for', () => {
    const r = maskPii('13812345678 a@b.com', { kinds: ['email'] });
    expect(r.text).toBe('13812345678 [邮箱]');
    expect(r.counts).toEqual({ email: 1 });
  });
  it('leaves empty text alone', () => {
    expect(maskPii('')).toEqual({ text: '', counts: {} });
  });
});
