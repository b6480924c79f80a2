// Header names → roles. Names are compared after lower-casing and dropping everything but letters
// and digits, so "Customer ID", "customer_id" and "CustomerID" are one name.

import type { Mapping, Role } from './schema';

/** Known header names per role, most specific first. Order of roles = priority when names clash. */
const SYNONYMS: [Role, string[]][] = [
  ['customer', ['customerid', 'customer', 'custid', 'customerno', 'customernumber', 'userid', 'user', 'clientid', 'client', 'visitorid', 'visitor', 'memberid', 'member', 'buyerid', 'buyer', 'accountid', 'shopperid', 'shopper']],
  ['order', ['orderid', 'order', 'invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'ordernumber', 'orderno', 'transactionid', 'transaction', 'basketid', 'basket', 'receiptid', 'receipt', 'txnid']],
  ['item', ['itemid', 'item', 'productid', 'product', 'sku', 'skuid', 'stockcode', 'articleid', 'article', 'movieid', 'movie', 'productcode', 'itemcode', 'asin', 'isbn']],
  ['itemName', ['name', 'itemname', 'productname', 'description', 'productdescription', 'itemdescription', 'title']],
  ['category', ['category', 'categoryname', 'categoryid', 'productcategory', 'department', 'genre']],
  ['timestamp', ['timestamp', 'date', 'datetime', 'time', 'invoicedate', 'orderdate', 'eventtime', 'eventdate', 'createdat', 'purchasedate', 'transactiondate', 'ts']],
  ['quantity', ['quantity', 'qty', 'units', 'numberofcds', 'quantityordered', 'count', 'numitems']],
  ['unitPrice', ['unitprice', 'price', 'priceeach', 'itemprice', 'unitcost']],
  ['amount', ['amount', 'total', 'totalprice', 'linetotal', 'revenue', 'sales', 'dollarvalue', 'value', 'spend']],
  ['rating', ['rating', 'score', 'stars']],
  ['eventType', ['eventtype', 'event', 'type', 'action', 'eventname', 'interaction']],
];

export function normaliseHeader(name: string): string {
  let out = '';
  const s = name.toLowerCase();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += s[i];
  }
  return out;
}

/** True when at least one header cell is a known role name (a strong sign the row is a header). */
export function looksLikeHeader(cells: readonly string[]): boolean {
  return cells.some((c) => roleOfName(normaliseHeader(c)) !== null);
}

function roleOfName(norm: string): Role | null {
  for (const [role, names] of SYNONYMS) if (names.includes(norm)) return role;
  return null;
}

/**
 * Maps header names to roles: each role to the column whose name ranks best among its synonyms,
 * each column to at most one role.
 */
export function mapHeader(columns: readonly string[]): Mapping {
  const norm = columns.map(normaliseHeader);
  const mapping: Mapping = {};
  const taken = new Set<number>();
  for (const [role, names] of SYNONYMS) {
    let best = -1;
    let bestRank = Infinity;
    norm.forEach((n, col) => {
      const rank = names.indexOf(n);
      if (rank !== -1 && rank < bestRank && !taken.has(col)) {
        best = col;
        bestRank = rank;
      }
    });
    if (best !== -1) {
      mapping[role] = best;
      taken.add(best);
    }
  }
  return mapping;
}
