import { describe, expect, it } from 'vitest';
import { calculate } from './calculate.js';

describe('calculate (τ-bench, Python semantics)', () => {
  it.each([
    ['2 + 2', '4.0'],
    ['10 / 3', '3.33'],
    ['2 ** 3 ** 2', '512.0'],
    ['-2 ** 2', '-4.0'],
    ['2 ** -1', '0.5'],
    ['7 // 2', '3.0'],
    ['-7 // 2', '-4.0'],
    ['(1 + 2) * 3.5', '10.5'],
    ['.5 + 1.', '1.5'],
    ['0.1 + 0.2', '0.3'],
    ['-0.001', '-0.0'],
    ['10000000000000000 * 1', '1e+16'],
    ['1 / 0', 'Error: division by zero'],
    ['2 +', 'Error: invalid syntax (<string>, line 1)'],
    ['(1', "Error: '(' was never closed (<string>, line 1)"],
    ['1e3', 'Error: invalid characters in expression'],
    ['__import__', 'Error: invalid characters in expression'],
  ])('%s → %s', (expression, expected) => {
    expect(calculate(expression)).toBe(expected);
  });
});
