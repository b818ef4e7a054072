/**
 * `kefu shop import|export|status`: load a shop's order book (kefu JSON, kefu CSV, τ-bench retail)
 * into the workspace database, write it back out, and show what is there. Import is atomic: the
 * previous order book stays until the new one is fully read, validated and stored. Flag parsing
 * and printing only; the work is in src/shop/import and src/shop/store.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  detectShopFormat,
  exportShop,
  importShop,
  parseShopFormat,
  SHOP_FORMATS,
  type ShopFormat,
} from '../../shop/import/import-shop.js';
import type { ImportCounts } from '../../shop/import/shop-data.js';
import type { ShopStore } from '../../shop/store/shop-store.js';
import { openOrderBook } from '../../shop/store/sqlite-order-book.js';
import type { CommandContext } from '../context.js';

const FORMATS_HELP = `layout: ${SHOP_FORMATS.join(' | ')}`;

async function withBook<T>(ctx: CommandContext, work: (book: ShopStore) => Promise<T>): Promise<T> {
  const workspace = ctx.workspace();
  const book = openOrderBook(workspace.path(workspace.config.storage.database), {
    busyTimeoutMs: workspace.config.storage.busyTimeoutMs,
  });
  try {
    return await work(book);
  } finally {
    book.close();
  }
}

function countsLine(c: ImportCounts): string {
  return (
    `${c.customers} customers, ${c.products} products (${c.variants} variants), ${c.orders} orders, ` +
    `${c.shipments} shipments, ${c.returns} returns, ${c.policyDocuments} policy documents`
  );
}

export function registerShop(program: Command, context: () => CommandContext): void {
  const shop = program
    .command('shop')
    .description("the shop's order book: customers, products, orders, shipments, returns, policies");

  shop
    .command('import')
    .description('replace the order book in the workspace database with the shop in <dir>')
    .argument('<dir>', 'shop folder: `kefu sample` output, a CSV folder, or τ-bench retail data')
    .option('-f, --format <format>', `${FORMATS_HELP} (default: detected from the files)`, parseShopFormat)
    .option(
      '--now <iso>',
      'τ-bench only: the shop\'s "now" (τ-bench has no dates; default: the current time)',
    )
    .option('--name <name>', 'τ-bench only: the shop name (default: τ-bench retail)')
    .addHelpText(
      'after',
      `
All or nothing: every record is validated first (errors name file, record and field) and the old
order book is replaced in one transaction, so a failed import leaves it as it was.
See docs/shop-format.md for the layouts.

Examples:
  $ kefu shop import sample                       # the folder \`kefu sample\` wrote
  $ kefu shop import ../shared/data/tau-bench-retail --format tau-bench --now 2024-07-01T10:00:00+08:00
  $ kefu shop import ./my-shop-csv --format csv --json`,
    )
    .action(async (dir: string, options: { format?: ShopFormat; now?: string; name?: string }) => {
      const ctx = context();
      const path = resolve(ctx.io.cwd, dir);
      const format = options.format ?? detectShopFormat(path);
      const started = performance.now();
      const result = await withBook(ctx, (book) =>
        importShop(book, path, {
          format,
          ...(options.now ? { now: options.now } : {}),
          ...(options.name ? { name: options.name } : {}),
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      ctx.result({ ok: true, dir: path, ...result, seconds });
      ctx.print(`Imported ${path} (${format}) in ${seconds.toFixed(1)} s`);
      ctx.print(`  ${countsLine(result.counts)}`);
    });

  shop
    .command('export')
    .description('write the whole order book to <dir>')
    .argument('<dir>', 'output folder (files in it are replaced)')
    .option(
      '-f, --format <format>',
      `${FORMATS_HELP} (default: kefu, or tau-bench for a τ-bench shop)`,
      parseShopFormat,
    )
    .addHelpText(
      'after',
      `
The files appear together or not at all. A τ-bench shop exported as tau-bench gives back its
users.json / products.json / orders.json, including changes made by the τ-bench tools.

Examples:
  $ kefu shop export backup/                      # kefu's JSON layout
  $ kefu shop export sheet/ --format csv
  $ kefu shop export tau/ --format tau-bench`,
    )
    .action(async (dir: string, options: { format?: ShopFormat }) => {
      const ctx = context();
      const path = resolve(ctx.io.cwd, dir);
      const result = await withBook(ctx, async (book) => {
        const format = options.format ?? ((await book.info()).flavor === 'tau-bench' ? 'tau-bench' : 'kefu');
        return exportShop(book, path, { format });
      });
      ctx.result({ ok: true, dir: path, ...result });
      ctx.print(`Exported the order book (${result.format}) → ${path}`);
      ctx.print(`  ${countsLine(result.counts)}`);
    });

  shop
    .command('status')
    .description('what the order book holds: shop name, flavor, "now" and record counts')
    .addHelpText(
      'after',
      `
Examples:
  $ kefu shop status
  $ kefu shop status --json`,
    )
    .action(async () => {
      const ctx = context();
      const status = await withBook(ctx, async (book) => {
        const info = await book.infoIfAny();
        return {
          imported: info !== undefined,
          ...(info ? { name: info.name, flavor: info.flavor, now: info.now } : {}),
          counts: await book.counts(),
        };
      });
      ctx.result(status);
      if (!status.imported) {
        ctx.print(
          'No shop imported yet. Run `kefu shop import <dir>` (e.g. on the folder `kefu sample` wrote).',
        );
        return;
      }
      const c = status.counts;
      ctx.print(`${status.name} (${status.flavor}), now = ${status.now}`);
      ctx.print(`  ${countsLine(c)}`);
      ctx.print(`  ${c.actions} recorded actions`);
    });
}
