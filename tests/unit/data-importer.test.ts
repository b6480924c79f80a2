import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFileNode } from '../../src/lib/data/read-file.node.ts';
import { EventImporter } from '../../src/lib/data/importer';
import { RowSplitter } from '../../src/lib/data/rows';
import { DuplicateRows, HashSet53, hashFields } from '../../src/lib/data/hash';
import { Random } from '../../src/lib/random';
import { EVENT_TYPES, type EventChunk, type ImportSettings } from '../../src/lib/data/schema';

const fixture = (name: string): string => resolve(__dirname, '../fixtures', name);

/** All events of all chunks as plain objects with dictionary strings (the columnar round trip). */
function events(chunks: EventChunk[], dict: { customers: string[]; orders: string[]; items: string[] }) {
  const out = [];
  for (const c of chunks) {
    for (let i = 0; i < c.rows; i++) {
      out.push({
        customer: dict.customers[c.customer[i]],
        order: dict.orders[c.order[i]],
        item: dict.items[c.item[i]],
        time: c.time[i],
        quantity: c.quantity[i],
        amount: c.amount[i],
        rating: c.rating[i],
        type: EVENT_TYPES[c.eventType[i]],
      });
    }
  }
  return out;
}

describe('EventImporter on the Online Retail fixture', async () => {
  const { result, chunks } = await importFileNode(fixture('online-retail-small.csv'));

  it('counts lines, rows, customers, items, orders and dates', () => {
    expect(result.report.linesRead).toBe(11);
    expect(result.stats).toEqual({
      rows: 6,
      customers: 4,
      items: 6,
      orders: 5,
      categories: 0,
      firstTime: Date.UTC(2010, 11, 1, 8, 26),
      lastTime: Date.UTC(2010, 11, 13, 8, 45),
    });
  });

  it('classifies every bad row with its physical line and column', () => {
    expect(result.report.badRowCount).toBe(5);
    expect(result.report.badByReason).toEqual({ 'missing-customer': 1, duplicate: 1, 'bad-number': 1, 'bad-date': 1, 'field-count': 1 });
    expect(result.badRows.map((b) => [b.line, b.column, b.columnName, b.reason])).toEqual([
      [8, 7, 'CustomerID', 'missing-customer'],
      [9, null, null, 'duplicate'],
      [10, 4, 'Quantity', 'bad-number'],
      [11, 5, 'InvoiceDate', 'bad-date'],
      [12, null, null, 'field-count'],
    ]);
    expect(result.badRows[2].message).toBe('non-numeric quantity "abc" in column 4 (Quantity)');
    expect(result.badRows[2].value).toBe('abc');
    expect(result.badRows[3].message).toContain('unparseable date "13/45/2010 8:35" in column 5 (InvoiceDate)');
    expect(result.badRows[4].message).toBe('expected 8 fields, found 7');
    expect(result.report.firstBadRows).toEqual(result.badRows);
  });

  it('stores the good rows as columns, with the cancellation as a return of negative amount', () => {
    const ev = events(chunks, result.dictionaries);
    expect(ev.map((e) => [e.order, e.customer, e.item, e.type, e.quantity])).toEqual([
      ['536365', '17850', '85123A', 'purchase', 6],
      ['536365', '17850', '71053', 'purchase', 6],
      ['536366', '17850', '22633', 'purchase', 6],
      ['536367', '13047', '84879', 'purchase', 32],
      ['C536379', '14527', 'D', 'return', -1],
      ['536370', '12583', '22727', 'purchase', 24],
    ]);
    expect(ev[0].amount).toBeCloseTo(15.3, 10);
    expect(ev[4].amount).toBeCloseTo(-27.5, 10);
    expect(ev[3].time).toBe(Date.UTC(2010, 11, 1, 8, 34));
    expect(ev.every((e) => Number.isNaN(e.rating))).toBe(true);
    const names = result.dictionaries.itemNames;
    expect(names[result.dictionaries.items.indexOf('22633')]).toBe('HAND WARMER, UNION JACK');
    expect(names[result.dictionaries.items.indexOf('22727')]).toBe('ALARM CLOCK "BAKELIKE" RED');
    expect(names[result.dictionaries.items.indexOf('84879')]).toBe('ASSORTED COLOUR BIRD\r\nORNAMENT');
    expect(chunks).toHaveLength(1);
    expect(chunks[0].customer).toHaveLength(6);
  });
});

