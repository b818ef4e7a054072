import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-errors.js';
import { mintToken, verifyToken } from './tokens.js';

const SECRET = 'a-secret-of-some-length';

describe('customer and agent tokens', () => {
  it('round-trips the claims', () => {
    const token = mintToken(SECRET, { sub: 'C0001', kind: 'customer', ttlSeconds: 60 });
    expect(verifyToken(SECRET, token)).toMatchObject({ sub: 'C0001', kind: 'customer' });
  });

  it('refuses another secret, a changed subject and an expired token', () => {
    const token = mintToken(SECRET, { sub: 'C0001', kind: 'customer', ttlSeconds: 60 });
    expect(() => verifyToken('another-secret-entirely', token)).toThrow(HttpError);
    const [prefix, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'C0002', kind: 'customer', iat: 0, exp: 9e9 })).toString(
      'base64url',
    );
    expect(() => verifyToken(SECRET, `${prefix}.${forged}.${signature}`)).toThrow(/signature/);
    const old = mintToken(SECRET, { sub: 'C0001', kind: 'agent', ttlSeconds: 60, now: Date.now() - 120_000 });
    expect(() => verifyToken(SECRET, old)).toThrow(/expired/);
  });
});
