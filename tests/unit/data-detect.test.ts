import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectImport, previewWith } from '../../src/lib/data/detect';
import { EventImporter } from '../../src/lib/data/importer';
import { RowSplitter } from '../../src/lib/data/rows';

const fixture = (name: string): string => readFileSync(resolve(__dirname, '../fixtures', name), 'utf8');

describe('detectImport', () => {
  it('recognises UCI Online Retail: BOM, CRLF, comma, header, m/d/y, preset mapping', () => {
    const d = detectImport(fixture('online-retail-small.csv'), 'online-retail-small.csv');
    expect(d.delimiter).toBe(',');
    expect(d.hasHeader).toBe(true);
    expect(d.layout).toBe('online-retail');
    expect(d.columns[0]).toBe('InvoiceNo');
    expect(d.mapping).toEqual({ order: 0, item: 1, itemName: 2, quantity: 3, timestamp: 4, unitPrice: 5, customer: 6 });
    expect(d.dateFormat).toBe('mdy');
    expect(d.ambiguousDate).toBeNull();
    expect(d.notes).toContain('UTF-8 BOM removed');
    expect(d.sample[0]).toEqual(['536365', '85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', '6', '12/1/2010 8:26', '2.55', '17850', 'United Kingdom']);
  });

  it('uses the m/d/y convention of Online Retail when the sample cannot tell', () => {
    const head = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n536365,85123A,X,6,12/1/2010 8:26,2.55,17850,UK\n';
    const d = detectImport(head, 'Online Retail.csv');
    expect(d.dateFormat).toBe('mdy');
    expect(d.ambiguousDate).toBeNull();
  });

  it('recognises a semicolon event log with generic header names and ISO dates', () => {
    const d = detectImport(fixture('events-semicolon.csv'), 'events.csv');
    expect(d.delimiter).toBe(';');
    expect(d.layout).toBe('event-log');
    expect(d.mapping).toEqual({ customer: 0, item: 1, timestamp: 2, eventType: 3, quantity: 4, unitPrice: 5, category: 6, itemName: 7 });
    expect(d.dateFormat).toBe('iso');
  });

  it('maps common header spellings', () => {
    const d = detectImport('client,order_id,sku,date,qty,unit_price,total,rating,event,category,description\nc1,o1,s1,2024-01-02,1,2,2,5,buy,x,y\n', 'x.csv');
    expect(d.mapping).toEqual({ customer: 0, order: 1, item: 2, timestamp: 3, quantity: 4, unitPrice: 5, amount: 6, rating: 7, eventType: 8, category: 9, itemName: 10 });
  });

  it('recognises MovieLens ratings.csv and u.data', () => {
    const r = detectImport('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n', 'ratings.csv');
    expect(r.layout).toBe('movielens-ratings');
    expect(r.mapping).toEqual({ customer: 0, item: 1, rating: 2, timestamp: 3 });
    expect(r.dateFormat).toBe('unix-s');
    const u = detectImport('196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n', 'u.data');
    expect(u).toMatchObject({ delimiter: '\t', hasHeader: false, layout: 'movielens-udata', dateFormat: 'unix-s' });
    expect(u.mapping).toEqual({ customer: 0, item: 1, rating: 2, timestamp: 3 });
    expect(u.columns).toEqual(['column 1', 'column 2', 'column 3', 'column 4']);
  });

  it('recognises CDNOW with and without its header line', () => {
    const rows = ' 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n 00002 19970112  5   77.00\r\n';
    for (const head of [rows, ' customer_id  date number_of_cds  dollar_value\r\n' + rows]) {
      const d = detectImport(head, 'CDNOW_master.txt');
      expect(d).toMatchObject({ delimiter: 'whitespace', layout: 'cdnow', dateFormat: 'yyyymmdd' });
      expect(d.mapping).toEqual({ customer: 0, timestamp: 1, quantity: 2, amount: 3 });
    }
  });

  it('recognises one basket per line', () => {
    const d = detectImport('citrus fruit,semi-finished bread,margarine,ready soups\ntropical fruit,yogurt,coffee\nwhole milk\npip fruit,yogurt,cream cheese ,meat spreads\n', 'groceries.csv');
    expect(d).toMatchObject({ delimiter: ',', hasHeader: false, layout: 'baskets', dateFormat: null });
  });

  it('flags an undecidable day/month order instead of guessing', () => {
    const d = detectImport('customer,item,date\nc1,i1,01/02/2024\nc2,i2,03/04/2024\n', 'x.csv');
    expect(d.dateFormat).toBeNull();
    expect(d.ambiguousDate).toEqual({ column: 2, candidates: ['mdy', 'dmy'], examples: ['01/02/2024', '03/04/2024'] });
    expect(detectImport('customer,item,date\nc1,i1,01/02/2024\nc2,i2,13/04/2024\n', 'x.csv').dateFormat).toBe('dmy');
    expect(detectImport('customer,item,date\nc1,i1,01/02/2024\nc2,i2,04/13/2024\n', 'x.csv').dateFormat).toBe('mdy');
  });

  it('finds a header from text above numbers, and none over all-numeric rows', () => {
    expect(detectImport('a,b,c\n1,2,3\n4,5,6\n', 'x.csv').hasHeader).toBe(true);
    expect(detectImport('1,2,3\n4,5,6\n', 'x.csv').hasHeader).toBe(false);
  });

  it('ignores a partial last line of the head', () => {
    const d = detectImport('customer,item,qty\nc1,i1,1\nc2,i2,2\nc3,i3,3,"unfinished', 'x.csv');
    expect(d.sample).toEqual([
      ['c1', 'i1', '1'],
      ['c2', 'i2', '2'],
    ]);
  });
});

