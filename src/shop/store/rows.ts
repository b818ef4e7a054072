/**
 * Row shapes of the order-book tables and their conversion to and from kefu's record types:
 * JSON columns parsed, 0/1 as booleans, NULL optional timestamps left out (so a stored record
 * deep-equals the one put in). No SQL here.
 */
import type { ActionRecord, ShopInfo, WithSource } from '../order-book.js';
import type {
  Address,
  Customer,
  Order,
  OrderItem,
  Product,
  ReturnItem,
  ReturnRequest,
  Shipment,
  Variant,
} from '../types.js';

export interface InfoRow {
  name: string;
  flavor: string;
  now: string;
  policy: string;
}
export interface CustomerRow {
  id: string;
  name: string;
  phone: string;
  email: string;
  registered_at: string;
  zip: string;
  source: string | null;
}
export interface AddressRow {
  customer_id: string;
  position: number;
  recipient: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  is_default: number;
}
export interface ProductRow {
  id: string;
  name: string;
  category: string;
  type: string;
  brand: string;
  model: string;
  description: string;
  specs: string;
  warranty_months: number;
  seven_day_return: number;
  manual: string;
  source: string | null;
}
export interface VariantRow {
  sku: string;
  product_id: string;
  position: number;
  options: string;
  price: number;
  stock: number;
}
export interface OrderRow {
  id: string;
  customer_id: string;
  created_at: string;
  status: string;
  shipping_fee: number;
  payment_method: string;
  payment_amount: number;
  paid_at: string | null;
  address: string;
  shipped_at: string | null;
  delivered_at: string | null;
  cancelled_at: string | null;
  source: string | null;
}
export interface ItemRow {
  order_id: string;
  position: number;
  sku: string;
  product_id: string;
  name: string;
  options: string;
  quantity: number;
  unit_price: number;
}
export interface ShipmentRow {
  tracking_number: string;
  order_id: string;
  carrier: string;
  status: string;
  shipped_at: string;
  estimated_delivery: string;
  events: string;
}
export interface ReturnRow {
  id: string;
  order_id: string;
  type: string;
  reason: string;
  status: string;
  refund_amount: number;
  created_at: string;
  updated_at: string;
}
export interface ReturnItemRow {
  return_id: string;
  position: number;
  sku: string;
  quantity: number;
  exchange_sku: string | null;
}
export interface ActionRow {
  key: string;
  tool: string;
  customer_id: string;
  args: string;
  result: string;
  at: string;
}

const withSource = <T extends object>(record: T, source: string | null): WithSource<T> =>
  source === null ? record : { ...record, source: JSON.parse(source) as Record<string, unknown> };

export const sourceText = (record: { source?: Record<string, unknown> }): string | null =>
  record.source === undefined ? null : JSON.stringify(record.source);

export const toInfo = (row: InfoRow): ShopInfo => ({
  name: row.name,
  flavor: row.flavor as ShopInfo['flavor'],
  now: row.now,
  policy: JSON.parse(row.policy),
});

export const toAddress = (row: AddressRow): Address => ({
  recipient: row.recipient,
  phone: row.phone,
  province: row.province,
  city: row.city,
  district: row.district,
  detail: row.detail,
  isDefault: row.is_default === 1,
});

export const toCustomer = (row: CustomerRow, addresses: AddressRow[]): WithSource<Customer> =>
  withSource(
    {
      id: row.id,
      name: row.name,
      phone: row.phone,
      email: row.email,
      registeredAt: row.registered_at,
      addresses: addresses.map(toAddress),
    },
    row.source,
  );

export const toVariant = (row: VariantRow): Variant => ({
  sku: row.sku,
  options: JSON.parse(row.options),
  price: row.price,
  stock: row.stock,
});

export const toProduct = (row: ProductRow, variants: VariantRow[]): WithSource<Product> =>
  withSource(
    {
      id: row.id,
      name: row.name,
      category: row.category as Product['category'],
      type: row.type,
      brand: row.brand,
      model: row.model,
      description: row.description,
      specs: JSON.parse(row.specs),
      variants: variants.map(toVariant),
      warrantyMonths: row.warranty_months,
      sevenDayReturn: row.seven_day_return === 1,
      manual: row.manual,
    },
    row.source,
  );

const toItem = (row: ItemRow): OrderItem => ({
  sku: row.sku,
  productId: row.product_id,
  name: row.name,
  options: JSON.parse(row.options),
  quantity: row.quantity,
  unitPrice: row.unit_price,
});

export function toOrder(row: OrderRow, items: ItemRow[]): WithSource<Order> {
  const order: Order = {
    id: row.id,
    customerId: row.customer_id,
    createdAt: row.created_at,
    status: row.status as Order['status'],
    items: items.map(toItem),
    shippingFee: row.shipping_fee,
    payment: {
      method: row.payment_method as Order['payment']['method'],
      amount: row.payment_amount,
      paidAt: row.paid_at,
    },
    address: JSON.parse(row.address),
  };
  if (row.shipped_at !== null) order.shippedAt = row.shipped_at;
  if (row.delivered_at !== null) order.deliveredAt = row.delivered_at;
  if (row.cancelled_at !== null) order.cancelledAt = row.cancelled_at;
  return withSource(order, row.source);
}

export const toShipment = (row: ShipmentRow): Shipment => ({
  orderId: row.order_id,
  carrier: row.carrier as Shipment['carrier'],
  trackingNumber: row.tracking_number,
  status: row.status as Shipment['status'],
  shippedAt: row.shipped_at,
  estimatedDelivery: row.estimated_delivery,
  events: JSON.parse(row.events),
});

const toReturnItem = (row: ReturnItemRow): ReturnItem =>
  row.exchange_sku === null
    ? { sku: row.sku, quantity: row.quantity }
    : { sku: row.sku, quantity: row.quantity, exchangeSku: row.exchange_sku };

export const toReturn = (row: ReturnRow, items: ReturnItemRow[]): ReturnRequest => ({
  id: row.id,
  orderId: row.order_id,
  type: row.type as ReturnRequest['type'],
  reason: row.reason,
  status: row.status as ReturnRequest['status'],
  items: items.map(toReturnItem),
  refundAmount: row.refund_amount,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toAction = (row: ActionRow): ActionRecord => ({
  key: row.key,
  tool: row.tool,
  customerId: row.customer_id,
  args: JSON.parse(row.args),
  result: JSON.parse(row.result),
  at: row.at,
});

/** The postal code a customer is found by: τ-bench keeps it in the source record's address. */
export function postalCodeOf(customer: WithSource<Customer>): string {
  const address = customer.source?.address as { zip?: unknown } | undefined;
  return typeof address?.zip === 'string' ? address.zip : '';
}
