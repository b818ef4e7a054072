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

/** errno codes of a write that failed for lack of space or quota, not because of the data. */
const DISK_FULL_CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
};

const WRITE_CODES: Record<string, [why: string, hint: string]> = {
  EIO: ['an I/O error', 'the disk or network share failed; check it (dmesg, fsck) and run again'],
  EROFS: ['the file system is read-only', 'write to another folder'],
  EACCES: ['permission denied', 'check the permissions of the folder, or write to another one'],
  EPERM: ['permission denied', 'check the permissions of the folder, or write to another one'],
  EFBIG: ['the file is too large for the file system', 'write to another file system'],
};

/**
 * A failed write of `path` as a RuntimeFailure: E_DISK_FULL for ENOSPC / EDQUOT, E_WRITE for any
 * other errno (EIO, EROFS, …). The message names the path; `note` is added to the hint (say, to
 * tell the user which earlier file is still intact). KefuErrors pass through unchanged.
 */
export function fileWriteFailure(path: string, error: unknown, note?: string): KefuError {
  if (error instanceof KefuError) return error;
  const errno = (error as { code?: unknown } | null)?.code;
  const code = typeof errno === 'string' ? errno : undefined;
  const details = { path, ...(code ? { errno: code } : {}) };
  const withNote = (hint: string) => (note ? `${hint}; ${note}` : hint);
  const full = code ? DISK_FULL_CODES[code] : undefined;
  if (full) {
    return new RuntimeFailure(`cannot write ${path}: ${full} (${code})`, {
      code: 'E_DISK_FULL',
      cause: error,
      details,
      hint: withNote('free some disk space (or write to another disk) and run again'),
    });
  }
  const known = code ? WRITE_CODES[code] : undefined;
  const why = known?.[0] ?? (error instanceof Error ? error.message : String(error));
  return new RuntimeFailure(`cannot write ${path}: ${why}${known ? ` (${code})` : ''}`, {
    code: 'E_WRITE',
    cause: error,
    details,
    hint: withNote(known?.[1] ?? 'check the disk and the folder, then run again'),
  });
}
