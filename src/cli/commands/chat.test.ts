import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBook } from '../../assistant/sample-order-book.js';
import type { Order } from '../../shop/types.js';
import { initWorkspace } from '../../workspace/workspace.js';
import { CommandContext, type GlobalOptions } from '../context.js';
import { registerChat } from './chat.js';

let root: string;
let order: Order;
const BASE = join(process.cwd(), 'assets/base-model');

beforeAll(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'kefu-chat-')), 'shop');
  await initWorkspace(root);
  const { book, db, shop } = await sampleBook({ path: join(root, 'kefu.db'), seed: 3 });
  book.close();
  db.close();
  order = shop.orders.find((o) => o.status === 'shipped')!;
});

afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

async function chat(argv: string[], input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  stdout.on('data', (c) => (out += c));
  const program = new Command('kefu').option('--json', '', false).option('--debug', '', false).exitOverride();
  program.configureOutput({ writeOut: (t) => stdout.write(t), writeErr: () => {} });
  let ctx: CommandContext | undefined;
  const getContext = () => {
    ctx ??= new CommandContext(
      { ...program.opts<GlobalOptions>(), workspace: root, set: [], quiet: false },
      { stdout, stderr, env: {}, cwd: root },
    );
    return ctx;
  };
  registerChat(program, getContext, { input: Readable.from([input]) });
  await program.parseAsync(argv, { from: 'user' });
  ctx?.close();
  return out;
}

describe('kefu chat', () => {
  it('answers scripted messages as the customer, remembering the order between them', async () => {
    const out = await chat([
      'chat',
      '--customer',
      order.customerId,
      '--model',
      BASE,
      '-m',
      `我的订单${order.id}到哪了`,
      '-m',
      '它什么时候到',
    ]);
    expect(out).toContain(`顾客: 我的订单${order.id}到哪了`);
    expect(out).toContain('客服: ');
    expect(out.split('客服: ')[2]).not.toMatch(/提供.*订单号/);
  });

  it('reads lines interactively and prints JSON events with --json', async () => {
    const out = await chat(['--json', 'chat', '--customer', order.customerId, '--model', BASE], '转人工\n\n');
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; handoff?: { reason: string } });
    expect(events.find((e) => e.type === 'handoff')?.handoff?.reason).toBe('customer_asked');
    expect(events.at(-1)?.type).toBe('finish');
  });

  it('refuses an unknown customer', async () => {
    await expect(chat(['chat', '--customer', 'C-nobody', '--model', BASE, '-m', 'hi'])).rejects.toThrow(
      /no customer C-nobody/,
    );
  });
});
