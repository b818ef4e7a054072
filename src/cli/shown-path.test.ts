import { describe, expect, it } from 'vitest';
import { shownPath } from './shown-path.js';

describe('shownPath', () => {
  it('is relative inside the current folder and "." for the folder itself', () => {
    expect(shownPath('/work/shop', '/work/shop/kefu-quickstart/logs/server.jsonl')).toBe(
      'kefu-quickstart/logs/server.jsonl',
    );
    expect(shownPath('/work/shop', '/work/shop')).toBe('.');
  });

  it('is absolute once a relative form would climb out', () => {
    expect(shownPath('/work/shop', '/tmp/fullws')).toBe('/tmp/fullws');
    expect(shownPath('/work/shop', '/work/other')).toBe('/work/other');
  });

  it('keeps a name that only starts with two dots relative', () => {
    expect(shownPath('/work', '/work/..data')).toBe('..data');
  });
});