describe('EventImporter on the semicolon event log', async () => {
  const { result, chunks } = await importFileNode(fixture('events-semicolon.csv'));

  it('maps event types, decimal commas, zones and per-day orders', () => {
    const ev = events(chunks, result.dictionaries);
    expect(ev.map((e) => [e.customer, e.item, e.type, e.order])).toEqual([
      ['u1', 'p1', 'view', 'u1 2024-03-01'],
      ['u1', 'p1', 'cart', 'u1 2024-03-01'],
      ['u1', 'p1', 'purchase', 'u1 2024-03-01'],
      ['u2', 'p2', 'purchase', 'u2 2024-03-02'],
      ['u2', 'p2', 'return', 'u2 2024-03-03'],
      ['u3', 'p1', 'view', 'u3 2024-03-02'],
    ]);
    expect(ev[2].time).toBe(Date.UTC(2024, 2, 1, 8, 6));
    expect(ev[2].amount).toBe(25);
    expect(ev[4].amount).toBe(-5);
    expect(ev[4].quantity).toBe(-1);
    expect(ev[0].quantity).toBe(1);
    expect(ev[0].amount).toBeNaN();
    expect(result.unknownEventTypes).toEqual({ Wishlist: 1 });
    expect(result.stats).toMatchObject({ rows: 6, customers: 3, items: 2, orders: 4, categories: 2 });
    const d = result.dictionaries;
    expect(d.itemNames).toEqual(['Red shoe', 'Blue hat']);
    expect([...d.itemCategory].map((c) => d.categories[c])).toEqual(['shoes', 'hats']);
  });

  it('reports missing customer, item and date with their columns', () => {
    expect(result.badRows.map((b) => [b.line, b.column, b.reason, b.message])).toEqual([
      [8, 1, 'missing-customer', 'missing customer id in column 1 (user)'],
      [9, 2, 'missing-item', 'missing item id in column 2 (product)'],
      [10, 3, 'missing-date', 'missing date in column 3 (timestamp)'],
    ]);
  });
});

describe('EventImporter details', () => {
  const settings: ImportSettings = {
    delimiter: ',',
    hasHeader: true,
    columns: ['customer', 'item', 'rating'],
    layout: 'event-log',
    mapping: { customer: 0, item: 1, rating: 2 },
    dateFormat: null,
  };

  it('skips the header row it is given, makes rating events, accepts trailing empty cells', () => {
    const imp = new EventImporter(settings, 'x');
    const s = new RowSplitter(',', (f, l) => imp.addRow(f, l));
    s.push('customer,item,rating\nc1,i1,4\nc1,i2,5,,\nc2,i1,x\n');
    s.end();
    const r = imp.finish();
    expect(imp.linesRead).toBe(3);
    expect(imp.rowsAccepted).toBe(2);
    expect(r.badRows.map((b) => b.message)).toEqual(['non-numeric rating "x" in column 3 (rating)']);
    const ev = events(imp.takeChunks(), r.dictionaries);
    expect(ev.map((e) => [e.type, e.rating, e.order])).toEqual([
      ['rating', 4, 'c1'],
      ['rating', 5, 'c1'],
    ]);
  });

  it('refuses a mapped date column without a date format', () => {
    expect(() => new EventImporter({ ...settings, columns: ['c', 'i', 'd'], mapping: { customer: 0, item: 1, timestamp: 2 } }, 'x')).toThrow(/date format/);
  });

  it('keeps every bad row count exact', () => {
    const imp = new EventImporter(settings, 'x');
    imp.addRow(settings.columns, 1);
    for (let i = 0; i < 1000; i++) imp.addRow(['', 'i', '1'], i + 2);
    expect(imp.finish().report).toMatchObject({ badRowCount: 1000, badByReason: { 'missing-customer': 1000 } });
  });
});

