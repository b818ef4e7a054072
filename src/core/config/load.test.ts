import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { describeSchema, toCommentedYaml } from './explain.js';
import { loadConfig } from './load.js';

const schema = z
  .object({
    storage: z
      .object({
        database: z.string().default('kefu.db').describe('database file'),
        busyTimeoutMs: z.number().int().min(0).default(5000).describe('lock wait'),
      })
      .strict()
      .prefault({}),
    training: z
      .object({ lora_rank: z.number().int().positive().default(8).describe('LoRA rank') })
      .strict()
      .prefault({}),
  })
  .strict();

function recipe(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-config-'));
  const file = join(dir, 'recipe.yaml');
  writeFileSync(file, text);
  return file;
}

function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default when given nothing', () => {
    expect(loadConfig(schema)).toEqual({
      storage: { database: 'kefu.db', busyTimeoutMs: 5000 },
      training: { lora_rank: 8 },
    });
  });

  it('layers file < env < flags', () => {
    const file = recipe('storage:\n  database: a.db\n  busyTimeoutMs: 10\ntraining:\n  lora_rank: 4\n');
    const config = loadConfig(schema, {
      file,
      env: { KEFU_STORAGE__BUSY_TIMEOUT_MS: '20', KEFU_WORKSPACE: '/ignored' },
      sets: ['training.lora_rank=16'],
    });
    expect(config).toEqual({ storage: { database: 'a.db', busyTimeoutMs: 20 }, training: { lora_rank: 16 } });
  });

  it('names file, line, column and field for a wrong type', () => {
    const file = recipe('storage:\n  database: a.db\ntraining:\n  lora_rank: eight\n');
    const error = failure(() => loadConfig(schema, { file }));
    expect(error.message).toContain(`${file}:4:3: training.lora_rank`);
    expect(error.message).toMatch(/expected number/);
    expect(error.exitCode).toBe(2);
  });

  it('suggests the closest key for a typo', () => {
    const file = recipe('training:\n  lora_rnak: 8\n');
    const error = failure(() => loadConfig(schema, { file }));
    expect(error.message).toContain('training.lora_rnak');
    expect(error.message).toContain('did you mean "lora_rank"');
  });

  it('names the environment variable or flag that broke a field', () => {
    expect(
      failure(() => loadConfig(schema, { env: { KEFU_STORAGE__BUSY_TIMEOUT_MS: '-1' } })).message,
    ).toContain('environment KEFU_STORAGE__BUSY_TIMEOUT_MS: storage.busyTimeoutMs');
    expect(failure(() => loadConfig(schema, { sets: ['training.lora_rank=0'] })).message).toContain(
      '--set training.lora_rank=0: training.lora_rank',
    );
    expect(failure(() => loadConfig(schema, { sets: ['nonsense'] })).message).toContain('field.path=value');
  });

  it('reports YAML syntax errors with their line', () => {
    const file = recipe('storage:\n  database: [unclosed\n');
    expect(failure(() => loadConfig(schema, { file })).message).toMatch(new RegExp(`${file}:\\d+`));
  });
});

describe('describeSchema', () => {
  it('lists every leaf with default and description', () => {
    const rows = describeSchema(schema);
    expect(rows.map((r) => r.path)).toEqual([
      'storage.database',
      'storage.busyTimeoutMs',
      'training.lora_rank',
    ]);
    expect(rows[1]).toMatchObject({ default: 5000, description: 'lock wait' });
    expect(rows[1]!.type).toContain('>= 0');
  });

  it('writes commented YAML that loads back to the same config', () => {
    const config = loadConfig(schema);
    const text = toCommentedYaml(schema, config);
    expect(text).toContain('# lock wait');
    expect(loadConfig(schema, { file: recipe(text) })).toEqual(config);
  });
});

describe('loadConfig with several files', () => {
  it('blames the file that set the broken field', () => {
    const base = recipe('storage:\n  database: a.db\n');
    const over = recipe('training:\n  lora_rank: -1\n');
    const error = failure(() => loadConfig(schema, { file: base, moreFiles: [over] }));
    expect(error.message).toContain(`${over}:2:3: training.lora_rank`);
    expect(
      loadConfig(schema, { file: base, moreFiles: [recipe('storage:\n  busyTimeoutMs: 1\n')] }).storage,
    ).toEqual({
      database: 'a.db',
      busyTimeoutMs: 1,
    });
  });
});
