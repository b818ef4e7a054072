/**
 * Flatten a zod schema into one row per leaf field (dotted path, type, default, description) for
 * `kefu config explain` and the docs, and render a resolved config as commented YAML for
 * `kefu config print` / `kefu init`. Reads schemas through zod's JSON Schema export only.
 */
import { stringify } from 'yaml';
import { z } from 'zod';

export interface FieldDoc {
  path: string;
  type: string;
  default: unknown;
  description: string;
}

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchemaNode[];
}

export function describeSchema(schema: z.ZodType): FieldDoc[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const rows: FieldDoc[] = [];
  const walk = (node: JsonSchemaNode, path: string[]) => {
    if (node.properties && node.type === 'object') {
      for (const [key, child] of Object.entries(node.properties)) walk(child, [...path, key]);
      return;
    }
    rows.push({
      path: path.join('.'),
      type: typeName(node),
      default: node.default,
      description: node.description ?? '',
    });
  };
  walk(root, []);
  return rows;
}

function typeName(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.anyOf) return node.anyOf.map(typeName).join(' | ');
  let name = Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any');
  if (name === 'array' && node.items) name = `${typeName(node.items)}[]`;
  const range = [
    node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? `>= ${node.minimum}` : '',
    node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? `<= ${node.maximum}` : '',
  ].filter(Boolean);
  return range.length ? `${name} (${range.join(', ')})` : name;
}

/** The config as YAML with each field's description as a comment above it. */
export function toCommentedYaml(schema: z.ZodType, value: unknown): string {
  const docs = new Map(describeSchema(schema).map((row) => [row.path, row.description]));
  const lines = stringify(value, { lineWidth: 0 }).split('\n');
  const stack: { indent: number; key: string }[] = [];
  const out: string[] = [];
  for (const line of lines) {
    const match = /^(\s*)([A-Za-z0-9_]+):/.exec(line);
    if (match) {
      const indent = match[1]!.length;
      while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
      stack.push({ indent, key: match[2]! });
      const doc = docs.get(stack.map((s) => s.key).join('.'));
      if (doc) out.push(`${match[1]}# ${doc}`);
    }
    out.push(line);
  }
  return out.join('\n');
}
