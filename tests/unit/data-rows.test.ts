import { describe, expect, it } from 'vitest';
import { RowSplitter, splitWhitespace } from '../../src/lib/data/rows';
import type { Delimiter } from '../../src/lib/data/schema';

type Row = [number, string[]];

function split(pieces: string[], delimiter: Delimiter = ','): Row[] {
  const out: Row[] = [];
  const s = new RowSplitter(delimiter, (fields, line) => out.push([line, fields]));
  for (const p of pieces) s.push(p);
  s.end();
  return out;
}

// A file with every hard case; expected rows written by hand (line = first physical line of the row).
const TRICKY = '\uFEFFa,b,c\r\n1,"x, y",3\r\n\r\n2,"multi\r\nline ""quoted""",4\r\n"",,\r\n5,6,7';
const TRICKY_ROWS: Row[] = [
  [1, ['a', 'b', 'c']],
  [2, ['1', 'x, y', '3']],
  [4, ['2', 'multi\r\nline "quoted"', '4']],
  [6, ['', '', '']],
  [7, ['5', '6', '7']],
];

describe('RowSplitter', () => {
  it('splits quotes, escaped quotes, CRLF, embedded newlines, BOM and blank lines with physical line numbers', () => {
    expect(split([TRICKY])).toEqual(TRICKY_ROWS);
  });

  it('gives the same rows wherever the text is cut into two chunks', () => {
    for (let cut = 0; cut <= TRICKY.length; cut++) {
      expect(split([TRICKY.slice(0, cut), TRICKY.slice(cut)]), `cut at ${cut}`).toEqual(TRICKY_ROWS);
    }
  });

  it('gives the same rows when fed one character at a time', () => {
    expect(split([...TRICKY])).toEqual(TRICKY_ROWS);
  });

  it('handles a trailing newline, an empty trailing line and no trailing newline alike', () => {
    expect(split(['a,b\n'])).toEqual([[1, ['a', 'b']]]);
    expect(split(['a,b\n\n'])).toEqual([[1, ['a', 'b']]]);
    expect(split(['a,b'])).toEqual([[1, ['a', 'b']]]);
    expect(split(['a,b\r\n', 'c,d\r', '\n'])).toEqual([
      [1, ['a', 'b']],
      [2, ['c', 'd']],
    ]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(split(['5" disk,x\n'])).toEqual([[1, ['5" disk', 'x']]]);
  });

  it('treats an unterminated quote at end of file as running to the end', () => {
    expect(split(['a,"open\nstill'])).toEqual([[1, ['a', 'open\nstill']]]);
  });

  it('does not let a stray opening quote swallow a large file', () => {
    const text = 'a,"open\n' + 'x,y\n'.repeat(300_000);
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 65_536) pieces.push(text.slice(i, i + 65_536));
    const rows = split(pieces);
    expect(rows[0]).toEqual([1, ['a', '"open']]);
    expect(rows).toHaveLength(300_001);
    expect(rows[300_000]).toEqual([300_001, ['x', 'y']]);
  });

  it('splits tab, semicolon and pipe', () => {
    expect(split(['1\t2\t3\n'], '\t')).toEqual([[1, ['1', '2', '3']]]);
    expect(split(['1;"a;b";3\n'], ';')).toEqual([[1, ['1', 'a;b', '3']]]);
    expect(split(['1|2\n'], '|')).toEqual([[1, ['1', '2']]]);
  });

  it('splits on runs of spaces and tabs in whitespace mode, trimming both ends', () => {
    expect(split([' 00001 19970101  1   11.77\r\n   \n\t00002\t19970112 1 12.00'], 'whitespace')).toEqual([
      [1, ['00001', '19970101', '1', '11.77']],
      [3, ['00002', '19970112', '1', '12.00']],
    ]);
    expect(splitWhitespace('  a  b ', 0, 7)).toEqual(['a', 'b']);
  });
});