describe('hashFields / HashSet53', () => {
  it('separates field boundaries and finds repeats', () => {
    expect(hashFields(['ab', 'c'], ',')).not.toBe(hashFields(['a', 'bc'], ','));
    expect(hashFields(['a', 'b'], ',')).toBe(hashFields(['a', 'b'], ','));
    expect(Number.isSafeInteger(hashFields(['x'], ','))).toBe(true);
    const set = new HashSet53(16);
    for (let i = 0; i < 10_000; i++) expect(set.add(hashFields([String(i)], ','))).toBe(true);
    for (let i = 0; i < 10_000; i += 7) expect(set.add(hashFields([String(i)], ','))).toBe(false);
    expect(set.size).toBe(10_000);
  });
});

describe('DuplicateRows', () => {
  it('finds exactly the repeats a Set finds: short and long orders, scattered rows, rows without an order', () => {
    const rng = new Random(17);
    for (const orders of [1, 3, 40, 5_000]) {
      const dup = new DuplicateRows(64);
      const seen = new Set<number>();
      let repeats = 0;
      for (let r = 0; r < 20_000; r++) {
        // A row: its order (-1: none) and content; equal rows have equal orders, as in a file.
        const order = rng.int(10) === 0 ? -1 : rng.int(orders);
        const h = hashFields([String(order), String(rng.int(order < 0 ? 3_000 : 40))], ',');
        const fresh = !seen.has(h);
        seen.add(h);
        if (!fresh) repeats++;
        expect(dup.add(h, order)).toBe(fresh);
      }
      // One order of 20,000 rows overflows its list into the shared table many times over.
      expect(repeats).toBeGreaterThan(1_000);
    }
  });

  it('finds exactly the repeats a Set finds when orders come in groups, some coming back later, some long', () => {
    const rng = new Random(23);
    const dup = new DuplicateRows(64);
    const seen = new Set<number>();
    let order = 0;
    let repeats = 0;
    for (let group = 0; group < 3_000; group++) {
      // Mostly a new order; sometimes an earlier one again (its block is no longer at the end).
      const o = rng.int(8) === 0 && order > 0 ? rng.int(order) : order++;
      // Now and then a long order; once one of 600 rows (past any short list's count).
      const rows = group === 1_500 ? 600 : rng.int(6) === 0 ? 10 + rng.int(30) : 1 + rng.int(4);
      for (let r = 0; r < rows; r++) {
        const h = hashFields([String(o), String(rng.int(rows === 600 ? 400 : 25))], ',');
        const fresh = !seen.has(h);
        seen.add(h);
        if (!fresh) repeats++;
        expect(dup.add(h, o)).toBe(fresh);
      }
    }
    expect(repeats).toBeGreaterThan(500);
  });

  it('tells apart hashes that differ only in their high bits', () => {
    const dup = new DuplicateRows();
    expect(dup.add(5, 0)).toBe(true);
    expect(dup.add(5 + 2 ** 32, 0)).toBe(true);
    expect(dup.add(5 + 2 ** 52, 0)).toBe(true);
    expect(dup.add(5 + 2 ** 32, 0)).toBe(false);
    expect(dup.add(5, 1)).toBe(true);
  });
});

/** Splits text into the importer and returns the result with its events. */
function runImport(settings: ImportSettings, text: string) {
  const imp = new EventImporter(settings, 'x');
  const s = new RowSplitter(settings.delimiter, (f, l) => imp.addRow(f, l));
  s.push(text);
  s.end();
  const result = imp.finish();
  return { result, ev: events(imp.takeChunks(), result.dictionaries) };
}

