/**
 * kefu records → τ-bench retail records for export. A record imported from τ-bench is written
 * back as its `source` (which the τ-bench tools keep up to date); any other record (say, the
 * sample shop exported as τ-bench) is built from kefu's fields: fen ÷ 100 to dollars, one item
 * per unit, each shipment as a fulfillment, statuses mapped back. No I/O.
 */
import type { WithSource } from '../order-book.js';
import type { Address, Customer, Order, OrderStatus, PaymentMethod, Product } from '../types.js';
import type { ShopData } from './shop-data.js';
import { TAU_PAYMENT } from './tau-bench-schemas.js';

const dollars = (fen: number) => fen / 100;

const KEFU_TO_TAU_STATUS: Record<OrderStatus, string> = {
  pending: 'pending',
  paid: 'processed',
  shipped: 'processed',
  delivered: 'delivered',
  cancelled: 'cancelled',
  returned: 'return requested',
  exchanged: 'exchange requested',
};

const PAYMENT_KIND = Object.fromEntries(
  Object.entries(TAU_PAYMENT).map(([kind, method]) => [method, kind]),
) as Record<PaymentMethod, string>;

/** The payment-method id a kefu order's method gets in τ-bench (one per kind and customer). */
const paymentIdOf = (order: Order) => `${PAYMENT_KIND[order.payment.method]}_1`;

function tauAddressOf(address: Address | undefined) {
  return {
    address1: address?.detail ?? '',
    address2: '',
    city: address?.city ?? '',
    country: '',
    state: address?.province ?? '',
    zip: '',
  };
}

export function tauUserOf(customer: WithSource<Customer>, data: ShopData): Record<string, unknown> {
  if (customer.source) return customer.source;
  const [first = '', ...rest] = customer.name.split(' ');
  const orders = data.orders.filter((o) => o.customerId === customer.id);
  const methods = [...new Set(orders.map(paymentIdOf))].sort();
  return {
    name: { first_name: first, last_name: rest.join(' ') },
    address: tauAddressOf(customer.addresses.find((a) => a.isDefault) ?? customer.addresses[0]),
    email: customer.email,
    payment_methods: Object.fromEntries(methods.map((id) => [id, { source: id.replace(/_\d+$/, ''), id }])),
    orders: orders.map((o) => o.id),
  };
}

export function tauProductOf(product: WithSource<Product>): Record<string, unknown> {
  if (product.source) return product.source;
  return {
    name: product.name,
    product_id: product.id,
    variants: Object.fromEntries(
      product.variants.map((v) => [
        v.sku,
        { item_id: v.sku, options: v.options, available: v.stock > 0, price: dollars(v.price) },
      ]),
    ),
  };
}

export function tauOrderOf(order: WithSource<Order>, data: ShopData): Record<string, unknown> {
  if (order.source) return order.source;
  const items = order.items.flatMap((item) =>
    Array.from({ length: item.quantity }, () => ({
      name: item.name,
      product_id: item.productId,
      item_id: item.sku,
      price: dollars(item.unitPrice),
      options: item.options,
    })),
  );
  return {
    order_id: order.id,
    user_id: order.customerId,
    address: tauAddressOf(order.address),
    items,
    fulfillments: data.shipments
      .filter((s) => s.orderId === order.id)
      .map((s) => ({ tracking_id: [s.trackingNumber], item_ids: order.items.map((i) => i.sku) })),
    status: KEFU_TO_TAU_STATUS[order.status],
    payment_history:
      order.payment.paidAt === null
        ? []
        : [
            {
              transaction_type: 'payment',
              amount: dollars(order.payment.amount),
              payment_method_id: paymentIdOf(order),
            },
          ],
  };
}
