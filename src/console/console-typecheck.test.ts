/**
 * The console's browser modules are plain JavaScript with `// @ts-check` and JSDoc types; the
 * project's tsconfig covers only .ts, so this runs the compiler over them with the DOM library
 * (src/console/tsconfig.web.json) and fails on any type error.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ASSETS_DIR } from './console-routes.js';

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const PROJECT = fileURLToPath(new URL('./tsconfig.web.json', import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? modules(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the console modules', () => {
  it('all opt into type checking', () => {
    for (const file of modules(CONSOLE_ASSETS_DIR)) {
      expect(readFileSync(file, 'utf8').startsWith('// @ts-check\n'), file).toBe(true);
    }
  });

  it('type-check against the DOM library', async () => {
    const run = await promisify(execFile)(process.execPath, [TSC, '-p', PROJECT], { encoding: 'utf8' }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(run.stdout.trim()).toBe('');
  }, 30_000);
});
