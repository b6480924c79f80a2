import { describe, expect, it } from 'vitest';
import { EMPTY, INVALID, isNumeric, parseNumber } from '../../src/lib/data/numbers';
import { EventImporter } from '../../src/lib/data/importer';
import { RowSplitter } from '../../src/lib/data/rows';
import type { ImportSettings } from '../../src/lib/data/schema';

describe('parseNumber', () => {
  it('reads plain numbers, blanks and decimal commas as before', () => {
    expect(parseNumber('12.5', false)).toBe(12.5);
    expect(parseNumber(' -3 ', false)).toBe(-3);
    expect(parseNumber('', false)).toBe(EMPTY);
    expect(parseNumber('  ', false)).toBe(EMPTY);
    expect(parseNumber('12,50', true)).toBe(12.5);
    expect(parseNumber('12,50', false)).toBe(INVALID);
    expect(parseNumber('abc', false)).toBe(INVALID);
    expect(parseNumber('Infinity', false)).toBe(INVALID);
  });

  it('reads thousands separators with the decimal mark of the file', () => {
    expect(parseNumber('1,234.50', false)).toBe(1234.5);
    expect(parseNumber('-1,234,567', false)).toBe(-1234567);
    expect(parseNumber('1.234,50', true)).toBe(1234.5);
    expect(parseNumber('1.234.567', true)).toBe(1234567);
    expect(parseNumber('1 234,50', true)).toBe(1234.5);
    expect(parseNumber('1\u00a0234,50', true)).toBe(1234.5);
    expect(parseNumber("1'234.50", false)).toBe(1234.5);
    // Groups must have three digits and one separator kind.
    expect(parseNumber('1,23.50', false)).toBe(INVALID);
    expect(parseNumber('1,234 567', false)).toBe(INVALID);
    expect(parseNumber('1.234,50', false)).toBe(INVALID);
    expect(parseNumber('12 34', false)).toBe(INVALID);
  });

  it('ignores one currency sign before or after the number', () => {
    expect(parseNumber('$12.50', false)).toBe(12.5);
    expect(parseNumber('-$12.50', false)).toBe(-12.5);
    expect(parseNumber('$-12.50', false)).toBe(-12.5);
    expect(parseNumber('€12,50', true)).toBe(12.5);
    expect(parseNumber('12.50 €', false)).toBe(12.5);
    expect(parseNumber('£1,234.50', false)).toBe(1234.5);
    expect(parseNumber('1.234,50 €', true)).toBe(1234.5);
    expect(parseNumber('$', false)).toBe(INVALID);
    expect(parseNumber('$$12', false)).toBe(INVALID);
  });

  it('rejects hex, binary and octal literals', () => {
    for (const s of ['0x10', '0X1F', '0b1', '0o7', ' 0x10', '$0x10']) expect(parseNumber(s, false), s).toBe(INVALID);
    expect(parseNumber('0', false)).toBe(0);
    expect(parseNumber('0.5', false)).toBe(0.5);
    expect(parseNumber('007', false)).toBe(7);
    expect(isNumeric('0x10')).toBe(false);
    expect(isNumeric('10')).toBe(true);
  });
});

describe('EventImporter number formats', () => {
  function run(delimiter: ',' | ';', text: string) {
    const settings: ImportSettings = {
      delimiter,
      hasHeader: true,
      columns: ['customer', 'item', 'amount'],
      layout: 'event-log',
      mapping: { customer: 0, item: 1, amount: 2 },
      dateFormat: null,
    };
    const imp = new EventImporter(settings, 'x');
    const s = new RowSplitter(delimiter, (f, l) => imp.addRow(f, l));
    s.push(text);
    s.end();
    const r = imp.finish();
    return { amounts: [...imp.takeChunks()[0].amount], bad: r.badRows.map((b) => [b.line, b.reason]) };
  }

  it('reads quoted "1,234.50" and $12.50 in a comma file, rejects 0x10', () => {
    expect(run(',', 'customer,item,amount\nc1,i1,"1,234.50"\nc2,i2,$12.50\nc3,i3,0x10\n')).toEqual({ amounts: [1234.5, 12.5], bad: [[4, 'bad-number']] });
  });

  it('reads 1.234,50 and 12,50 € in a semicolon file', () => {
    expect(run(';', 'customer;item;amount\nc1;i1;1.234,50\nc2;i2;12,50 €\n')).toEqual({ amounts: [1234.5, 12.5], bad: [] });
  });
});
