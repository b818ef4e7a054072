/**
 * Parse a YAML recipe and keep the position of every key, so a schema error can name the file,
 * line and column of the offending field. Knows nothing about kefu's schemas.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';

export interface YamlSource {
  file: string;
  data: unknown;
  /** 1-based line and column of the value at `path`, or of its nearest existing parent. */
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new ConfigError(
      `YAML syntax: ${first.message.split('\n')[0]}`,
      { file, line: pos.line, column: pos.col },
      { hint: 'check indentation and quoting on that line' },
    );
  }
  const data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const locate = (path: readonly PropertyKey[]) => {
    let node: unknown = doc.contents;
    let found: Node | undefined = isNode(node) ? node : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (!pair) break;
        // Point at the key for scalars (more natural), at the value node otherwise.
        found = (isScalar(pair.value) ? pair.key : pair.value) as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
        node = node.items[key];
        found = node as Node;
      } else break;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return { file, data, locate };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
