import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMITTED_BASE, parseVariantList } from './variants.js';

describe('variant lists', () => {
  it('reads name=model pairs, resolving paths from the workspace', () => {
    const { variants } = parseVariantList(
      'sft=models/sft, dpo-nr=models/dpo+no-retrieval,remote=http://h:1/v1',
      '/ws',
    );
    expect(variants).toEqual([
      { name: 'sft', model: '/ws/models/sft', retrieval: true },
      { name: 'dpo-nr', model: '/ws/models/dpo', retrieval: false },
      { name: 'remote', model: 'http://h:1/v1', retrieval: true },
    ]);
    expect(() => parseVariantList('models/sft', '/ws')).toThrow(/not name=model/);
  });

  it('expands "ablation" to the models that exist and says which were skipped', () => {
    const root = mkdtempSync(join(tmpdir(), 'kefu-variants-'));
    mkdirSync(join(root, 'models/sft'), { recursive: true });
    mkdirSync(join(root, 'models/dpo'), { recursive: true });
    writeFileSync(join(root, 'models/dpo.gguf'), '');
    const { variants, skipped } = parseVariantList('ablation', root);
    expect(variants.map((v) => v.name)).toEqual([
      'base',
      'sft',
      'sft+dpo',
      'sft+dpo, no retrieval',
      'gguf (node-llama-cpp)',
    ]);
    expect(variants[0]?.model).toBe(COMMITTED_BASE);
    expect(variants[3]?.retrieval).toBe(false);
    expect(skipped).toEqual([]);
    const bare = parseVariantList('ablation', mkdtempSync(join(tmpdir(), 'kefu-variants-')));
    expect(bare.variants.map((v) => v.name)).toEqual(['base']);
    expect(bare.skipped).toHaveLength(4);
  });
});
