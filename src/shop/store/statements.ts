/**
 * The order book's prepared statements, compiled once per connection. SQL only: no conversion
 * (./rows.ts) and no transaction handling (./sqlite-order-book.ts).
 */
import type Database from 'better-sqlite3';
import type {
  ActionRow,
  AddressRow,
  CustomerRow,
  InfoRow,
  ItemRow,
  OrderRow,
  ProductRow,
  ReturnItemRow,
  ReturnRow,
  ShipmentRow,
  VariantRow,
} from './rows.js';

export function prepareStatements(db: Database.Database) {
  const get = <R, P extends unknown[] = [string]>(sql: string) => db.prepare<P, R>(sql);
  return {
    info: get<InfoRow, []>('SELECT name, flavor, now, policy FROM shop_info WHERE id = 1'),
    setInfo: db.prepare(
      `INSERT INTO shop_info (id, name, flavor, now, policy) VALUES (1, @name, @flavor, @now, @policy)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, flavor = excluded.flavor, now = excluded.now,
         policy = excluded.policy`,
    ),
    policyDocuments: get<{ slug: string; title: string; markdown: string }, []>(
      'SELECT slug, title, markdown FROM shop_policy_documents ORDER BY rowid',
    ),
    putPolicyDocument: db.prepare(
      `INSERT INTO shop_policy_documents (slug, title, markdown) VALUES (@slug, @title, @markdown)
       ON CONFLICT (slug) DO UPDATE SET title = excluded.title, markdown = excluded.markdown`,
    ),

    customer: get<CustomerRow>('SELECT * FROM shop_customers WHERE id = ?'),
    allCustomers: get<CustomerRow, []>('SELECT * FROM shop_customers ORDER BY rowid'),
    addressesOf: get<AddressRow>('SELECT * FROM shop_addresses WHERE customer_id = ? ORDER BY position'),
    allAddresses: get<AddressRow, []>('SELECT * FROM shop_addresses ORDER BY customer_id, position'),
    putCustomer: db.prepare(
      `INSERT INTO shop_customers (id, name, phone, email, registered_at, zip, source)
       VALUES (@id, @name, @phone, @email, @registeredAt, @zip, @source)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email,
         registered_at = excluded.registered_at, zip = excluded.zip, source = excluded.source`,
    ),
    deleteAddresses: db.prepare('DELETE FROM shop_addresses WHERE customer_id = ?'),
    insertAddress: db.prepare(
      `INSERT INTO shop_addresses (customer_id, position, recipient, phone, province, city, district, detail, is_default)
       VALUES (@customerId, @position, @recipient, @phone, @province, @city, @district, @detail, @isDefault)`,
    ),

    product: get<ProductRow>('SELECT * FROM shop_products WHERE id = ?'),
    allProducts: get<ProductRow, []>('SELECT * FROM shop_products ORDER BY rowid'),
    variantsOf: get<VariantRow>('SELECT * FROM shop_variants WHERE product_id = ? ORDER BY position'),
    allVariants: get<VariantRow, []>('SELECT * FROM shop_variants ORDER BY product_id, position'),
    variant: get<VariantRow>('SELECT * FROM shop_variants WHERE sku = ?'),
    putProduct: db.prepare(
      `INSERT INTO shop_products (id, name, category, type, brand, model, description, specs, warranty_months,
         seven_day_return, manual, source)
       VALUES (@id, @name, @category, @type, @brand, @model, @description, @specs, @warrantyMonths,
         @sevenDayReturn, @manual, @source)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, type = excluded.type,
         brand = excluded.brand, model = excluded.model, description = excluded.description,
         specs = excluded.specs, warranty_months = excluded.warranty_months,
         seven_day_return = excluded.seven_day_return, manual = excluded.manual, source = excluded.source`,
    ),
    deleteVariants: db.prepare('DELETE FROM shop_variants WHERE product_id = ?'),
    insertVariant: db.prepare(
      `INSERT INTO shop_variants (sku, product_id, position, options, price, stock)
       VALUES (@sku, @productId, @position, @options, @price, @stock)`,
    ),

    order: get<OrderRow>('SELECT * FROM shop_orders WHERE id = ?'),
    ordersOf: get<OrderRow>(
      'SELECT * FROM shop_orders WHERE customer_id = ? ORDER BY created_at DESC, rowid DESC',
    ),
    allOrders: get<OrderRow, []>('SELECT * FROM shop_orders ORDER BY rowid'),
    itemsOf: get<ItemRow>('SELECT * FROM shop_order_items WHERE order_id = ? ORDER BY position'),
    allItems: get<ItemRow, []>('SELECT * FROM shop_order_items ORDER BY order_id, position'),
    putOrder: db.prepare(
      `INSERT INTO shop_orders (id, customer_id, created_at, status, shipping_fee, payment_method, payment_amount,
         paid_at, address, shipped_at, delivered_at, cancelled_at, source)
       VALUES (@id, @customerId, @createdAt, @status, @shippingFee, @paymentMethod, @paymentAmount, @paidAt,
         @address, @shippedAt, @deliveredAt, @cancelledAt, @source)
       ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, created_at = excluded.created_at,
         status = excluded.status, shipping_fee = excluded.shipping_fee, payment_method = excluded.payment_method,
         payment_amount = excluded.payment_amount, paid_at = excluded.paid_at, address = excluded.address,
         shipped_at = excluded.shipped_at, delivered_at = excluded.delivered_at,
         cancelled_at = excluded.cancelled_at, source = excluded.source`,
    ),
    deleteItems: db.prepare('DELETE FROM shop_order_items WHERE order_id = ?'),
    insertItem: db.prepare(
      `INSERT INTO shop_order_items (order_id, position, sku, product_id, name, options, quantity, unit_price)
       VALUES (@orderId, @position, @sku, @productId, @name, @options, @quantity, @unitPrice)`,
    ),

    shipmentOf: get<ShipmentRow>(
      'SELECT * FROM shop_shipments WHERE order_id = ? ORDER BY rowid DESC LIMIT 1',
    ),
    shipmentByTracking: get<ShipmentRow>('SELECT * FROM shop_shipments WHERE tracking_number = ?'),
    allShipments: get<ShipmentRow, []>('SELECT * FROM shop_shipments ORDER BY rowid'),
    putShipment: db.prepare(
      `INSERT INTO shop_shipments (tracking_number, order_id, carrier, status, shipped_at, estimated_delivery, events)
       VALUES (@trackingNumber, @orderId, @carrier, @status, @shippedAt, @estimatedDelivery, @events)
       ON CONFLICT (tracking_number) DO UPDATE SET order_id = excluded.order_id, carrier = excluded.carrier,
         status = excluded.status, shipped_at = excluded.shipped_at,
         estimated_delivery = excluded.estimated_delivery, events = excluded.events`,
    ),

    returnsOf: get<ReturnRow>('SELECT * FROM shop_returns WHERE order_id = ? ORDER BY created_at, rowid'),
    allReturns: get<ReturnRow, []>('SELECT * FROM shop_returns ORDER BY rowid'),
    returnItemsOf: get<ReturnItemRow>(
      'SELECT * FROM shop_return_items WHERE return_id = ? ORDER BY position',
    ),
    allReturnItems: get<ReturnItemRow, []>('SELECT * FROM shop_return_items ORDER BY return_id, position'),
    putReturn: db.prepare(
      `INSERT INTO shop_returns (id, order_id, type, reason, status, refund_amount, created_at, updated_at)
       VALUES (@id, @orderId, @type, @reason, @status, @refundAmount, @createdAt, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id, type = excluded.type, reason = excluded.reason,
         status = excluded.status, refund_amount = excluded.refund_amount, created_at = excluded.created_at,
         updated_at = excluded.updated_at`,
    ),
    deleteReturnItems: db.prepare('DELETE FROM shop_return_items WHERE return_id = ?'),
    insertReturnItem: db.prepare(
      `INSERT INTO shop_return_items (return_id, position, sku, quantity, exchange_sku)
       VALUES (@returnId, @position, @sku, @quantity, @exchangeSku)`,
    ),

    action: get<ActionRow>('SELECT * FROM shop_actions WHERE key = ?'),
    actions: get<ActionRow, [{ customerId: string | null; limit: number }]>(
      `SELECT * FROM shop_actions WHERE (@customerId IS NULL OR customer_id = @customerId)
       ORDER BY at DESC, rowid DESC LIMIT @limit`,
    ),
    recordAction: db.prepare(
      `INSERT INTO shop_actions (key, tool, customer_id, args, result, at)
       VALUES (@key, @tool, @customerId, @args, @result, @at)`,
    ),
  };
}

export type ShopStatements = ReturnType<typeof prepareStatements>;
