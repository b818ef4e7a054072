import { describe, expect, it } from 'vitest';
import { asksWhether, capabilitiesFor } from './intent-plan.js';

describe('intent plan', () => {
  it.each([
    ['能退货吗', true],
    ['这个可以换吗？', true],
    ['我想退货', false],
    ['帮我申请退货', false],
    ['我想申请退货', false],
    ['还能申请退货吗', true],
    ['能不能申请换货？', true],
    ['我要换个颜色', false],
  ])('%s asks whether: %s', (text, whether) => {
    expect(asksWhether(text)).toBe(whether);
  });

  it('checks eligibility for a question and asks for the change for a request', () => {
    expect(capabilitiesFor('return', true, false, true)[0]).toBe('return_eligibility');
    expect(capabilitiesFor('return', true, false, false)[0]).toBe('return_items');
    expect(capabilitiesFor('return', false, false, false)).toEqual([]);
    expect(capabilitiesFor('shipping_track', false, false)).toEqual(['track_shipment']);
  });
});
