import { describe, expect, it } from 'vitest';
import { badRowsCsv, toCsv } from '../../src/lib/data/csv-export';
import { RowSplitter } from '../../src/lib/data/rows';

describe('toCsv', () => {
  it('quotes per RFC 4180 and ends lines with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['line\nbreak', null]])).toBe('a,b\r\n"x, y","say ""hi"""\r\n"line\nbreak",\r\n');
  });

  it('neutralises formula-looking text but leaves numbers alone', () => {
    const csv = toCsv(['v'], [['=HYPERLINK("http://x")'], ['+1+cmd|calc'], ['-2+3'], ['@SUM(A1)'], ['\tx'], ['\rx'], [-5], ['-12.5'], [NaN]]);
    expect(csv.split('\r\n')).toEqual([
      'v',
      `"'=HYPERLINK(""http://x"")"`,
      "'+1+cmd|calc",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
      '-5',
      '-12.5',
      '',
      '',
    ]);
  });

  it('round-trips through the splitter', () => {
    const rows = [['plain', 'with, comma', 'with "quotes"', 'multi\r\nline']];
    const got: string[][] = [];
    const s = new RowSplitter(',', (f) => got.push(f));
    s.push(toCsv(['a', 'b', 'c', 'd'], rows));
    s.end();
    expect(got).toEqual([['a', 'b', 'c', 'd'], ...rows]);
  });

  it('writes bad rows with their line, column and reason', () => {
    const csv = badRowsCsv([
      { line: 10, column: 4, columnName: 'Quantity', reason: 'bad-number', value: '=1+1', message: 'non-numeric quantity "=1+1" in column 4 (Quantity)' },
      { line: 12, column: null, columnName: null, reason: 'field-count', value: 'a,b', message: 'expected 8 fields, found 2' },
    ]);
    expect(csv).toBe(
      'line,column,column_name,reason,value,message\r\n' +
        `10,4,Quantity,bad-number,'=1+1,"non-numeric quantity ""=1+1"" in column 4 (Quantity)"\r\n` +
        '12,,,field-count,"a,b","expected 8 fields, found 2"\r\n',
    );
  });
});

describe('toCsv for semicolon locales', () => {
  it('quotes a cell containing a semicolon', () => {
    expect(toCsv(['a', 'b'], [['x;y', 'z']])).toBe('a,b\r\n"x;y",z\r\n');
  });
});
