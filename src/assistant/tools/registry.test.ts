import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopStore } from '../../shop/store/shop-store.js';
import type { ToolRegistry } from '../contracts.js';
import { createToolRegistry, KEFU_TOOLS } from './index.js';
import { as, sampleBook } from './test-helpers/books.js';

let book: ShopStore;
let tools: ToolRegistry;

beforeAll(async () => {
  book = await sampleBook();
  tools = createToolRegistry(book, { flavor: 'kefu' });
});
afterAll(() => book.close());

describe('tool registry', () => {
  it('lists kefu’s tools with JSON-schema arguments and marks the changes', () => {
    const names = tools.list().map((t) => t.name);
    expect(names).toEqual(KEFU_TOOLS.map((t) => t.name));
    expect(names).toEqual(
      expect.arrayContaining([
        'find_customer',
        'list_my_orders',
        'get_order_details',
        'track_shipment',
        'get_product_details',
        'compare_products',
        'check_stock',
        'check_return_eligibility',
        'cancel_pending_order',
        'modify_pending_order_address',
        'request_return',
        'request_exchange',
        'change_default_address',
        'transfer_to_human',
      ]),
    );
    const details = tools.get('get_order_details')!;
    expect(details.parameters).toMatchObject({
      type: 'object',
      properties: { order_id: { type: 'string' } },
      required: ['order_id'],
      additionalProperties: false,
    });
    expect(details.mutates).toBe(false);
    expect(tools.get('request_return')!.mutates).toBe(true);
    expect(tools.get('transfer_to_human')!.parameters).toMatchObject({
      properties: {
        reason: { enum: ['customer_asked', 'repeated_failure', 'low_confidence', 'anger', 'out_of_scope'] },
      },
    });
  });

  it('bad arguments give outcome invalid naming the field, never a throw', async () => {
    const wrongType = await tools.call('get_order_details', { order_id: 42 }, as('C100001'));
    expect(wrongType.outcome).toBe('invalid');
    expect(wrongType.message).toContain('order_id');
    const missing = await tools.call('get_order_details', {}, as('C100001'));
    expect(missing.message).toContain('order_id');
    const extra = await tools.call(
      'get_order_details',
      { order_id: 'DD1', customer_id: 'C2' },
      as('C100001'),
    );
    expect(extra.message).toContain('customer_id');
    const badEnum = await tools.call('list_my_orders', { status: 'lost' }, as('C100001'));
    expect(badEnum.message).toContain('status');
    const nested = await tools.call('compare_products', { products: ['a', 7] }, as('C100001'));
    expect(nested.message).toContain('products.1');
    expect(nested.facts[0]!.key).toBe('参数错误');
    expect((await tools.call('no_such_tool', {}, as('C100001'))).outcome).toBe('invalid');
    expect((await tools.call('get_order_details', 'DD1', as('C100001'))).outcome).toBe('invalid');
  });

  it('an invalid change records nothing', async () => {
    const before = (await book.actions()).length;
    const result = await tools.call(
      'request_return',
      { order_id: 'DD1', quantity: 0 },
      as('C100001', { confirmed: true }),
    );
    expect(result.outcome).toBe('invalid');
    expect(result.message).toContain('quantity');
    expect(await book.actions()).toHaveLength(before);
  });

  it('an aborted call throws AbortedError before touching the book', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      tools.call('get_order_details', { order_id: 'DD1' }, { ...as('C100001'), signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
