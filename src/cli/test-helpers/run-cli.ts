/**
 * Runs the kefu CLI in-process for tests, capturing stdout and stderr, with the same `main` the
 * `kefu` binary calls. Not shipped (excluded from the build).
 */
import { PassThrough } from 'node:stream';
import { main } from '../main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  (stderr as unknown as PassThrough).on('data', (chunk) => (err += chunk));
  const code = await main(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout: out, stderr: err };
}