describe('EventImporter fixes', () => {
  const dated: ImportSettings = {
    delimiter: ',',
    hasHeader: true,
    columns: ['customer', 'item', 'date', 'amount'],
    layout: 'event-log',
    mapping: { customer: 0, item: 1, timestamp: 2, amount: 3 },
    dateFormat: 'unix-s',
  };

  it('turns an out-of-range Unix timestamp into a bad-date row instead of aborting', () => {
    const { result, ev } = runImport(dated, 'customer,item,date,amount\nc1,i1,1700000000,1\nc2,i2,99999999999999,2\nc3,i3,1700000001,3\n');
    expect(ev.map((e) => e.customer)).toEqual(['c1', 'c3']);
    expect(result.badRows.map((b) => [b.line, b.column, b.reason])).toEqual([[3, 3, 'bad-date']]);
    expect(result.badRows[0].message).toMatch(/implausible date "99999999999999"/);
    expect(result.badRows[0].message).toMatch(/1900–2200/);
  });

  it('rejects placeholder dates outside 1900–2200 as implausible', () => {
    const iso = { ...dated, dateFormat: 'iso' as const };
    const { result, ev } = runImport(iso, 'customer,item,date,amount\nc1,i1,0001-01-01,1\nc2,i2,9999-12-31,2\nc3,i3,2024-03-04 3:03,3\nc4,i4,1899-12-31,4\n');
    expect(ev.map((e) => [e.customer, e.time])).toEqual([['c3', Date.UTC(2024, 2, 4, 3, 3)]]);
    expect(result.badRows.map((b) => [b.line, b.reason])).toEqual([
      [2, 'bad-date'],
      [3, 'bad-date'],
      [5, 'bad-date'],
    ]);
    for (const b of result.badRows) expect(b.message).toMatch(/implausible/);
  });

  it('accepts 4-field rows under a header that ends in a delimiter', () => {
    // Columns as given by a caller that kept the empty fifth header cell.
    const s5: ImportSettings = { ...dated, columns: ['customer', 'item', 'date', 'amount', 'column 5'], dateFormat: 'iso' };
    const { result, ev } = runImport(s5, 'customer,item,date,amount,\nc1,i1,2024-01-02,1\nc2,i2,2024-01-03,2,\nc3,i3,2024-01-03\n');
    expect(ev.map((e) => [e.customer, e.amount])).toEqual([
      ['c1', 1],
      ['c2', 2],
    ]);
    expect(result.badRows.map((b) => [b.line, b.message])).toEqual([[4, 'expected 5 fields, found 3']]);
  });

  it('flags an import without accepted rows as empty', () => {
    const header = runImport(dated, 'customer,item,date,amount\n');
    expect(header.result.empty).toBe(true);
    expect(header.result.report.rows).toBe(0);
    const allBad = runImport(dated, 'customer,item,date,amount\n,i1,1700000000,1\nc2,i2,x,2\n');
    expect(allBad.result.empty).toBe(true);
    expect(allBad.result.report.badRowCount).toBe(2);
    expect(runImport(dated, 'customer,item,date,amount\nc1,i1,1700000000,1\n').result.empty).toBe(false);
  });

  it('keeps bad-row values and the cells quoted in messages to 200 characters', () => {
    const huge = 'z'.repeat(1_000_000);
    const { result } = runImport(dated, `customer,item,date,amount\nc1,i1,${huge},1\nc2,i2,1700000000,${huge}\nc3,${huge}\n`);
    expect(result.badRows.map((b) => b.reason)).toEqual(['bad-date', 'bad-number', 'field-count']);
    for (const b of result.badRows) {
      expect(b.value.length).toBeLessThanOrEqual(201);
      expect(b.message.length).toBeLessThan(400);
    }
    expect(result.badRows[0].message.startsWith(`unparseable date "${'z'.repeat(200)}…" in column 3 (date)`)).toBe(true);
    expect(result.badRows[1].message).toContain('in column 4 (amount)');
  });

  it('names each MovieLens rating order by its line', () => {
    const ml: ImportSettings = {
      delimiter: '\t',
      hasHeader: false,
      columns: ['column 1', 'column 2', 'column 3', 'column 4'],
      layout: 'movielens-udata',
      mapping: { customer: 0, item: 1, rating: 2, timestamp: 3 },
      dateFormat: 'unix-s',
    };
    const { result, ev } = runImport(ml, '196\t242\t3\t881250949\n186\t302\t3\t891717742\n\n22\t377\t1\t878887116\n');
    expect(ev.map((e) => e.order)).toEqual(['line 1', 'line 2', 'line 4']);
    expect(result.stats.orders).toBe(3);
  });
});
