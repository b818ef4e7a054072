/**
 * Who is calling: an admin (an admin API key), a customer or an agent (a signed token), read from
 * `Authorization: Bearer …` (or `x-api-key`). Guards for route groups: `requireCustomer`,
 * `requireAgent` (agents and admins), `requireAdmin`. A customer token never passes the agent or
 * admin guard, and customer routes take the customer id from the token only.
 * Does not: scope data (routes pass `customerId` to the assistant, which checks ownership).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { SessionSource } from '../../assistant/sessions/session-records.js';
import { forbidden, unauthorized } from '../http-errors.js';
import { type TokenSource, VerifiedTokens } from './tokens.js';

export type Principal =
  | { kind: 'admin'; id: string }
  | { kind: 'customer'; id: string; source?: TokenSource }
  | { kind: 'agent'; id: string };

export interface AuthOptions {
  secret: string;
  adminKeys: readonly string[];
}

export type ServerEnv = {
  Variables: { principal: Principal | undefined; requestId: string };
};

function credential(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match?.[1]?.trim();
  }
  return c.req.header('x-api-key')?.trim();
}

function isAdminKey(given: string, keys: readonly string[]): string | undefined {
  const g = Buffer.from(given);
  for (const key of keys) {
    const k = Buffer.from(key);
    if (k.length === g.length && timingSafeEqual(k, g)) return key;
  }
  return undefined;
}

/** The caller, or undefined without credentials; a 401 for credentials that do not verify. */
export function identify(
  c: Context,
  options: AuthOptions,
  tokens = new VerifiedTokens(options.secret),
): Principal | undefined {
  const given = credential(c);
  if (!given) return undefined;
  const admin = isAdminKey(given, options.adminKeys);
  if (admin) return { kind: 'admin', id: `admin:${admin.slice(0, 4)}…` };
  const claims = tokens.verify(given);
  if (claims.kind === 'customer' && claims.src)
    return { kind: 'customer', id: claims.sub, source: claims.src };
  return { kind: claims.kind, id: claims.sub };
}

/** Sets `principal` on every request (undefined when none was sent). */
export function authenticate(options: AuthOptions): MiddlewareHandler<ServerEnv> {
  const tokens = new VerifiedTokens(options.secret);
  return async (c, next) => {
    c.set('principal', identify(c, options, tokens));
    await next();
  };
}

function guard(allowed: Principal['kind'][]): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthorized();
    if (!allowed.includes(principal.kind)) throw forbidden();
    await next();
  };
}

export const requireCustomer = guard(['customer']);
export const requireAgent = guard(['agent', 'admin']);
export const requireAdmin = guard(['admin']);
export const requireAnyone = guard(['customer', 'agent', 'admin']);

/** The authenticated customer's id (after `requireCustomer`). */
export function customerIdOf(c: Context<ServerEnv>): string {
  const principal = c.get('principal');
  if (principal?.kind !== 'customer') throw forbidden();
  return principal.id;
}

/**
 * The source recorded on a session this customer opens: the token's (eval, test, console), else
 * 'console' when the client says it is the console, else 'api'. A client cannot mark its own
 * traffic as synthetic: only a token minted with the secret can.
 */
export function sessionSourceOf(c: Context<ServerEnv>, channel?: string): SessionSource {
  const principal = c.get('principal');
  if (principal?.kind === 'customer' && principal.source) return principal.source;
  return channel === 'console' ? 'console' : 'api';
}
