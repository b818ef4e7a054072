/** `kefu sample`: write the deterministic sample shop (order book, documents, datasets). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { writeSampleShop } from '../../shop/sample/write.js';
import type { CommandContext } from '../context.js';
import { shownPath } from '../shown-path.js';

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`expected a positive number, got "${value}"`);
  return n;
}

export function registerSample(program: Command, context: () => CommandContext): void {
  program
    .command('sample')
    .description(
      'generate the sample shop: catalog, customers, orders, shipments, returns, documents, datasets',
    )
    .option(
      '-o, --out <dir>',
      'output folder (default: <workspace>/sample, or ./kefu-sample outside a workspace)',
    )
    .option(
      '--seed <n>',
      'seed; the same seed gives byte-identical files (default: config sample.seed)',
      positive,
    )
    .option(
      '--scale <x>',
      'dataset volume multiplier: 1 = 10,000 dialogues, 5,000 FAQ, 1,000 pairs',
      positive,
    )
    .option('--force', 'replace files in an existing output folder', false)
    .addHelpText(
      'after',
      `
Writes shop/*.json (the order book), docs/ (policies, manuals, FAQ as Markdown),
datasets/sft.json, datasets/faq.json, datasets/preference.json, and manifest.json with counts and
how much noise (duplicates, garbled text, ads, personal data) was injected for the cleaner to find.

Examples:
  $ kefu sample                         # into the workspace
  $ kefu sample --out /tmp/shop --scale 0.1 --seed 7`,
    )
    .action(async (options: { out?: string; seed?: number; scale?: number; force: boolean }) => {
      const ctx = context();
      const config = ctx.config().sample;
      let out: string;
      if (options.out) out = resolve(ctx.io.cwd, options.out);
      else {
        try {
          out = ctx.workspace().path('sample');
        } catch {
          out = join(ctx.io.cwd, 'kefu-sample');
        }
      }
      if (existsSync(join(out, 'manifest.json')) && !options.force) {
        throw new UsageError(`${out} already holds a sample shop`, { hint: 'pass --force to replace it' });
      }
      const manifest = await writeSampleShop(out, {
        seed: options.seed ?? config.seed,
        scale: options.scale ?? config.scale,
        progress: ctx.progress(),
      });
      ctx.result({ out, manifest });
      const c = manifest.counts;
      ctx.print(
        `Sample shop "${manifest.shopName}" (seed ${manifest.seed}, scale ${manifest.scale}) → ${shownPath(ctx.io.cwd, out)}`,
      );
      ctx.print(
        `  ${c.products} products (${c.variants} variants), ${c.customers} customers, ${c.orders} orders, ` +
          `${c.shipments} shipments, ${c.returns} returns`,
      );
      ctx.print(`  ${c.policies} policies, ${c.manuals} manuals, ${c.faqDocEntries} FAQ entries`);
      ctx.print(
        `  datasets: ${c.sft} dialogues (${c.sftMultiTurn} multi-turn), ${c.faq} FAQ, ${c.preference} preference pairs`,
      );
      ctx.print(`Next: kefu data clean ${shownPath(ctx.io.cwd, join(out, 'datasets'))}/*.json --out clean/`);
    });
}
