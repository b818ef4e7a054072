// @ts-check
/**
 * Where the operator's preference labels live: on the server (GET/POST/DELETE /admin/labels) where
 * it offers that, else in this browser's localStorage until they are exported. Both stores have
 * the same three async methods, so the labelling view does not care which it has.
 * Does not: derive pairs from feedback (the server does) or export (the view does).
 */
import { apiRequest, serverOffers } from '../api.js';

/**
 * @typedef {{ prompt: string, chosen: string, rejected: string }} Pair
 * @typedef {Pair & { id: string }} Label
 * @typedef {{ where: 'server' | 'browser', list(): Promise<Label[]>, add(pair: Pair): Promise<void>, remove(id: string): Promise<void> }} LabelStore
 */

const BROWSER_KEY = 'kefu.console.labels';

/** @returns {Label[]} */
function readBrowser() {
  try {
    const stored = JSON.parse(localStorage.getItem(BROWSER_KEY) ?? '[]');
    return Array.isArray(stored)
      ? stored.map((/** @type {any} */ l, /** @type {number} */ i) => ({ id: l.id ?? `local-${i}`, ...l }))
      : [];
  } catch {
    return [];
  }
}

/** @type {LabelStore} */
const browserStore = {
  where: 'browser',
  list: async () => readBrowser(),
  async add(pair) {
    const id = `local-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    localStorage.setItem(BROWSER_KEY, JSON.stringify([...readBrowser(), { id, ...pair }]));
  },
  async remove(id) {
    localStorage.setItem(BROWSER_KEY, JSON.stringify(readBrowser().filter((l) => l.id !== id)));
  },
};

/**
 * The server's store when it offers POST /admin/labels, else this browser's.
 * @param {() => string} credential the admin key
 * @returns {Promise<LabelStore>}
 */
export async function labelStore(credential) {
  if (!(await serverOffers('post', '/admin/labels'))) return browserStore;
  return {
    where: 'server',
    list: async () => (await apiRequest('/admin/labels', { credential: credential() })).labels,
    async add(pair) {
      await apiRequest('/admin/labels', { body: pair, credential: credential() });
    },
    async remove(id) {
      await apiRequest(`/admin/labels/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        credential: credential(),
      });
    },
  };
}
