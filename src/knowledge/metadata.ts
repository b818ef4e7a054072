/**
 * Metadata a chunk carries besides its text: `kind` (policy / manual / faq / other) inferred from
 * the file's relative path, `productId` from manuals named after a product id (P10023.md), and the
 * user's own `key=value` pairs, which win. Parses `--meta` / `--filter` style `k=v` strings too.
 * Does not read files.
 */
import { basename, extname } from 'node:path';
import { UsageError } from '../core/errors.js';

export type DocumentKind = 'policy' | 'manual' | 'faq' | 'other';

export function inferKind(source: string): DocumentKind {
  const path = source.toLowerCase();
  const name = basename(path, extname(path));
  if (/(^|[/_.-])faqs?([/_.-]|$)|常见问题|问答/.test(path)) return 'faq';
  if (/polic|政策|规则|条款|terms/.test(path)) return 'policy';
  if (/manual|说明书|手册|guide/.test(path) || /^p\d{3,}$/.test(name)) return 'manual';
  return 'other';
}

export function inferProductId(source: string): string | undefined {
  const name = basename(source, extname(source));
  return /^P\d{3,}$/i.test(name) ? name.toUpperCase() : undefined;
}

/** The metadata of a document's chunks: inferred fields, then `given` on top. */
export function documentMetadata(source: string, given: Record<string, string> = {}): Record<string, string> {
  const productId = inferProductId(source);
  return { kind: inferKind(source), ...(productId ? { productId } : {}), ...given };
}

/** `['kind=policy', 'lang=zh']` → { kind: 'policy', lang: 'zh' }; UsageError for a pair without `=`. */
export function parseKeyValues(pairs: readonly string[] = [], flag = '--meta'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new UsageError(`${flag} expects key=value, got "${pair}"`, { hint: `e.g. ${flag} kind=policy` });
    }
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

/** True when `metadata` has every key of `filter` with the same value. */
export function matchesFilter(
  metadata: Record<string, string>,
  filter: Record<string, string> | undefined,
): boolean {
  if (!filter) return true;
  for (const key in filter) if (metadata[key] !== filter[key]) return false;
  return true;
}
