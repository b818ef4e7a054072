// @ts-check
/**
 * The console's client for the kefu HTTP API: `apiRequest` (JSON in, JSON out, errors as
 * `ApiError` with the server's code, message and hint), `sseEvents` (a server-sent event stream
 * read with fetch, because EventSource cannot send the Authorization header) and the credentials
 * the operator entered (kept in sessionStorage: gone when the tab closes).
 * Does not: render anything.
 */

/** An API failure as the server described it (`{ error: { code, message, hint } }`). */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 = no answer)
   * @param {string} code stable error code, e.g. E_UNAUTHORIZED
   * @param {string} message
   * @param {string} [hint]
   * @param {string} [requestId]
   */
  constructor(status, code, message, hint, requestId) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.requestId = requestId;
  }
}

/** @typedef {'customer' | 'agent' | 'admin'} CredentialKind */

const STORAGE_KEYS = {
  customer: 'kefu.console.customer',
  agent: 'kefu.console.agent',
  admin: 'kefu.console.admin',
};

/** @param {CredentialKind} kind */
export function getCredential(kind) {
  return sessionStorage.getItem(STORAGE_KEYS[kind]) ?? '';
}

/** @param {CredentialKind} kind @param {string} value */
export function setCredential(kind, value) {
  if (value) sessionStorage.setItem(STORAGE_KEYS[kind], value);
  else sessionStorage.removeItem(STORAGE_KEYS[kind]);
}

/**
 * The claims of a kefu token (`kefu1.<base64url JSON>.<signature>`), for display only — the
 * server verifies the signature. Undefined for anything else (an admin key).
 * @param {string} token
 * @returns {{ sub: string, kind: string, exp: number } | undefined}
 */
export function tokenClaims(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'kefu1' || !parts[1]) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims.sub === 'string' ? claims : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @typedef {object} RequestOptions
 * @property {string} [method]
 * @property {unknown} [body] sent as JSON
 * @property {string} [credential] a token or an admin key
 * @property {AbortSignal} [signal]
 */

/** @param {RequestOptions} options */
function init(options) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (options.credential) headers.authorization = `Bearer ${options.credential}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** @param {string} path @param {RequestInit} request */
async function send(path, request) {
  try {
    return await fetch(path, request);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'E_NETWORK', '无法连接 kefu 服务', '检查 `kefu serve` 是否仍在运行，然后刷新页面');
  }
}

/** @param {Response} response */
async function failure(response) {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text);
    return new ApiError(response.status, error.code, error.message, error.hint, error.requestId);
  } catch {
    return new ApiError(
      response.status,
      `HTTP_${response.status}`,
      text.slice(0, 200) || response.statusText,
    );
  }
}

/**
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
export async function apiRequest(path, options = {}) {
  const response = await send(path, init(options));
  if (!response.ok) throw await failure(response);
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') && !type.includes('ndjson') ? response.json() : response.text();
}

/**
 * The events of a server-sent event stream, data JSON-parsed; ends when the server closes it.
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {AsyncGenerator<{ event: string, data: any }>}
 */
export async function* sseEvents(path, options = {}) {
  const response = await send(path, init(options));
  if (!response.ok) throw await failure(response);
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed) yield parsed;
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** @param {string} block */
function parseBlock(block) {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
  }
  if (!data) return undefined;
  try {
    return { event, data: JSON.parse(data) };
  } catch {
    return { event, data };
  }
}

/** @type {Promise<Record<string, Record<string, unknown>>> | undefined} */
let documentedPaths;

/**
 * Whether the server documents `method path` in its /openapi.json, so a view offers a feature
 * only where the server has the endpoint (e.g. `serverOffers('post', '/admin/tokens')`).
 * @param {string} method lower case
 * @param {string} path as the OpenAPI document writes it
 */
export async function serverOffers(method, path) {
  documentedPaths ??= fetch('/openapi.json')
    .then((response) => (response.ok ? response.json() : { paths: {} }))
    .then((document) => document.paths ?? {})
    .catch(() => ({}));
  const paths = await documentedPaths;
  return Boolean(paths[path]?.[method]);
}
