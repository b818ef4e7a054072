import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween, ORDER_STATUS_LABEL, showTime, yuan } from '../../../shop/sample/format.js';
import type { ShopStore } from '../../../shop/store/shop-store.js';
import type { Order, Product } from '../../../shop/types.js';
import type { ToolRegistry, ToolResult } from '../../contracts.js';
import { createToolRegistry } from '../index.js';
import { as, sampleBook } from '../test-helpers/books.js';

let book: ShopStore;
let tools: ToolRegistry;
let orders: Order[];
let products: Map<string, Product>;
let now: string;
const used = new Set<string>();

beforeAll(async () => {
  book = await sampleBook();
  tools = createToolRegistry(book, { flavor: 'kefu' });
  orders = await book.allOrders();
  products = new Map((await book.allProducts()).map((p) => [p.id, p]));
  now = (await book.info()).now;
});
afterAll(() => book.close());

const factOf = (result: ToolResult, key: string) => result.facts.find((f) => f.key === key)?.value;

/** An order matching `test` not handed out before (tests change orders). */
function pick(test: (o: Order) => boolean): Order {
  const order = orders.find((o) => !used.has(o.id) && test(o));
  if (!order) throw new Error('the sample shop has no such order');
  used.add(order.id);
  return order;
}

const deliveredDaysAgo = (o: Order) => (o.deliveredAt ? daysBetween(o.deliveredAt, now) : -1);
const returnable = (o: Order) =>
  o.status === 'delivered' &&
  deliveredDaysAgo(o) < 7 &&
  o.items.every((i) => products.get(i.productId)!.sevenDayReturn);
const otherCustomer = (o: Order) => orders.find((x) => x.customerId !== o.customerId)!.customerId;

describe('kefu read tools', () => {
  it('get_order_details returns the training-data fact lines for the customer’s own order', async () => {
    const order = pick((o) => o.status === 'delivered');
    const result = await tools.call('get_order_details', { order_id: order.id }, as(order.customerId));
    expect(result.outcome).toBe('ok');
    expect(factOf(result, '订单号')).toBe(order.id);
    expect(factOf(result, '状态')).toBe(ORDER_STATUS_LABEL.delivered);
    expect(factOf(result, '下单时间')).toBe(showTime(order.createdAt));
    expect(factOf(result, '实付金额')).toBe(yuan(order.payment.amount));
    expect(factOf(result, '签收时间')).toBe(showTime(order.deliveredAt!));
    const shipment = await book.shipmentOf(order.id);
    expect(factOf(result, '运单号')).toBe(shipment!.trackingNumber);
  });

  it("another customer's order is not_found, exactly like a missing one", async () => {
    const order = pick((o) => o.status === 'shipped');
    const stranger = otherCustomer(order);
    const foreign = await tools.call('get_order_details', { order_id: order.id }, as(stranger));
    const missing = await tools.call('get_order_details', { order_id: 'DD20240101999999' }, as(stranger));
    expect(foreign.outcome).toBe('not_found');
    expect(foreign.message.replace(order.id, 'X')).toBe(missing.message.replace('DD20240101999999', 'X'));
    expect(JSON.stringify(foreign)).not.toContain(order.address.detail);
    const shipment = await book.shipmentOf(order.id);
    const byTracking = await tools.call(
      'track_shipment',
      { tracking_number: shipment!.trackingNumber },
      as(stranger),
    );
    expect(byTracking.outcome).toBe('not_found');
  });

  it('track_shipment by order id and by tracking number gives the carrier and latest event', async () => {
    const order = pick((o) => o.status === 'shipped');
    const shipment = (await book.shipmentOf(order.id))!;
    for (const args of [{ order_id: order.id }, { tracking_number: shipment.trackingNumber }]) {
      const result = await tools.call('track_shipment', args, as(order.customerId));
      expect(result.outcome).toBe('ok');
      expect(factOf(result, '承运商')).toBe(shipment.carrier);
      expect(factOf(result, '运单号')).toBe(shipment.trackingNumber);
      expect(factOf(result, '最新')).toContain(shipment.events.at(-1)!.description);
    }
    const unshipped = pick((o) => o.status === 'paid');
    const result = await tools.call('track_shipment', { order_id: unshipped.id }, as(unshipped.customerId));
    expect(factOf(result, '物流')).toBe('暂无物流信息');
  });

  it('list_my_orders lists only the customer’s orders, newest first, with a status filter', async () => {
    const customerId = orders[0]!.customerId;
    const mine = orders.filter((o) => o.customerId === customerId);
    const result = await tools.call('list_my_orders', { limit: 20 }, as(customerId));
    const listed = (result.data!.orders as { id: string }[]).map((o) => o.id);
    expect(listed.sort()).toEqual(
      mine
        .map((o) => o.id)
        .sort()
        .slice(0, 20),
    );
    const delivered = await tools.call('list_my_orders', { status: 'delivered' }, as(customerId));
    for (const o of delivered.data!.orders as { status: string }[]) expect(o.status).toBe('delivered');
  });

  it('find_customer confirms only the authenticated customer', async () => {
    const [me, other] = await book.allCustomers();
    const ok = await tools.call('find_customer', { phone: me!.phone }, as(me!.id));
    expect(ok.outcome).toBe('ok');
    expect(ok.data).toEqual({ customer_id: me!.id });
    expect(factOf(ok, '当前账号')).not.toContain(me!.phone);
    const theirs = await tools.call('find_customer', { phone: other!.phone }, as(me!.id));
    expect(theirs.outcome).toBe('not_found');
    expect(JSON.stringify(theirs)).not.toContain(other!.id);
  });

  it('product tools: details by model, compare, stock by product + options', async () => {
    const product = [...products.values()][0]!;
    const details = await tools.call('get_product_details', { model: product.model }, as('C100001'));
    expect(factOf(details, '商品')).toBe(product.name);
    expect(factOf(details, '型号')).toBe(product.model);
    const low = Math.min(...product.variants.map((v) => v.price));
    expect(factOf(details, '最低价')).toContain(yuan(low));
    const other = [...products.values()][1]!;
    const compared = await tools.call(
      'compare_products',
      { products: [product.model, other.id] },
      as('C100001'),
    );
    expect(factOf(compared, '商品1')).toContain(product.name);
    expect(factOf(compared, '商品2')).toContain(other.name);
    const variant = product.variants[1]!;
    const stock = await tools.call(
      'check_stock',
      { product_id: product.id, options: variant.options },
      as('C100001'),
    );
    expect(factOf(stock, 'SKU')).toBe(variant.sku);
    expect(factOf(stock, '库存')).toBe(`${variant.stock}件`);
    const bySku = await tools.call('check_stock', { sku: variant.sku }, as('C100001'));
    expect(factOf(bySku, '价格')).toBe(yuan(variant.price));
  });

  it('check_return_eligibility follows the shop’s windows', async () => {
    const fresh = pick(returnable);
    const ok = await tools.call('check_return_eligibility', { order_id: fresh.id }, as(fresh.customerId));
    expect(ok.outcome).toBe('ok');
    expect(factOf(ok, '已签收天数')).toBe(`${deliveredDaysAgo(fresh)}天`);
    const old = pick((o) => o.status === 'delivered' && deliveredDaysAgo(o) >= 15);
    const late = await tools.call('check_return_eligibility', { order_id: old.id }, as(old.customerId));
    expect(factOf(late, '质量问题退换')).toContain('已超过15天');
    const paid = pick((o) => o.status === 'paid');
    const refused = await tools.call('check_return_eligibility', { order_id: paid.id }, as(paid.customerId));
    expect(refused.outcome).toBe('refused');
  });
});

