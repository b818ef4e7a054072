/** Tests for config.ts: defaults, partial sections, validation errors, every field described. */

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { cleanConfigSchema, parseCleanConfig } from './config.js';

describe('cleanConfigSchema', () => {
  it('fills every default from an empty object', () => {
    const c = parseCleanConfig({});
    expect(c.length).toEqual({ minUserChars: 1, minReplyChars: 2, maxChars: 4000 });
    expect(c.nearDuplicates.threshold).toBe(0.8);
    expect(c.nearDuplicates.bands * c.nearDuplicates.rowsPerBand).toBe(120);
    expect(c.ads.promotionPhrases).toContain('刷单');
    expect(c.pii.kinds).toEqual(['phone', 'id_card', 'bank_card', 'email', 'address', 'name']);
    expect(c.allow).toEqual({ domains: [], phones: [], contactIds: [] });
    expect(parseCleanConfig(undefined)).toEqual(c);
  });

  it('fills defaults inside partly given sections', () => {
    const c = parseCleanConfig({ nearDuplicates: { threshold: 0.9 }, allow: { domains: ['myshop.com'] } });
    expect(c.nearDuplicates).toMatchObject({ threshold: 0.9, bands: 20, enabled: true });
    expect(c.allow).toEqual({ domains: ['myshop.com'], phones: [], contactIds: [] });
  });

  it('does not share default arrays between parses', () => {
    const a = parseCleanConfig({});
    a.ads.promotionPhrases.push('x');
    expect(parseCleanConfig({}).ads.promotionPhrases).not.toContain('x');
  });

  it('rejects bad values and unknown keys with a ConfigError naming the field', () => {
    expect(() => parseCleanConfig({ nearDuplicates: { threshold: 2 } })).toThrow(ConfigError);
    expect(() => parseCleanConfig({ pii: { kinds: ['passport'] } })).toThrow(/pii\.kinds/);
    expect(() => parseCleanConfig({ lenght: {} })).toThrow(ConfigError);
    expect(() => parseCleanConfig({ length: { maxChar: 3 } }, 'clean.yaml')).toThrow(/clean\.yaml/);
  });

  it('describes every field', () => {
    let visited = 0;
    const walk = (schema: unknown, path: string, out: string[]) => {
      visited++;
      const s = schema as {
        description?: string;
        def: { type: string; innerType?: unknown; shape?: object };
      };
      if (!s.description) out.push(path);
      let inner = s;
      while (inner.def.type === 'default') inner = inner.def.innerType as typeof s;
      if (inner.def.type === 'object') {
        for (const [k, v] of Object.entries(inner.def.shape as object)) {
          const f = v as typeof s;
          if (f.def.type !== 'default') out.push(`${path}.${k} (no default)`);
          walk(v, `${path}.${k}`, out);
        }
      }
    };
    const missing: string[] = [];
    walk(cleanConfigSchema, 'config', missing);
    expect(missing).toEqual([]);
    expect(visited).toBeGreaterThan(20);
  });
});
