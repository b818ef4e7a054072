import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-errors.js';
import { mintToken, VerifiedTokens, verifyToken } from './tokens.js';

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

  it('remembers verified tokens but still checks their expiry, and never caches a bad one', () => {
    const tokens = new VerifiedTokens(SECRET, 2);
    const now = Date.now();
    const token = mintToken(SECRET, { sub: 'C0001', kind: 'customer', ttlSeconds: 60, now });
    expect(tokens.verify(token, now).sub).toBe('C0001');
    expect(tokens.verify(token, now + 1000).sub).toBe('C0001');
    expect(() => tokens.verify(token, now + 61_000)).toThrow(/expired/);
    const other = mintToken('another-secret-entirely', { sub: 'C0001', kind: 'customer', ttlSeconds: 60 });
    expect(() => tokens.verify(other)).toThrow(/signature/);
    expect(() => tokens.verify(other)).toThrow(/signature/);
    for (const sub of ['A', 'B', 'C']) {
      const t = mintToken(SECRET, { sub, kind: 'agent', ttlSeconds: 60 });
      expect(tokens.verify(t).sub).toBe(sub);
    }
  });
});
