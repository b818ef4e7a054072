import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, NotFoundError } from '../core/errors.js';
import { findWorkspace, initWorkspace, openWorkspace } from './workspace.js';

const temp = () => mkdtempSync(join(tmpdir(), 'kefu-ws-'));

describe('workspace', () => {
  it('init creates config, folders and a migrated database, and is safe to repeat', async () => {
    const root = join(temp(), 'shop');
    const first = await initWorkspace(root);
    expect(first.existed).toBe(false);
    expect(first.created).toEqual(expect.arrayContaining(['kefu.yaml', 'datasets/', 'runs/', 'kefu.db']));
    expect(readFileSync(join(root, 'kefu.yaml'), 'utf8')).toContain('# SQLite database file');
    writeFileSync(join(root, 'kefu.yaml'), 'storage:\n  busyTimeoutMs: 7\n');
    const second = await initWorkspace(root);
    expect(second).toMatchObject({ existed: true, created: [] });
    expect(openWorkspace(root).config.storage.busyTimeoutMs).toBe(7);
  });

  it('finds the workspace upwards, from the flag, or from the environment', async () => {
    const root = temp();
    await initWorkspace(root);
    const deep = join(root, 'datasets', 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findWorkspace({ cwd: deep })).toBe(root);
    expect(findWorkspace({ explicit: root, cwd: '/' })).toBe(root);
    expect(findWorkspace({ env: { KEFU_WORKSPACE: root }, cwd: '/' })).toBe(root);
    expect(() => findWorkspace({ cwd: temp() })).toThrow(NotFoundError);
    expect(() => findWorkspace({ explicit: temp() })).toThrow(/not a kefu workspace/);
  });

  it('applies overrides and reports a broken config with its line', async () => {
    const root = temp();
    await initWorkspace(root);
    expect(openWorkspace(root, { sets: ['data.split.seed=9'] }).config.data.split.seed).toBe(9);
    writeFileSync(join(root, 'kefu.yaml'), 'data:\n  split:\n    train: 0.5\n');
    expect(() => openWorkspace(root)).toThrow(ConfigError);
    expect(() => openWorkspace(root)).toThrow(/kefu.yaml:\d+:\d+: data.split: train \+ validation \+ test/);
  });

  it('opens storage lazily inside the workspace', async () => {
    const root = temp();
    await initWorkspace(root);
    const workspace = openWorkspace(root, { sets: ['storage.database=state/other.db'] });
    expect(existsSync(join(root, 'state/other.db'))).toBe(false);
    await workspace.storage().runs.start({ id: 'x', kind: 'test', config: {} });
    expect(existsSync(join(root, 'state/other.db'))).toBe(true);
    workspace.close();
  });
});
