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

  it('treats a quote still open at end of file as a stray quote (its line stays one row)', () => {
    expect(split(['a,"open\nstill'])).toEqual([
      [1, ['a', '"open']],
      [2, ['still']],
    ]);
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

  // 10,000 data rows of 6 fields; line 7 has an opening quote that never closes on its line.
  const BAD_LINE = 'o5,c5,i5,"Tape 3/4,2024-01-15,5';
  function unbalanced(laterQuoted: boolean): string {
    const lines = ['order,customer,item,name,date,qty'];
    for (let i = 0; i < 10_000; i++) {
      if (i === 5) lines.push(BAD_LINE);
      else if (laterQuoted && i === 500) lines.push(`o${i},c${i},i${i},"Red, large",2024-01-15,1`);
      else lines.push(`o${i},c${i},i${i},Tape,2024-01-15,1`);
    }
    return lines.join('\n') + '\n';
  }

  it('keeps a line with an unbalanced quote as its own row when no later quote follows', () => {
    const rows = split([unbalanced(false)]);
    expect(rows).toHaveLength(10_001);
    expect(rows[6]).toEqual([7, ['o5', 'c5', 'i5', '"Tape 3/4', '2024-01-15', '5']]);
    expect(rows[7]).toEqual([8, ['o6', 'c6', 'i6', 'Tape', '2024-01-15', '1']]);
    expect(rows[10_000]).toEqual([10_001, ['o9999', 'c9999', 'i9999', 'Tape', '2024-01-15', '1']]);
  });

  it('does not merge an unbalanced-quote line with a later quoted field', () => {
    const text = unbalanced(true);
    const expectOk = (rows: Row[], how: string): void => {
      expect(rows, how).toHaveLength(10_001);
      expect(rows[6], how).toEqual([7, ['o5', 'c5', 'i5', '"Tape 3/4', '2024-01-15', '5']]);
      expect(rows[7], how).toEqual([8, ['o6', 'c6', 'i6', 'Tape', '2024-01-15', '1']]);
      expect(rows[501], how).toEqual([502, ['o500', 'c500', 'i500', 'Red, large', '2024-01-15', '1']]);
      expect(rows.every(([, f]) => f.length === 6), how).toBe(true);
    };
    expectOk(split([text]), 'whole');
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 997) pieces.push(text.slice(i, i + 997));
    expectOk(split(pieces), '997-char pieces');
  });

  it('treats a closing quote followed by text as a stray quote on that line only', () => {
    expect(split(['1,"ab"c,2\n3,"d",4\n'])).toEqual([
      [1, ['1', '"ab"c', '2']],
      [2, ['3', 'd', '4']],
    ]);
  });

  it('reads lone CR line ends (old Mac files), in any chunking', () => {
    const text = 'a,b\r1,2\r3,"x\ry"\r\r4,5\r';
    const want: Row[] = [
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['3', 'x\ry']],
      [6, ['4', '5']],
    ];
    expect(split([text])).toEqual(want);
    expect(split([...text])).toEqual(want);
    for (let cut = 0; cut <= text.length; cut++) expect(split([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(want);
  });

  it('counts a CRLF split across two pieces as one line break', () => {
    expect(split(['a,b\r', '\nc,d\r', '\n', 'e,f'])).toEqual([
      [1, ['a', 'b']],
      [2, ['c', 'd']],
      [3, ['e', 'f']],
    ]);
    expect(split(['a,"b"\r', '\nc,d'])).toEqual([
      [1, ['a', 'b']],
      [2, ['c', 'd']],
    ]);
  });
});