describe('kefu changes', () => {
  it('cancel: no confirmation changes nothing; confirmed cancels once; the same key replays', async () => {
    const order = pick((o) => o.status === 'paid');
    const asking = await tools.call('cancel_pending_order', { order_id: order.id }, as(order.customerId));
    expect(asking.outcome).toBe('needs_confirmation');
    expect(asking.confirmation?.summary).toContain(order.id);
    expect((await book.order(order.id))!.status).toBe('paid');
    expect(await book.actions({ customerId: order.customerId })).toEqual([]);

    const context = as(order.customerId, { confirmed: true, key: `cancel:${order.id}` });
    const done = await tools.call('cancel_pending_order', { order_id: order.id }, context);
    expect(done.outcome).toBe('ok');
    expect(factOf(done, '退款金额')).toBe(yuan(order.payment.amount));
    const stored = (await book.order(order.id))!;
    expect(stored.status).toBe('cancelled');
    expect(stored.cancelledAt).toBe(now);

    const again = await tools.call('cancel_pending_order', { order_id: order.id }, context);
    expect(again).toEqual(done);
    const actions = await book.actions({ customerId: order.customerId });
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ key: context.idempotencyKey, tool: 'cancel_pending_order' });

    const fresh = await tools.call(
      'cancel_pending_order',
      { order_id: order.id },
      as(order.customerId, { confirmed: true }),
    );
    expect(fresh.outcome).toBe('refused');
  });

  it('cancel of a shipped order is refused; another customer’s is not_found and changes nothing', async () => {
    const shipped = pick((o) => o.status === 'shipped');
    const refused = await tools.call(
      'cancel_pending_order',
      { order_id: shipped.id },
      as(shipped.customerId, { confirmed: true }),
    );
    expect(refused.outcome).toBe('refused');
    expect(refused.message).toContain('已发货');
    const paid = pick((o) => o.status === 'paid');
    const foreign = await tools.call(
      'cancel_pending_order',
      { order_id: paid.id },
      as(otherCustomer(paid), { confirmed: true }),
    );
    expect(foreign.outcome).toBe('not_found');
    expect((await book.order(paid.id))!.status).toBe('paid');
  });

  it('a key used by another customer or tool is not replayed to them', async () => {
    const order = pick((o) => o.status === 'pending');
    const key = `shared:${order.id}`;
    await tools.call(
      'cancel_pending_order',
      { order_id: order.id },
      as(order.customerId, { confirmed: true, key }),
    );
    const stolen = await tools.call(
      'cancel_pending_order',
      { order_id: order.id },
      as(otherCustomer(order), { confirmed: true, key }),
    );
    expect(stolen.outcome).toBe('invalid');
    expect(stolen.message).toContain('idempotencyKey');
  });

  it('request_return inside the window creates one request with the refund; outside it is refused', async () => {
    const order = pick(returnable);
    const context = as(order.customerId, { confirmed: true });
    const done = await tools.call('request_return', { order_id: order.id }, context);
    expect(done.outcome).toBe('ok');
    const refund = order.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0);
    expect(factOf(done, '退款金额')).toBe(yuan(refund));
    const requests = await book.returnsOf(order.id);
    expect(requests.at(-1)).toMatchObject({
      type: 'return',
      status: 'requested',
      refundAmount: refund,
      createdAt: now,
    });
    const twice = await tools.call(
      'request_return',
      { order_id: order.id },
      as(order.customerId, { confirmed: true }),
    );
    expect(twice.outcome).toBe('refused');
    expect(await book.returnsOf(order.id)).toHaveLength(requests.length);

    const late = pick(
      (o) => o.status === 'delivered' && deliveredDaysAgo(o) >= 7 && deliveredDaysAgo(o) < 15,
    );
    const tooLate = await tools.call(
      'request_return',
      { order_id: late.id },
      as(late.customerId, { confirmed: true }),
    );
    expect(tooLate.outcome).toBe('refused');
    const quality = await tools.call(
      'request_return',
      { order_id: late.id, quality_issue: true },
      as(late.customerId),
    );
    expect(quality.outcome).toBe('needs_confirmation');
  });

  it('request_return refuses more units than were ordered', async () => {
    const order = pick(returnable);
    const item = order.items[0]!;
    const result = await tools.call(
      'request_return',
      { order_id: order.id, skus: [item.sku], quantity: item.quantity + 1 },
      as(order.customerId, { confirmed: true }),
    );
    expect(result.outcome).toBe('refused');
    expect(factOf(result, '可退数量')).toBe(`${item.quantity}件`);
  });

  it('request_exchange to another in-stock option at the same price, once per order', async () => {
    const order = pick((o) => {
      if (o.status !== 'delivered' || deliveredDaysAgo(o) >= 15 || o.items.length !== 1) return false;
      const item = o.items[0]!;
      const p = products.get(item.productId)!;
      return p.variants.some((v) => v.sku !== item.sku && v.price === item.unitPrice && v.stock > 0);
    });
    const item = order.items[0]!;
    const target = products
      .get(item.productId)!
      .variants.find((v) => v.sku !== item.sku && v.price === item.unitPrice && v.stock > 0)!;
    const done = await tools.call(
      'request_exchange',
      { order_id: order.id, exchange_sku: target.sku },
      as(order.customerId, { confirmed: true }),
    );
    expect(done.outcome).toBe('ok');
    expect((await book.returnsOf(order.id)).at(-1)).toMatchObject({
      type: 'exchange',
      items: [{ sku: item.sku, quantity: 1, exchangeSku: target.sku }],
    });
    const second = await tools.call(
      'request_exchange',
      { order_id: order.id, exchange_sku: target.sku },
      as(order.customerId, { confirmed: true }),
    );
    expect(second.outcome).toBe('refused');
  });

  it('modify_pending_order_address and change_default_address change only after confirmation', async () => {
    const order = pick((o) => o.status === 'pending');
    const address = { province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路1号' };
    const ask = await tools.call(
      'modify_pending_order_address',
      { order_id: order.id, ...address },
      as(order.customerId),
    );
    expect(ask.outcome).toBe('needs_confirmation');
    expect((await book.order(order.id))!.address).toEqual(order.address);
    await tools.call(
      'modify_pending_order_address',
      { order_id: order.id, ...address },
      as(order.customerId, { confirmed: true }),
    );
    expect((await book.order(order.id))!.address).toMatchObject({
      ...address,
      recipient: order.address.recipient,
    });

    const changed = await tools.call(
      'change_default_address',
      address,
      as(order.customerId, { confirmed: true }),
    );
    expect(changed.outcome).toBe('ok');
    const customer = (await book.customer(order.customerId))!;
    expect(customer.addresses.filter((a) => a.isDefault)).toEqual([expect.objectContaining(address)]);
  });
});
