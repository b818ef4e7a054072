import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace } from '../../workspace/workspace.js';
import { runCli } from '../test-helpers/run-cli.js';

const TAU = join(import.meta.dirname, '../../../../shared/data/tau-bench-retail');
let dir: string;

/** Runs `kefu --workspace <ws> …` through the real CLI entry point. */
const kefu = (args: string[]) => runCli(['--workspace', join(dir, 'ws'), ...args], { cwd: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-tool-cli-'));
  await initWorkspace(join(dir, 'ws'));
  const imported = await kefu([
    'shop',
    'import',
    TAU,
    '--format',
    'tau-bench',
    '--now',
    '2024-07-01T10:00:00+08:00',
  ]);
  expect(imported.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kefu tool', () => {
  it('list shows the τ-bench tools with their argument schemas', async () => {
    const { stdout, code } = await kefu(['tool', 'list', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as {
      flavor: string;
      tools: { name: string; parameters: { required?: string[] } }[];
    };
    expect(listed.flavor).toBe('tau-bench');
    const items = listed.tools.find((t) => t.name === 'modify_pending_order_items')!;
    expect(items.parameters.required).toEqual(['order_id', 'item_ids', 'new_item_ids', 'payment_method_id']);
    const human = await kefu(['tool', 'list']);
    expect(human.stdout).toContain('cancel_pending_order(order_id, reason)  [changes data]');
  });

  it('call runs a read tool as the customer and prints the facts', async () => {
    const { stdout: out } = await kefu([
      'tool',
      'call',
      'get_order_details',
      '{"order_id":"#W2611340"}',
      '--customer',
      'james_li_5688',
    ]);
    expect(out).toContain('get_order_details: ok');
    expect(out).toContain('运单号: 357962501027');
    const other = await kefu([
      'tool',
      'call',
      'get_order_details',
      '{"order_id":"#W2611340"}',
      '--customer',
      'noah_brown_6181',
      '--json',
    ]);
    expect(JSON.parse(other.stdout)).toMatchObject({ outcome: 'not_found' });
  });

  it('a change asks first, applies with --confirm, and replays by --key', async () => {
    const call = [
      'tool',
      'call',
      'cancel_pending_order',
      '{"order_id":"#W6779827","reason":"ordered by mistake"}',
    ];
    const asked = await kefu([...call, '--customer', 'ethan_lopez_6291', '--json']);
    expect(JSON.parse(asked.stdout).outcome).toBe('needs_confirmation');
    const done = await kefu([
      ...call,
      '--customer',
      'ethan_lopez_6291',
      '--confirm',
      '--key',
      'k1',
      '--json',
    ]);
    expect(JSON.parse(done.stdout).outcome).toBe('ok');
    const again = await kefu([
      ...call,
      '--customer',
      'ethan_lopez_6291',
      '--confirm',
      '--key',
      'k1',
      '--json',
    ]);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(done.stdout));
    const status = await kefu(['shop', 'status', '--json']);
    expect(JSON.parse(status.stdout).counts.actions).toBe(1);
  });

  it('bad arguments fail with exit 2 naming the field; bad JSON is a usage error', async () => {
    const bad = await kefu([
      'tool',
      'call',
      'cancel_pending_order',
      '{"order_id":"#W1","reason":"meh"}',
      '--customer',
      'x',
      '--json',
    ]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: 'E_TOOL_ARGS' });
    expect(bad.stderr).toContain('reason');
    const json = await kefu([
      'tool',
      'call',
      'get_order_details',
      '{order_id:1}',
      '--customer',
      'x',
      '--json',
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: 'E_USAGE' });
    const unknown = await kefu(['tool', 'call', 'drop_tables', '{}', '--customer', 'x']);
    expect(unknown.stderr).toContain('no tool named');
  });
});
