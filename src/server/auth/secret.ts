/**
 * The workspace secret that signs customer and agent tokens: $KEFU_SECRET when set, else the file
 * `server.secret` in the workspace, created on first use (32 random bytes, hex, mode 0600). The
 * shop's backend needs the same secret to mint customer tokens. Does not: sign or verify anything.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { InputError } from '../../core/errors.js';

export const SECRET_FILE = 'server.secret';

export async function workspaceSecret(
  root: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const fromEnv = env.KEFU_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new InputError('KEFU_SECRET must be at least 16 characters');
    return fromEnv;
  }
  const file = join(root, SECRET_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 16) return stored;
    throw new InputError(`${file} holds no usable secret`, undefined, {
      hint: `delete ${file} to have a new one made (tokens signed with the old one stop working)`,
    });
  }
  const secret = randomBytes(32).toString('hex');
  await writeFileAtomic(file, `${secret}\n`);
  chmodSync(file, 0o600);
  return secret;
}
