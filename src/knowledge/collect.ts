/**
 * Which files an ingest reads and the source name each is stored under. A folder is walked
 * recursively (hidden entries skipped, supported extensions only, sorted); its files are named
 * relative to the folder's parent, so `kefu kb ingest shop/docs` stores `docs/policies/returns.md`
 * (the form the sample shop's FAQ cites). A file given by itself is named relative to the working
 * folder when it lies inside it, else by its base name. `root` overrides both. Missing paths and
 * explicitly named unsupported files are InputErrors. Does not read file contents.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, NotFoundError } from '../core/errors.js';
import { isSupported, SUPPORTED_EXTENSIONS } from './parse.js';

export interface SourceFile {
  /** Absolute path on disk. */
  path: string;
  /** Stored name: relative, with forward slashes. */
  source: string;
}

const posix = (path: string) => path.split(sep).join('/');

function inside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? posix(rel) : undefined;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && isSupported(entry.name)) out.push(full);
  }
}

export function collectSources(
  paths: readonly string[],
  options: { cwd?: string; root?: string } = {},
): SourceFile[] {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root ? resolve(cwd, options.root) : undefined;
  const seen = new Map<string, SourceFile>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new NotFoundError(`no such file or folder: ${given}`, { hint: 'check the path' });
    }
    const name = (file: string, base: string) =>
      (root ? inside(root, file) : undefined) ?? inside(base, file) ?? basename(file);
    if (isDir) {
      const files: string[] = [];
      walk(path, files);
      for (const file of files) seen.set(file, { path: file, source: name(file, dirname(path)) });
    } else {
      if (!isSupported(path)) {
        throw new InputError(
          `unsupported file type`,
          { file: given },
          {
            code: 'E_KB_FILE_TYPE',
            hint: `supported: ${SUPPORTED_EXTENSIONS.join(' ')}`,
          },
        );
      }
      seen.set(path, { path, source: name(path, cwd) });
    }
  }
  return [...seen.values()];
}
