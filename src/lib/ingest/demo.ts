// The demo shop is imported through the same importer as a user's file, with the mapping its
// order-lines export is known to have.

import type { ImportSettings, Mapping, Role } from '../data/schema';

const DEMO_COLUMN_ROLES: Record<string, Role> = {
  order_id: 'order',
  customer_id: 'customer',
  item_id: 'item',
  item_name: 'itemName',
  category: 'category',
  timestamp: 'timestamp',
  quantity: 'quantity',
  unit_price: 'unitPrice',
};

export function demoImportSettings(columns: readonly string[]): ImportSettings {
  const mapping: Mapping = {};
  columns.forEach((column, index) => {
    const role = DEMO_COLUMN_ROLES[column];
    if (!role) throw new Error(`demo shop column "${column}" has no known role`);
    mapping[role] = index;
  });
  return {
    delimiter: ',',
    hasHeader: true,
    columns: [...columns],
    layout: 'event-log',
    mapping,
    dateFormat: 'iso',
  };
}
