/**
 * Typed errors shared by every kefu module.
 *
 * Each error carries a stable `code` (for scripts and the HTTP layer), a `hint` telling the user
 * what to do next, and the process exit code the CLI uses for it:
 *   0 ok · 1 usage (bad flags or arguments) · 2 bad input (files, config, data) · 3 runtime failure.
 * The CLI prints `message` + `hint`; the stack only with `--debug`. The server maps the same
 * classes to HTTP statuses in one place. This module does no I/O.
 */

export type ExitCode = 0 | 1 | 2 | 3;

export interface KefuErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Structured facts for `--json` output and logs. Never put personal data here. */
  details?: Record<string, unknown>;
}

export class KefuError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, exitCode: ExitCode, options: KefuErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, hint: this.hint, ...this.details };
  }
}

/** Wrong flags, missing arguments, unknown subcommand. Exit 1. */
export class UsageError extends KefuError {
  constructor(message: string, options: KefuErrorOptions = {}) {
    super('E_USAGE', message, 1, options);
  }
}

/** Where in a file a problem sits. `line` and `column` are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

export function formatLocation(at: SourceLocation): string {
  let text = at.file;
  if (at.line !== undefined) text += `:${at.line}`;
  if (at.column !== undefined) text += `:${at.column}`;
  if (at.field) text += `: ${at.field}`;
  return text;
}

/** A data or input file that cannot be used as it is. Exit 2. */
export class InputError extends KefuError {
  readonly location: SourceLocation | undefined;

  constructor(
    message: string,
    location?: SourceLocation,
    options: KefuErrorOptions & { code?: string } = {},
  ) {
    super(options.code ?? 'E_INPUT', location ? `${formatLocation(location)}: ${message}` : message, 2, {
      ...options,
      details: { ...options.details, ...(location ? { location } : {}) },
    });
    this.location = location;
  }
}

/** A recipe or configuration value that fails its schema. Exit 2. */
export class ConfigError extends InputError {
  constructor(message: string, location?: SourceLocation, options: KefuErrorOptions = {}) {
    super(message, location, { ...options, code: 'E_CONFIG' });
  }
}

/** Something the user asked for does not exist (a workspace, a dataset, a run). Exit 2. */
export class NotFoundError extends KefuError {
  constructor(what: string, options: KefuErrorOptions = {}) {
    super('E_NOT_FOUND', what, 2, options);
  }
}

/** The environment failed us: disk, database, a subprocess. Exit 3. */
export class RuntimeFailure extends KefuError {
  constructor(message: string, options: KefuErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'E_RUNTIME', message, 3, options);
  }
}

/** The user pressed Ctrl-C or an AbortSignal fired. Exit 3. */
export class AbortedError extends KefuError {
  constructor(message = 'aborted', options: KefuErrorOptions = {}) {
    super('E_ABORTED', message, 3, options);
  }
}

/** Any thrown value as a KefuError, so callers handle one shape. */
export function asKefuError(error: unknown): KefuError {
  if (error instanceof KefuError) return error;
  if (error instanceof Error) {
    return new RuntimeFailure(error.message, { cause: error, hint: 'run again with --debug for the stack' });
  }
  return new RuntimeFailure(String(error));
}
