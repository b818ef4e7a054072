/**
 * How the CLI shows a path it wrote or will use: relative to the current folder while inside it
 * ("." for the folder itself), absolute once a relative form would climb out ("../../tmp/x" is
 * harder to read and to paste elsewhere than "/tmp/x"). Does not check that the path exists.
 */
import { isAbsolute, relative, sep } from 'node:path';

export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  const climbs = rel === '..' || rel.startsWith(`..${sep}`);
  return climbs || isAbsolute(rel) ? path : rel;
}