describe('previewWith', () => {
  it('re-splits the head with another delimiter and header flag', () => {
    const head = '\uFEFFa;b\n1;2\n3;4\n';
    expect(previewWith(head, ';', true)).toEqual({ columns: ['a', 'b'], sample: [['1', '2'], ['3', '4']] });
    expect(previewWith(head, ';', false, 2)).toEqual({ columns: ['column 1', 'column 2'], sample: [['a', 'b'], ['1', '2']] });
    expect(previewWith(head, ',', true).columns).toEqual(['a;b']);
  });
});

describe('detectImport fixes', () => {
  it('drops the empty column a trailing header delimiter makes, and imports the 4-field rows', async () => {
    const text = 'customer_id,item_id,date,amount,\nc1,i1,2024-01-02,1.5\nc2,i2,2024-01-03,2\nc3,i3,2024-01-04,3,\n';
    const d = detectImport(text, 'x.csv');
    expect(d.columns).toEqual(['customer_id', 'item_id', 'date', 'amount']);
    expect(d.mapping).toEqual({ customer: 0, item: 1, timestamp: 2, amount: 3 });
    expect(previewWith(text, ',', true).columns).toEqual(['customer_id', 'item_id', 'date', 'amount']);
    const imp = new EventImporter(d, 'x.csv');
    const s = new RowSplitter(d.delimiter, (f, l) => imp.addRow(f, l));
    s.push(text);
    s.end();
    const r = imp.finish();
    expect(r.report.rows).toBe(3);
    expect(r.report.badRowCount).toBe(0);
  });

  it('picks ; over , for semicolon files with decimal commas', () => {
    const withHeader = 'customer_id;unit_price;amount\n' + Array.from({ length: 30 }, (_, i) => `K${i};1,50;2,00\n`).join('');
    expect(detectImport(withHeader, 'x.csv').delimiter).toBe(';');
    const headerless = Array.from({ length: 30 }, (_, i) => `${i};1,5;2,25\n`).join('');
    expect(detectImport(headerless, 'x.csv').delimiter).toBe(';');
    // A real comma file with numeric cells stays a comma file.
    expect(detectImport('a,b,c\n1,2,3\n4,5,6\n', 'x.csv').delimiter).toBe(',');
    expect(detectImport('customer,item,note\nc1,i1,x;y\nc2,i2,z;w\n', 'x.csv').delimiter).toBe(',');
  });

  it('notes a file that has only a header', () => {
    for (const head of ['customer_id,item_id,date,amount\n', 'customer_id,item_id,date,amount', 'customer_id,item_id,date,amount\r\n\r\n']) {
      const d = detectImport(head, 'x.csv');
      expect(d.hasHeader, JSON.stringify(head)).toBe(true);
      expect(d.notes.some((n) => /no data rows/.test(n)), JSON.stringify(head)).toBe(true);
    }
    expect(detectImport('customer_id,item_id\nc1,i1\n', 'x.csv').notes.some((n) => /no data rows/.test(n))).toBe(false);
  });

  it('reads CR-only line ends', () => {
    const d = detectImport('customer,item,amount\rc1,i1,1\rc2,i2,2\r', 'mac.csv');
    expect(d).toMatchObject({ delimiter: ',', hasHeader: true, columns: ['customer', 'item', 'amount'] });
    expect(d.sample).toEqual([
      ['c1', 'i1', '1'],
      ['c2', 'i2', '2'],
    ]);
  });
});
