import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleShop } from '../../shop/sample/write.js';
import { initWorkspace } from '../../workspace/workspace.js';
import { runCli } from '../test-helpers/run-cli.js';

const TAU = join(import.meta.dirname, '../../../../shared/data/tau-bench-retail');
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-shop-cli-'));
  await initWorkspace(join(dir, 'ws'));
  await writeSampleShop(join(dir, 'sample'), { scale: 0.01 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `kefu --workspace <ws> shop …` through the real CLI entry point. */
const shop = (args: string[]) => runCli(['--workspace', join(dir, 'ws'), 'shop', ...args], { cwd: dir });

describe('kefu shop', () => {
  it('says nothing is imported, then imports the sample shop and reports counts', async () => {
    const empty = await shop(['status', '--json']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ imported: false, counts: { orders: 0 } });

    const run = await shop(['import', 'sample']);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'sample/manifest.json'), 'utf8'));
    expect(run.stdout).toContain(`${manifest.counts.orders} orders`);

    const status = JSON.parse((await shop(['status', '--json'])).stdout);
    expect(status).toMatchObject({
      imported: true,
      flavor: 'kefu',
      name: manifest.shopName,
      now: manifest.now,
    });
    expect(status.counts.customers).toBe(manifest.counts.customers);
    expect(existsSync(join(dir, 'ws/kefu.db'))).toBe(true);
  });

  it('keeps the old order book when an import fails', async () => {
    await shop(['import', 'sample']);
    const broken = join(dir, 'broken');
    rmSync(broken, { recursive: true, force: true });
    await writeSampleShop(broken, { scale: 0.01 });
    const orders = JSON.parse(readFileSync(join(broken, 'shop/orders.json'), 'utf8'));
    orders[3].status = 'teleported';
    writeFileSync(join(broken, 'shop/orders.json'), JSON.stringify(orders));
    const run = await shop(['import', 'broken', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/shop\/orders\.json: status: .*record 3/);
    const status = JSON.parse((await shop(['status', '--json'])).stdout);
    expect(status.counts.orders).toBe(orders.length);
  });

  it('exports in every layout and re-imports the CSV export', async () => {
    await shop(['import', 'sample']);
    const csv = await shop(['export', 'out-csv', '--format', 'csv', '--json']);
    expect(JSON.parse(csv.stdout)).toMatchObject({ ok: true, format: 'csv' });
    expect(existsSync(join(dir, 'out-csv/orders.csv'))).toBe(true);
    const back = await shop(['import', 'out-csv', '--json']);
    expect(JSON.parse(back.stdout)).toMatchObject({ format: 'csv', counts: JSON.parse(csv.stdout).counts });
    const bad = await shop(['export', 'x', '--format', 'xml']);
    expect(bad.stderr).toMatch(/unknown shop format "xml"/);
  });

  it.skipIf(!existsSync(TAU))('detects and imports τ-bench retail', async () => {
    const run = await shop(['import', TAU, '--now', '2024-07-01T10:00:00+08:00', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({
      format: 'tau-bench',
      counts: { customers: 500, orders: 1000 },
    });
    const status = JSON.parse((await shop(['status', '--json'])).stdout);
    expect(status).toMatchObject({ flavor: 'tau-bench', now: '2024-07-01T10:00:00+08:00' });
  });

  it('shows examples in --help', async () => {
    const help = await shop(['import', '--help']);
    expect(help.stdout).toMatch(/Examples:\n\s+\$ kefu shop import sample/);
  });
});
