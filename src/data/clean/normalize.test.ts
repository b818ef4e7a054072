/** Tests for normalize.ts: comparison keys, hashes, n-gram similarity, example texts. */

import { describe, expect, it } from 'vitest';
import type { Example } from '../example.js';
import { dialogueText, exactText, fnv1a32, hashKey, ngramJaccard, normalizeKey } from './normalize.js';

describe('normalizeKey', () => {
  it('unifies punctuation width', () => {
    expect(normalizeKey('你好，请问（订单）发货了吗？！：；')).toBe(
      normalizeKey('你好,请问(订单)发货了吗?!:;'),
    );
    expect(normalizeKey('“好的”‘行’。、')).toBe(`"好的"'行'.,`);
  });
  it('applies NFKC to full-width letters and digits and lower-cases Latin', () => {
    expect(normalizeKey('ｉＰｈｏｎｅ　１５ PRO')).toBe('iphone 15 pro');
  });
  it('collapses and trims whitespace', () => {
    expect(normalizeKey('  你好 \n\t 在吗  ')).toBe('你好 在吗');
  });
  it('keeps different texts different', () => {
    expect(normalizeKey('发货了吗')).not.toBe(normalizeKey('到货了吗'));
  });
});

describe('hashKey', () => {
  it('is deterministic, 16 hex digits, and separates near strings', () => {
    expect(hashKey('你好')).toBe(hashKey('你好'));
    expect(hashKey('你好')).toMatch(/^[0-9a-f]{16}$/);
    expect(hashKey('你好')).not.toBe(hashKey('你好.'));
    expect(hashKey('')).not.toBe(hashKey(' '));
  });
  it('has no collisions on 50k similar keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(hashKey(`订单DD${i}发货了吗`));
    expect(seen.size).toBe(50_000);
  });
  it('fnv1a32 matches the reference value', () => {
    expect(fnv1a32('a')).toBe(0xe40c292c);
  });
});

describe('ngramJaccard', () => {
  it('measures character n-gram overlap', () => {
    expect(ngramJaccard('abcd', 'abcd', 2)).toBe(1);
    expect(ngramJaccard('abcd', 'wxyz', 2)).toBe(0);
    expect(ngramJaccard('ab', 'ab', 3)).toBe(1);
  });
});

describe('example texts', () => {
  const ex: Example = {
    kind: 'preference',
    system: '你是客服',
    messages: [{ role: 'user', content: '发货了吗' }],
    chosen: '已发货',
    rejected: '不知道',
  };
  it('dialogueText includes chosen and rejected but not the system prompt', () => {
    const t = dialogueText(ex);
    expect(t).toContain('已发货');
    expect(t).toContain('不知道');
    expect(t).not.toContain('你是客服');
  });
  it('exactText includes the system prompt', () => {
    expect(exactText(ex)).toContain('你是客服');
    expect(exactText({ ...ex, system: '别的' })).not.toBe(exactText(ex));
  });
});
