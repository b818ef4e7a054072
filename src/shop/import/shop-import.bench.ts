/**
 * Benchmark: importing whole shops into the SQLite order book — the sample shop (kefu JSON) and,
 * when the shared data is present, τ-bench retail — read, validated and stored in one
 * transaction. The reference is the floor of the same job: JSON.parse of the same files.
 * Also the lookups the tools make most (order by id, a customer's orders), per call.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Benchmark, type Measurement, medianMs, timeMs } from '../../bench/benchmark.js';
import { writeSampleShop } from '../sample/write.js';
import { openOrderBook } from '../store/sqlite-order-book.js';
import { importShop } from './import-shop.js';
import { KEFU_FILES } from './kefu-format.js';
import { TAU_FILES } from './tau-bench.js';

const TAU = join(import.meta.dirname, '../../../../shared/data/tau-bench-retail');

async function parseAll(root: string, files: string[]): Promise<void> {
  for (const file of new Set(files)) JSON.parse(await readFile(join(root, file), 'utf8'));
}

export const shopImportBenchmark: Benchmark = {
  id: 'shop.import',
  title: 'order-book import (validate + store, one transaction) vs JSON.parse of the same files',
  async run({ scratchDir, quick }) {
    const sample = join(scratchDir, 'sample');
    await writeSampleShop(sample, { scale: 0.01 });
    const book = openOrderBook(join(scratchDir, 'kefu.db'));
    const runs = quick ? 1 : 3;
    const out: Measurement[] = [];
    try {
      const kefu = await medianMs(() => importShop(book, sample, { format: 'kefu' }), runs);
      const counts = await book.counts();
      out.push({
        name: 'import the sample shop (kefu JSON)',
        value: kefu,
        unit: 'ms',
        higherIsBetter: false,
        reference: {
          name: 'JSON.parse only',
          value: await medianMs(() => parseAll(sample, Object.values(KEFU_FILES)), runs),
        },
        goal: { value: 2000, text: '< 2 s' },
        notes: `${counts.orders} orders, ${counts.shipments} shipments, ${counts.customers} customers, ${counts.variants} variants`,
      });
      const orders = await book.allOrders();
      const n = quick ? 500 : 5000;
      const byId = await timeMs(async () => {
        for (let i = 0; i < n; i++) await book.order(orders[(i * 7919) % orders.length]!.id);
      });
      const ofCustomer = await timeMs(async () => {
        for (let i = 0; i < n; i++) await book.ordersOf(orders[(i * 7919) % orders.length]!.customerId);
      });
      out.push(
        { name: 'order(id)', value: (byId * 1000) / n, unit: 'µs/call', higherIsBetter: false },
        {
          name: 'ordersOf(customer)',
          value: (ofCustomer * 1000) / n,
          unit: 'µs/call',
          higherIsBetter: false,
        },
      );
      if (existsSync(TAU)) {
        const now = '2024-07-01T10:00:00+08:00';
        const tau = await medianMs(() => importShop(book, TAU, { format: 'tau-bench', now }), runs);
        out.push({
          name: 'import τ-bench retail',
          value: tau,
          unit: 'ms',
          higherIsBetter: false,
          reference: {
            name: 'JSON.parse only',
            value: await medianMs(() => parseAll(TAU, Object.values(TAU_FILES)), runs),
          },
          notes: '500 users, 50 products, 1000 orders',
        });
      }
    } finally {
      book.close();
    }
    return out;
  },
};
