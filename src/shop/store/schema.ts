/**
 * The order book's SQLite tables (migration area 'shop'): shop info, customers and addresses,
 * products and variants, orders with items and payment, shipments with events, return requests
 * with items, policy documents, and the action log keyed by idempotency key. STRICT tables, JSON
 * columns checked with json_valid, indexes for every lookup the tools make. Every record table
 * keeps `source` (the record as imported) and rowid order is import order, so export round-trips.
 * Append migrations; never edit one that has shipped. Does not: read or write records.
 */
import type { Migration } from '../../storage/migrations.js';

export const SHOP_AREA = 'shop';

export const shopMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'order book',
    sql: `
      CREATE TABLE shop_info (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        name   TEXT NOT NULL,
        flavor TEXT NOT NULL CHECK (flavor IN ('kefu', 'tau-bench')),
        now    TEXT NOT NULL,
        policy TEXT NOT NULL CHECK (json_valid(policy))
      ) STRICT;

      CREATE TABLE shop_customers (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        phone         TEXT NOT NULL,
        email         TEXT NOT NULL,
        registered_at TEXT NOT NULL,
        zip           TEXT NOT NULL DEFAULT '',
        source        TEXT CHECK (source IS NULL OR json_valid(source))
      ) STRICT;
      CREATE INDEX shop_customers_by_phone ON shop_customers (phone);
      CREATE INDEX shop_customers_by_email ON shop_customers (email COLLATE NOCASE);
      CREATE INDEX shop_customers_by_name ON shop_customers (name COLLATE NOCASE);

      CREATE TABLE shop_addresses (
        customer_id TEXT NOT NULL REFERENCES shop_customers (id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        recipient   TEXT NOT NULL,
        phone       TEXT NOT NULL,
        province    TEXT NOT NULL,
        city        TEXT NOT NULL,
        district    TEXT NOT NULL,
        detail      TEXT NOT NULL,
        is_default  INTEGER NOT NULL CHECK (is_default IN (0, 1)),
        PRIMARY KEY (customer_id, position)
      ) STRICT;

      CREATE TABLE shop_products (
        id                TEXT PRIMARY KEY,
        name              TEXT NOT NULL,
        category          TEXT NOT NULL,
        type              TEXT NOT NULL,
        brand             TEXT NOT NULL,
        model             TEXT NOT NULL,
        description       TEXT NOT NULL,
        specs             TEXT NOT NULL CHECK (json_valid(specs)),
        warranty_months   INTEGER NOT NULL,
        seven_day_return  INTEGER NOT NULL CHECK (seven_day_return IN (0, 1)),
        manual            TEXT NOT NULL,
        source            TEXT CHECK (source IS NULL OR json_valid(source))
      ) STRICT;
      CREATE INDEX shop_products_by_model ON shop_products (model COLLATE NOCASE);
      CREATE INDEX shop_products_by_category ON shop_products (category);

      CREATE TABLE shop_variants (
        sku        TEXT PRIMARY KEY,
        product_id TEXT NOT NULL REFERENCES shop_products (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        options    TEXT NOT NULL CHECK (json_valid(options)),
        price      INTEGER NOT NULL,
        stock      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX shop_variants_by_product ON shop_variants (product_id, position);

      CREATE TABLE shop_orders (
        id              TEXT PRIMARY KEY,
        customer_id     TEXT NOT NULL REFERENCES shop_customers (id),
        created_at      TEXT NOT NULL,
        status          TEXT NOT NULL,
        shipping_fee    INTEGER NOT NULL,
        payment_method  TEXT NOT NULL,
        payment_amount  INTEGER NOT NULL,
        paid_at         TEXT,
        address         TEXT NOT NULL CHECK (json_valid(address)),
        shipped_at      TEXT,
        delivered_at    TEXT,
        cancelled_at    TEXT,
        source          TEXT CHECK (source IS NULL OR json_valid(source))
      ) STRICT;
      CREATE INDEX shop_orders_by_customer ON shop_orders (customer_id, created_at DESC);

      CREATE TABLE shop_order_items (
        order_id   TEXT NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        sku        TEXT NOT NULL,
        product_id TEXT NOT NULL,
        name       TEXT NOT NULL,
        options    TEXT NOT NULL CHECK (json_valid(options)),
        quantity   INTEGER NOT NULL,
        unit_price INTEGER NOT NULL,
        PRIMARY KEY (order_id, position)
      ) STRICT;

      CREATE TABLE shop_shipments (
        tracking_number    TEXT PRIMARY KEY,
        order_id           TEXT NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
        carrier            TEXT NOT NULL,
        status             TEXT NOT NULL,
        shipped_at         TEXT NOT NULL,
        estimated_delivery TEXT NOT NULL,
        events             TEXT NOT NULL CHECK (json_valid(events))
      ) STRICT;
      CREATE INDEX shop_shipments_by_order ON shop_shipments (order_id);

      CREATE TABLE shop_returns (
        id            TEXT PRIMARY KEY,
        order_id      TEXT NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
        type          TEXT NOT NULL CHECK (type IN ('return', 'exchange')),
        reason        TEXT NOT NULL,
        status        TEXT NOT NULL,
        refund_amount INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX shop_returns_by_order ON shop_returns (order_id, created_at);

      CREATE TABLE shop_return_items (
        return_id    TEXT NOT NULL REFERENCES shop_returns (id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        sku          TEXT NOT NULL,
        quantity     INTEGER NOT NULL,
        exchange_sku TEXT,
        PRIMARY KEY (return_id, position)
      ) STRICT;

      CREATE TABLE shop_policy_documents (
        slug     TEXT PRIMARY KEY,
        title    TEXT NOT NULL,
        markdown TEXT NOT NULL
      ) STRICT;

      CREATE TABLE shop_actions (
        key         TEXT PRIMARY KEY,
        tool        TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        args        TEXT NOT NULL CHECK (json_valid(args)),
        result      TEXT NOT NULL CHECK (json_valid(result)),
        at          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX shop_actions_by_customer ON shop_actions (customer_id, at DESC);
    `,
  },
];

/** Every record table, children before parents: the order to clear them in. */
export const SHOP_TABLES = [
  'shop_actions',
  'shop_return_items',
  'shop_returns',
  'shop_shipments',
  'shop_order_items',
  'shop_orders',
  'shop_variants',
  'shop_products',
  'shop_addresses',
  'shop_customers',
  'shop_policy_documents',
  'shop_info',
] as const;
