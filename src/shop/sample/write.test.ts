/** End-to-end tests of `writeSampleShop`: layout, byte-identical determinism, seed sensitivity. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSampleShop } from './write.js';

const dirs: string[] = [];
async function fresh(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kefu-sample-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('writeSampleShop', () => {
  it('writes the layout atomically and identical bytes for the same seed', async () => {
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    const ticks: string[] = [];
    const progress = {
      start: () => ({ tick: (_n?: number, s?: string) => ticks.push(s ?? ''), setTotal() {}, done() {} }),
    };
    const manifest = await writeSampleShop(a, { seed: 42, scale: 0.1, progress });
    await writeSampleShop(b, { seed: 42, scale: 0.1 });
    await writeSampleShop(c, { seed: 43, scale: 0.1 });
    expect(ticks.length).toBeGreaterThan(0);

    const files = (await readdir(a, { recursive: true })).filter((f) => f.includes('.')).sort();
    expect(files).toEqual(manifest.files);
    for (const f of [
      'shop/products.json',
      'shop/customers.json',
      'shop/orders.json',
      'shop/shipments.json',
      'shop/returns.json',
      'docs/faq.md',
      'docs/policies/returns.md',
      'datasets/sft.json',
      'datasets/faq.json',
      'datasets/preference.json',
      'manifest.json',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('docs/manuals/')).length).toBe(manifest.counts.products);
    expect(files.some((f) => f.includes('.staging') || f.endsWith('.tmp'))).toBe(false);

    for (const f of files) {
      expect((await readFile(join(b, f))).equals(await readFile(join(a, f))), f).toBe(true);
    }
    for (const f of [
      'datasets/sft.json',
      'datasets/preference.json',
      'shop/orders.json',
      'shop/customers.json',
    ]) {
      expect(await readFile(join(c, f), 'utf8')).not.toBe(await readFile(join(a, f), 'utf8'));
    }
    const onDisk = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
    expect(manifest.counts).toMatchObject({ sft: 1000, faq: 500, preference: 100 });
  });

  it('rejects a non-positive scale', async () => {
    await expect(writeSampleShop(await fresh(), { scale: 0 })).rejects.toThrow(/scale/);
  });
});
