/**
 * Customer and agent tokens: `kefu1.<claims>.<signature>`, claims base64url JSON
 * `{ sub, kind: 'customer' | 'agent', exp, iat, src? }` (`src`: traffic that is not a shop's
 * customer — 'eval-simulator', 'test' or 'console' — so sessions opened with it are labelled and
 * left out of the metrics from real conversations; only the secret's holder can set it), signature HMAC-SHA256 over `kefu1.<claims>` with
 * the workspace secret. The shop's backend mints customer tokens the same way (any language with
 * HMAC-SHA256 can), `kefu token` mints them for testing. Verification is constant-time and checks
 * the expiry. Does not: know admin keys (./principal.ts) or store anything.
 *
 *   const token = mintToken(secret, { sub: 'C0001', kind: 'customer', ttlSeconds: 3600 });
 *   verifyToken(secret, token) // → { sub: 'C0001', kind: 'customer', exp, iat }
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SessionSource } from '../../assistant/sessions/session-records.js';
import { InputError } from '../../core/errors.js';
import { unauthorized } from '../http-errors.js';

export type TokenKind = 'customer' | 'agent';

export interface TokenClaims {
  /** Customer id or agent id. */
  sub: string;
  kind: TokenKind;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Where the traffic comes from when it is not a shop's customer (see the header). */
  src?: TokenSource;
}

export type TokenSource = Extract<SessionSource, 'eval-simulator' | 'test' | 'console'>;
const TOKEN_SOURCES: readonly string[] = ['eval-simulator', 'test', 'console'];

const PREFIX = 'kefu1';

const sign = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

export function mintToken(
  secret: string,
  options: { sub: string; kind: TokenKind; ttlSeconds: number; now?: number; source?: TokenSource },
): string {
  if (!options.sub.trim()) throw new InputError('a token needs a subject (customer or agent id)');
  if (!(options.ttlSeconds > 0)) throw new InputError('a token needs a positive lifetime');
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: TokenClaims = {
    sub: options.sub,
    kind: options.kind,
    iat,
    exp: iat + options.ttlSeconds,
    ...(options.source ? { src: options.source } : {}),
  };
  const payload = `${PREFIX}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${payload}.${sign(secret, payload)}`;
}

/** The claims of a valid, unexpired token; a 401 HttpError otherwise. */
export function verifyToken(secret: string, token: string, now = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw unauthorized('not a kefu token');
  const payload = `${parts[0]}.${parts[1]}`;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw unauthorized('the token signature does not match');
  }
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    throw unauthorized('the token claims are not JSON');
  }
  if (
    typeof claims.sub !== 'string' ||
    !claims.sub ||
    (claims.kind !== 'customer' && claims.kind !== 'agent')
  ) {
    throw unauthorized('the token claims are incomplete');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw unauthorized('the token has expired');
  if (claims.src !== undefined && !TOKEN_SOURCES.includes(claims.src)) {
    throw unauthorized('the token names an unknown traffic source');
  }
  return claims;
}

/**
 * Remembers the claims of tokens that verified with one secret, so a customer's every request does
 * not pay the HMAC and JSON parse again; expiry is still checked each time. Bounded (oldest out).
 */
export class VerifiedTokens {
  private readonly claims = new Map<string, TokenClaims>();
  constructor(
    private readonly secret: string,
    private readonly max = 10_000,
  ) {}

  verify(token: string, now = Date.now()): TokenClaims {
    const known = this.claims.get(token);
    if (known && known.exp * 1000 > now) return known;
    if (known) this.claims.delete(token);
    const claims = verifyToken(this.secret, token, now);
    if (this.claims.size >= this.max) this.claims.delete(this.claims.keys().next().value!);
    this.claims.set(token, claims);
    return claims;
  }
}
