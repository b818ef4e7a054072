import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_FILE } from '../../server/auth/secret.js';
import { verifyToken } from '../../server/auth/tokens.js';
import { initWorkspace } from '../../workspace/workspace.js';
import { runCli } from '../test-helpers/run-cli.js';

let root: string;

beforeAll(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'kefu-token-')), 'shop');
  await initWorkspace(root);
});

afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

/** Runs `kefu --workspace <ws> …` through the real CLI entry point; fails the test on a non-zero exit. */
async function token(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const run = await runCli(['--workspace', root, ...argv], { cwd: root, env });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The exit code and error message of a run expected to fail. */
const refused = (argv: string[]) => runCli(['--workspace', root, ...argv], { cwd: root });

const secret = () => readFileSync(join(root, SECRET_FILE), 'utf8').trim();

describe('kefu token', () => {
  it('mints a customer token that verifies with the workspace secret (created 0600 on first use)', async () => {
    const out = await token(['token', '--customer', 'C0001']);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(statSync(join(root, SECRET_FILE)).mode & 0o777).toBe(0o600);
    const claims = verifyToken(secret(), out.trim());
    expect(claims).toMatchObject({ sub: 'C0001', kind: 'customer' });
    expect(claims.exp - claims.iat).toBe(86_400);
    expect(() => verifyToken('another-secret-0123456789', out.trim())).toThrow();
  });

  it('mints an agent token with --ttl, and prints the claims with --json', async () => {
    const result = JSON.parse(await token(['--json', 'token', '--agent', 'wang', '--ttl', '600'])) as {
      token: string;
      sub: string;
      kind: string;
      exp: number;
      iat: number;
      expiresAt: string;
    };
    expect(result).toMatchObject({ sub: 'wang', kind: 'agent' });
    expect(result.exp - result.iat).toBe(600);
    expect(new Date(result.expiresAt).getTime()).toBe(result.exp * 1000);
    expect(verifyToken(secret(), result.token)).toMatchObject({
      sub: 'wang',
      kind: 'agent',
      exp: result.exp,
    });
  });

  it('signs with $KEFU_SECRET when it is set', async () => {
    const fromEnv = 'env-secret-0123456789abcdef';
    const out = await token(['token', '--customer', 'C0002'], { KEFU_SECRET: fromEnv });
    expect(verifyToken(fromEnv, out.trim()).sub).toBe('C0002');
    expect(() => verifyToken(secret(), out.trim())).toThrow();
  });

  it('labels the traffic with --source, and refuses an unknown source with a usage error', async () => {
    for (const label of ['eval-simulator', 'test', 'console'] as const) {
      const out = await token(['token', '--customer', 'C0003', '--source', label]);
      expect(verifyToken(secret(), out.trim())).toMatchObject({ sub: 'C0003', src: label });
    }
    expect(verifyToken(secret(), (await token(['token', '--customer', 'C0003'])).trim()).src).toBeUndefined();
    const bad = await refused(['token', '--customer', 'C1', '--source', 'shop']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--source must be one of eval-simulator, test, console/);
    expect(bad.stdout).toBe('');
  });

  it('refuses neither or both of --customer/--agent, and a too-short --ttl', async () => {
    expect((await refused(['token'])).code).toBe(1);
    expect((await refused(['token', '--customer', 'C1', '--agent', 'a'])).code).toBe(1);
    const ttl = await refused(['token', '--customer', 'C1', '--ttl', '5']);
    expect(ttl.code).toBe(1);
    expect(ttl.stderr).toMatch(/--ttl/);
  });
});
