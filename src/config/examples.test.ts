import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/load.js';
import { kefuConfigSchema } from './kefu-config.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

describe('examples/ recipes', () => {
  const recipes = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

  it('are there', () => {
    expect(recipes.length).toBeGreaterThanOrEqual(3);
  });

  it.each(recipes)('%s loads against the kefu config schema', (name) => {
    expect(() => loadConfig(kefuConfigSchema, { file: join(EXAMPLES, name) })).not.toThrow();
  });

  it('layers a recipe over a workspace file, the recipe winning', () => {
    const config = loadConfig(kefuConfigSchema, {
      file: join(EXAMPLES, 'kefu.yaml'),
      moreFiles: [join(EXAMPLES, 'quick-sample.yaml'), join(EXAMPLES, 'clean-strict.yaml')],
    });
    expect(config.sample).toEqual({ scale: 0.1, seed: 7 });
    expect(config.data.clean.nearDuplicates.threshold).toBe(0.85);
    expect(config.data.split.seed).toBe(42);
  });
});
