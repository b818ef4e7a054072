/**
 * A kefu workspace: one folder holding the config (`kefu.yaml`), datasets, runs, models, reports
 * and the database. `initWorkspace` creates or repairs one; `findWorkspace` locates the one a
 * command works on (explicit path, then $KEFU_WORKSPACE, then the nearest `kefu.yaml` upwards);
 * `openWorkspace` loads and validates its config. Does not run any pipeline itself.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type KefuConfig, kefuConfigSchema } from '../config/kefu-config.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { toCommentedYaml } from '../core/config/explain.js';
import { loadConfig } from '../core/config/load.js';
import { NotFoundError } from '../core/errors.js';
import type { Storage } from '../storage/repositories.js';
import { openSqliteStorage } from '../storage/sqlite-storage.js';

export const CONFIG_FILE = 'kefu.yaml';
export const WORKSPACE_FOLDERS = ['datasets', 'runs', 'models', 'reports', 'knowledge'] as const;

export interface Workspace {
  root: string;
  configFile: string;
  config: KefuConfig;
  /** Absolute path of something inside the workspace (absolute paths pass through). */
  path(...parts: string[]): string;
  /** The workspace database, opened (and migrated) on first use. */
  storage(): Storage;
  close(): void;
}

export interface InitResult {
  root: string;
  created: string[];
  existed: boolean;
}

/** Create the workspace at `dir`, or add what is missing to an existing one. Never overwrites config. */
export async function initWorkspace(dir: string): Promise<InitResult> {
  const root = resolve(dir);
  const created: string[] = [];
  const configFile = join(root, CONFIG_FILE);
  const existed = existsSync(configFile);
  mkdirSync(root, { recursive: true });
  if (!existed) {
    const header =
      '# kefu workspace configuration. Every field is optional; these are the defaults.\n' +
      '# `kefu config explain` describes each field; `kefu config print` shows what is in effect.\n';
    await writeFileAtomic(configFile, header + toCommentedYaml(kefuConfigSchema, kefuConfigSchema.parse({})));
    created.push(CONFIG_FILE);
  }
  for (const folder of WORKSPACE_FOLDERS) {
    if (!existsSync(join(root, folder))) {
      mkdirSync(join(root, folder));
      created.push(`${folder}/`);
    }
  }
  const workspace = openWorkspace(root);
  const dbExisted = existsSync(workspace.path(workspace.config.storage.database));
  workspace.storage();
  workspace.close();
  if (!dbExisted) created.push(workspace.config.storage.database);
  return { root, created, existed };
}

export interface FindOptions {
  /** `--workspace` flag value. */
  explicit?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** The workspace root a command should use, or a NotFoundError that says how to make one. */
export function findWorkspace(options: FindOptions = {}): string {
  const given = options.explicit ?? options.env?.KEFU_WORKSPACE;
  if (given) {
    const root = resolve(options.cwd ?? process.cwd(), given);
    if (!existsSync(join(root, CONFIG_FILE))) {
      throw new NotFoundError(`${root} is not a kefu workspace (no ${CONFIG_FILE})`, {
        hint: `create it with \`kefu init ${given}\``,
      });
    }
    return root;
  }
  let dir = resolve(options.cwd ?? process.cwd());
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE)) && statSync(join(dir, CONFIG_FILE)).isFile()) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new NotFoundError('no kefu workspace here or in any parent folder', {
    hint: 'run `kefu init` to create one here, or pass --workspace <dir>',
  });
}

export interface OpenOptions {
  env?: Record<string, string | undefined>;
  /** `--set field=value` overrides. */
  sets?: readonly string[];
  /** A recipe (YAML) layered over kefu.yaml, e.g. from `--config`. */
  recipe?: string;
}

export function openWorkspace(root: string, options: OpenOptions = {}): Workspace {
  const configFile = join(root, CONFIG_FILE);
  const config = loadConfig(kefuConfigSchema, {
    file: configFile,
    moreFiles: options.recipe ? [options.recipe] : [],
    env: options.env,
    sets: options.sets,
  });
  const path = (...parts: string[]) => {
    const joined = join(...parts);
    return isAbsolute(joined) ? joined : join(root, joined);
  };
  let storage: Storage | undefined;
  return {
    root,
    configFile,
    config,
    path,
    storage() {
      storage ??= openSqliteStorage(path(config.storage.database), {
        busyTimeoutMs: config.storage.busyTimeoutMs,
      });
      return storage;
    },
    close() {
      storage?.close();
      storage = undefined;
    },
  };
}
