/**
 * The write half of the SQLite order book: upserts of every record kind (a record's children —
 * addresses, variants, items, return items — are replaced with it, and a replaced record keeps
 * its rowid, hence its place in export order), policy documents, shop info, the action log, and
 * clearing everything. Every write must run inside the book's transaction; constraint failures
 * become InputErrors naming the record. Does not: begin or end transactions.
 */
import type Database from 'better-sqlite3';
import { InputError, RuntimeFailure } from '../../core/errors.js';
import { postalCodeOf, sourceText } from './rows.js';
import { SHOP_TABLES } from './schema.js';
import type { ShopStoreWriter } from './shop-store.js';
import type { ShopStatements } from './statements.js';

export function orderBookWriter(db: Database.Database, s: ShopStatements): ShopStoreWriter {
  /** Runs a write, turning constraint failures into InputErrors that name the record. */
  const write = (what: string, run: () => void) => {
    if (!db.inTransaction) {
      throw new RuntimeFailure(`${what}: order-book writes must run inside transaction()`, {
        code: 'E_SHOP_NO_TRANSACTION',
      });
    }
    try {
      run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
        throw new InputError(`cannot store ${what}: ${(error as Error).message}`, undefined, {
          code: 'E_SHOP_CONSTRAINT',
          cause: error,
          hint: 'every order needs its customer, every shipment and return its order',
        });
      }
      throw error;
    }
  };

  return {
    async setInfo(info) {
      write('the shop info', () => s.setInfo.run({ ...info, policy: JSON.stringify(info.policy) }));
    },
    async putPolicyDocument(document) {
      write(`policy document ${document.slug}`, () => s.putPolicyDocument.run(document));
    },
    async putCustomer(customer) {
      write(`customer ${customer.id}`, () => {
        s.putCustomer.run({
          id: customer.id,
          name: customer.name,
          phone: customer.phone,
          email: customer.email,
          registeredAt: customer.registeredAt,
          zip: postalCodeOf(customer),
          source: sourceText(customer),
        });
        s.deleteAddresses.run(customer.id);
        for (const [position, a] of customer.addresses.entries()) {
          s.insertAddress.run({ ...a, customerId: customer.id, position, isDefault: a.isDefault ? 1 : 0 });
        }
      });
    },
    async putProduct(product) {
      write(`product ${product.id}`, () => {
        s.putProduct.run({
          ...product,
          specs: JSON.stringify(product.specs),
          sevenDayReturn: product.sevenDayReturn ? 1 : 0,
          source: sourceText(product),
        });
        s.deleteVariants.run(product.id);
        for (const [position, v] of product.variants.entries()) {
          s.insertVariant.run({ ...v, productId: product.id, position, options: JSON.stringify(v.options) });
        }
      });
    },
    async putOrder(order) {
      write(`order ${order.id}`, () => {
        s.putOrder.run({
          id: order.id,
          customerId: order.customerId,
          createdAt: order.createdAt,
          status: order.status,
          shippingFee: order.shippingFee,
          paymentMethod: order.payment.method,
          paymentAmount: order.payment.amount,
          paidAt: order.payment.paidAt,
          address: JSON.stringify(order.address),
          shippedAt: order.shippedAt ?? null,
          deliveredAt: order.deliveredAt ?? null,
          cancelledAt: order.cancelledAt ?? null,
          source: sourceText(order),
        });
        s.deleteItems.run(order.id);
        for (const [position, item] of order.items.entries()) {
          s.insertItem.run({ ...item, orderId: order.id, position, options: JSON.stringify(item.options) });
        }
      });
    },
    async putShipment(shipment) {
      write(`shipment ${shipment.trackingNumber}`, () =>
        s.putShipment.run({ ...shipment, events: JSON.stringify(shipment.events) }),
      );
    },
    async putReturn(request) {
      write(`return request ${request.id}`, () => {
        s.putReturn.run({ ...request, items: null });
        s.deleteReturnItems.run(request.id);
        for (const [position, item] of request.items.entries()) {
          s.insertReturnItem.run({
            returnId: request.id,
            position,
            sku: item.sku,
            quantity: item.quantity,
            exchangeSku: item.exchangeSku ?? null,
          });
        }
      });
    },
    async recordAction(action) {
      if (s.action.get(action.key)) {
        throw new InputError(`action ${action.key} is already recorded`, undefined, {
          code: 'E_SHOP_DUPLICATE_ACTION',
          hint: 'look the key up with action(key) first and return its recorded result',
        });
      }
      write(`action ${action.key}`, () =>
        s.recordAction.run({
          ...action,
          args: JSON.stringify(action.args),
          result: JSON.stringify(action.result),
        }),
      );
    },
    async clear() {
      write('the order book', () => {
        for (const table of SHOP_TABLES) db.exec(`DELETE FROM ${table}`);
      });
    },
  };
}
