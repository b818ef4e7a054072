import { describe, expect, it } from 'vitest';
import { asksAddressChange, parseAddress } from './address.js';

describe('parseAddress', () => {
  it('reads a τ-bench style US address, with or without the second line and country', () => {
    expect(
      parseAddress('把#W2378156的地址改成 445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA'),
    ).toEqual({
      address1: '445 Maple Drive',
      address2: 'Suite 394',
      city: 'Fort Worth',
      state: 'TX',
      zip: '76165',
      country: 'USA',
    });
    expect(parseAddress('新地址：12 Oak St, Austin, TX 78701')).toEqual({
      address1: '12 Oak St',
      address2: '',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
      country: 'USA',
    });
  });

  it('reads a Chinese address, a municipality being its own city', () => {
    expect(parseAddress('改成广东省深圳市南山区科技园路1号')).toEqual({
      province: '广东省',
      city: '深圳市',
      district: '南山区',
      detail: '科技园路1号',
    });
    expect(parseAddress('地址改为北京市朝阳区建国路88号3单元')).toEqual({
      province: '北京市',
      city: '北京市',
      district: '朝阳区',
      detail: '建国路88号3单元',
    });
  });

  it('finds no address in an ordinary question', () => {
    expect(parseAddress('#W2378156是寄到哪个地址的')).toBeUndefined();
    expect(parseAddress('订单DD20240618322839的收货地址')).toBeUndefined();
  });

  it('tells a change request from a question about the address', () => {
    expect(asksAddressChange('帮我把地址改成…')).toBe(true);
    expect(asksAddressChange('我要修改#W2378156的收货地址')).toBe(true);
    expect(asksAddressChange('订单#W2378156的收货地址填的哪里，我核对一下')).toBe(false);
    expect(asksAddressChange('#W2378156是寄到哪个地址的')).toBe(false);
  });
});
