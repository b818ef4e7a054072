import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace } from '../../workspace/workspace.js';
import { CommandContext, type GlobalOptions } from '../context.js';
import { registerShop } from './shop.js';
import { registerTool } from './tool.js';

const TAU = join(import.meta.dirname, '../../../../shared/data/tau-bench-retail');
let dir: string;

/** Runs `kefu …` on a program holding the shop and tool commands and kefu's global flags. */
async function kefu(args: string[]): Promise<{ out: string; error?: Error }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  const program = new Command('kefu')
    .option('--workspace <dir>')
    .option('--json', '', false)
    .option('--quiet', '', false)
    .option('--debug', '', false)
    .option('--set <field=value>', '', (v: string, p: string[]) => [...p, v], [] as string[])
    .exitOverride()
    .configureOutput({ writeOut: (t) => stdout.write(t), writeErr: () => undefined });
  let context: CommandContext | undefined;
  const getContext = () => {
    context ??= new CommandContext(program.opts<GlobalOptions>(), {
      stdout,
      stderr: new PassThrough() as unknown as NodeJS.WriteStream,
      env: {},
      cwd: dir,
    });
    return context;
  };
  registerShop(program, getContext);
  registerTool(program, getContext);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  try {
    const globals = args.filter((a) => a === '--json');
    const rest = args.filter((a) => a !== '--json');
    await program.parseAsync(['--workspace', join(dir, 'ws'), ...globals, ...rest], { from: 'user' });
    return { out };
  } catch (error) {
    return { out, error: error as Error };
  } finally {
    context?.close();
  }
}

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
  expect(imported.error).toBeUndefined();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kefu tool', () => {
  it('list shows the τ-bench tools with their argument schemas', async () => {
    const { out, error } = await kefu(['tool', 'list', '--json']);
    expect(error).toBeUndefined();
    const listed = JSON.parse(out) as {
      flavor: string;
      tools: { name: string; parameters: { required?: string[] } }[];
    };
    expect(listed.flavor).toBe('tau-bench');
    const items = listed.tools.find((t) => t.name === 'modify_pending_order_items')!;
    expect(items.parameters.required).toEqual(['order_id', 'item_ids', 'new_item_ids', 'payment_method_id']);
    const human = await kefu(['tool', 'list']);
    expect(human.out).toContain('cancel_pending_order(order_id, reason)  [changes data]');
  });

  it('call runs a read tool as the customer and prints the facts', async () => {
    const { out } = await kefu([
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
    expect(JSON.parse(other.out)).toMatchObject({ outcome: 'not_found' });
  });

  it('a change asks first, applies with --confirm, and replays by --key', async () => {
    const call = [
      'tool',
      'call',
      'cancel_pending_order',
      '{"order_id":"#W6779827","reason":"ordered by mistake"}',
    ];
    const asked = await kefu([...call, '--customer', 'ethan_lopez_6291', '--json']);
    expect(JSON.parse(asked.out).outcome).toBe('needs_confirmation');
    const done = await kefu([
      ...call,
      '--customer',
      'ethan_lopez_6291',
      '--confirm',
      '--key',
      'k1',
      '--json',
    ]);
    expect(JSON.parse(done.out).outcome).toBe('ok');
    const again = await kefu([
      ...call,
      '--customer',
      'ethan_lopez_6291',
      '--confirm',
      '--key',
      'k1',
      '--json',
    ]);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(done.out));
    const status = await kefu(['shop', 'status', '--json']);
    expect(JSON.parse(status.out).counts.actions).toBe(1);
  });

  it('bad arguments fail with exit 2 naming the field; bad JSON is a usage error', async () => {
    const bad = await kefu([
      'tool',
      'call',
      'cancel_pending_order',
      '{"order_id":"#W1","reason":"meh"}',
      '--customer',
      'x',
    ]);
    expect(bad.error).toMatchObject({ code: 'E_TOOL_ARGS', exitCode: 2 });
    expect(bad.error?.message).toContain('reason');
    const json = await kefu(['tool', 'call', 'get_order_details', '{order_id:1}', '--customer', 'x']);
    expect(json.error).toMatchObject({ code: 'E_USAGE' });
    const unknown = await kefu(['tool', 'call', 'drop_tables', '{}', '--customer', 'x']);
    expect(unknown.error?.message).toContain('no tool named');
  });
});
