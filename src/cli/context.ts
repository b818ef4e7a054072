/**
 * What every CLI command gets: the global flags, output helpers that respect `--json` and
 * `--quiet`, a progress reporter that draws on stderr only for humans, and the workspace resolved
 * from `--workspace` / $KEFU_WORKSPACE / the current folder. Holds no command logic.
 */

import { resolve } from 'node:path';
import { type KefuConfig, kefuConfigSchema } from '../config/kefu-config.js';
import { loadConfig } from '../core/config/load.js';
import { NotFoundError } from '../core/errors.js';
import { type Progress, silentProgress, streamProgress } from '../core/progress.js';
import { findWorkspace, openWorkspace, type Workspace } from '../workspace/workspace.js';

export interface GlobalOptions {
  workspace?: string;
  config?: string;
  json: boolean;
  debug: boolean;
  quiet: boolean;
  set: string[];
}

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

export class CommandContext {
  private opened: Workspace | undefined;

  constructor(
    readonly globals: GlobalOptions,
    readonly io: CliIO,
  ) {}

  /** Human-readable output; suppressed by --json and --quiet. */
  print(text = ''): void {
    if (!this.globals.json && !this.globals.quiet) this.io.stdout.write(`${text}\n`);
  }

  /** The machine-readable result; printed only with --json. */
  result(value: unknown): void {
    if (this.globals.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  progress(): Progress {
    return this.globals.json || this.globals.quiet
      ? silentProgress
      : streamProgress({ stream: this.io.stderr });
  }

  /** The workspace this command works on; throws NotFoundError with a hint when there is none. */
  workspace(): Workspace {
    if (!this.opened) {
      const root = findWorkspace({ explicit: this.globals.workspace, env: this.io.env, cwd: this.io.cwd });
      this.opened = openWorkspace(root, { env: this.io.env, sets: this.globals.set, recipe: this.recipe() });
    }
    return this.opened;
  }

  /** Root of the workspace, without loading its config (for commands whose --config is not kefu.yaml). */
  workspaceRoot(): string {
    return findWorkspace({ explicit: this.globals.workspace, env: this.io.env, cwd: this.io.cwd });
  }

  /**
   * The config in effect: the workspace's when there is one, else defaults < KEFU_* env < --set.
   * Commands that work on plain files use this, so they run with or without a workspace.
   */
  config(): KefuConfig {
    try {
      return this.workspace().config;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return loadConfig(kefuConfigSchema, { file: this.recipe(), env: this.io.env, sets: this.globals.set });
    }
  }

  private recipe(): string | undefined {
    return this.globals.config ? resolve(this.io.cwd, this.globals.config) : undefined;
  }

  close(): void {
    this.opened?.close();
  }
}
