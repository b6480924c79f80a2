// The importer's fast path (ByteRowSplitter → EventImporter.addByteSpans on field spans of the
// file's bytes) must give exactly what the field-array path (RowSplitter on the decoded text →
// addRow) gives: same events, dictionaries, bad rows (line, column, message) and duplicates, for
// any cut of the bytes into pieces. Plus the byte helpers against their reference definitions.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventImporter, type ImportResult } from '../../src/lib/data/importer';
import { RowSplitter, splitWhitespace } from '../../src/lib/data/rows';
import { ByteRowSplitter, CellDecoder, asciiText } from '../../src/lib/data/byte-rows';
import { MAX_QUOTED_CHARS } from '../../src/lib/data/rows';
import { Dictionary, packKeys, unpackKeys } from '../../src/lib/data/dictionary';
import { hashFields, hashLine } from '../../src/lib/data/hash';
import { parseNumber, parsePlainDecimal } from '../../src/lib/data/numbers';
import { DateParser } from '../../src/lib/data/dates';
import { detectImport } from '../../src/lib/data/detect';
import type { EventChunk, ImportSettings } from '../../src/lib/data/schema';
import { Random } from '../../src/lib/random';

interface Run {
  result: ImportResult;
  chunks: EventChunk[];
}

/** The file's bytes: UTF-8, or Windows-1252 (written here as Latin-1, the same for these characters). */
function encode(text: string, encoding: string): Uint8Array {
  return encoding === 'utf-8' ? new TextEncoder().encode(text) : Uint8Array.from(Buffer.from(text, 'latin1'));
}

/**
 * Imports the text: fast, its bytes cut into pieces of `piece` bytes through ByteRowSplitter;
 * otherwise the decoded text through RowSplitter and addRow only.
 */
function run(text: string, settings: ImportSettings, fast: boolean, piece = 1 << 20, encoding = 'utf-8'): Run {
  const importer = new EventImporter(settings, 'test.csv', { encoding });
  const chunks: EventChunk[] = [];
  if (fast) {
    const bytes = encode(text, encoding);
    const splitter = new ByteRowSplitter(
      settings.delimiter,
      encoding,
      (b, s, e, n, line) => importer.addByteSpans(b, s, e, n, line),
    );
    for (let p = 0; p < bytes.length; p += piece) {
      splitter.push(bytes.subarray(p, p + piece));
      chunks.push(...importer.takeChunks());
    }
    splitter.end();
  } else {
    const splitter = new RowSplitter(settings.delimiter, (fields, line) => importer.addRow(fields, line));
    splitter.push(new TextDecoder(encoding).decode(encode(text, encoding)));
    chunks.push(...importer.takeChunks());
    splitter.end();
  }
  const result = importer.finish();
  chunks.push(...importer.takeChunks());
  return { result, chunks };
}

function expectSame(text: string, settings: ImportSettings, piece?: number, encoding?: string): Run {
  const slow = run(text, settings, false, piece, encoding);
  const fast = run(text, settings, true, piece, encoding);
  // Stringified: a deep toEqual of 100k-row results takes a minute.
  const plain = (r: Run): string =>
    JSON.stringify({ ...r.result, dictionaries: { ...r.result.dictionaries, itemCategory: Array.from(r.result.dictionaries.itemCategory) } });
  expect(plain(fast)).toBe(plain(slow));
  expect(fast.chunks.length).toBe(slow.chunks.length);
  fast.chunks.forEach((c, i) => {
    const d = slow.chunks[i];
    expect(c.rows).toBe(d.rows);
    for (const k of ['customer', 'order', 'item', 'time', 'quantity', 'amount', 'rating', 'eventType'] as const)
      expect(Buffer.compare(Buffer.from(c[k].buffer, c[k].byteOffset, c[k].byteLength), Buffer.from(d[k].buffer, d[k].byteOffset, d[k].byteLength))).toBe(0);
  });
  return fast;
}

const settingsFor = (text: string, name = 'test.csv'): ImportSettings => detectImport(text, name);

const ORDERS = [
  'order_id,customer_id,item_id,item_name,category,timestamp,quantity,unit_price',
  '1,C1,A,Apple,Fruit,2024-01-02T10:00:00Z,2,1.50',
  '1,C1,B,"Bread, white",Bakery,2024-01-02T10:00:00Z,1,2.25',
  '2, C2 ,A,Apple,Fruit,2024-01-03T11:00:00Z,-1,1.50',
  '3,C1,C,Cheese,Dairy,2024-01-04T09:30:00Z,1,$4.99',
  '3,C1,C,Cheese,Dairy,2024-01-04T09:30:00Z,1,$4.99',
  '4,,A,Apple,Fruit,2024-01-05T09:30:00Z,1,1.50',
  '5,C3,,Nothing,None,2024-01-05T09:30:00Z,1,1.50',
  '6,C3,A,Apple,Fruit,2024-13-05T09:30:00Z,1,1.50',
  '7,C3,A,Apple,Fruit,0001-01-01,1,1.50',
  '8,C3,A,Apple,Fruit,2024-01-06T09:30:00Z,abc,1.50',
  '9,C3,A,Apple,Fruit,2024-01-06T09:30:00Z,1',
  '10,C3,A,Apple,Fruit,2024-01-06T09:30:00Z,1,1.50,',
  '10,C3,A,Apple,Fruit,2024-01-06T09:30:00Z,1,1.50,extra',
  '',
  '   ',
  '11,\u00a0C4\u3000,D,Dates,Fruit, 2024-01-07T08:00:00Z ,1e1, 3.5 ',
  '12,C4,E,Eggs,,2024-01-07T08:00:00Z,0x10,1',
  '13,C4,E,Eggs,Dairy,2024-01-07T08:00:00Z,,',
  '14,C5,F,Flour,Pantry,2024-01-08T08:00:00Z,1234567890123456,0.1',
  '15,C5,F,Flour,Pantry,2024-01-08T08:00:00Z,-0,.5',
  '16,C5,"F",Flour,Pantry,2024-01-08T08:00:00Z,1,0.10',
  '16,C5,F,Flour,Pantry,2024-01-08T08:00:00Z,1,0.10',
  '17,C6,G,Grapes "red",Fruit,2024-01-09T08:00:00Z,1,2',
  '17,C6,G,Grapes "red",Fruit,2024-01-09T08:00:00Z,1,2',
].join('\n');

describe('EventImporter.addByteSpans gives what addRow gives', () => {
  it('on an order-lines file full of bad, odd and duplicate rows', () => {
    const settings = settingsFor(ORDERS);
    expect(settings.delimiter).toBe(',');
    const { result, chunks } = expectSame(ORDERS, settings);
    // Hand-counted: 24 data lines, 2 of them blank; bad: 1 missing customer (line 7), 1 missing
    // item (8), 2 bad dates (month 13, year 0001), 2 bad numbers (abc, 0x10), 2 field counts
    // (7 values; a 9th value that is not empty), 3 duplicates. Line 13 (a trailing empty field)
    // is accepted.
    expect(result.report.linesRead).toBe(22);
    expect(result.report.badByReason).toEqual({ 'missing-customer': 1, 'missing-item': 1, 'bad-date': 2, 'bad-number': 2, 'field-count': 2, duplicate: 3 });
    expect(result.badRows.map((b) => [b.line, b.column])).toEqual([[6, null], [7, 2], [8, 3], [9, 6], [10, 6], [11, 7], [12, null], [14, null], [18, 7], [23, null], [25, null]]);
    // "F" quoted and F plain make equal fields, so line 23 duplicates line 22.
    expect(result.report.rows).toBe(11);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(11);
    // Trimmed ids: " C2 " and "\u00a0C4\u3000" are C2 and C4; rejected rows add no ids.
    expect(result.dictionaries.customers).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
    expect(result.dictionaries.itemNames).toEqual(['Apple', 'Bread, white', 'Cheese', 'Dates', 'Eggs', 'Flour', 'Grapes "red"']);
  });

  it('with CRLF line ends, a BOM and every piece size', () => {
    const text = '\ufeff' + ORDERS.replaceAll('\n', '\r\n');
    const settings = settingsFor(text);
    const whole = expectSame(text, settings);
    for (const piece of [1, 7, 64]) expect(run(text, settings, true, piece).result).toEqual(whole.result);
  });

  it('for ids, names and cells with non-ASCII characters, in UTF-8 and in Windows-1252', () => {
    const text = [
      'order_id,customer_id,item_id,item_name,timestamp,quantity,unit_price',
      '1,Zoë,Crème brûlée,Crème brûlée,2024-01-02,1,3.5',
      '1,Zoë,"Crème brûlée",quoted: addRow,2024-01-02,2,3.5',
      '2,Jürgen,Brötchen,Brötchen,2024-01-03,1,0.5',
      '3,Jürgen,Crème brûlée,,2024-01-04,1,3.5',
      '3,Jürgen,Crème brûlée,,2024-01-04,1,3.5',
      '4,Zoë,Brötchen,,2024-01-0é,1,0.5',
      '5,Zoë,Brötchen,,2024-01-05,1,£2',
      '6,Ånne,Äpfel,Äpfel,2024-01-06,1,0.25',
    ].join('\n');
    const settings = settingsFor(text);
    for (const encoding of ['utf-8', 'windows-1252']) {
      const { result } = expectSame(text, settings, 7, encoding);
      expect(result.dictionaries.customers).toEqual(['Zoë', 'Jürgen', 'Ånne']);
      expect(result.dictionaries.items).toEqual(['Crème brûlée', 'Brötchen', 'Äpfel']);
      expect(result.dictionaries.itemNames).toEqual(['Crème brûlée', 'Brötchen', 'Äpfel']);
      expect(result.report.badByReason).toEqual({ duplicate: 1, 'bad-date': 1 });
      expect(result.report.rows).toBe(6);
    }
  });

  it('reports a duplicate by its cells, joined with the delimiter (quotes and runs of spaces gone)', () => {
    const comma = ['order_id,customer_id,item_id,timestamp,quantity,unit_price', '1,C1,"Ap""ple",2024-01-02T10:00:00Z,2,1.50', '1,C1,"Ap""ple",2024-01-02T10:00:00Z,2,1.50'].join('\n');
    const { result } = expectSame(comma, settingsFor(comma));
    expect(result.badRows.map((b) => [b.line, b.reason, b.value])).toEqual([[3, 'duplicate', '1,C1,Ap"ple,2024-01-02T10:00:00Z,2,1.50']]);
    const spaced = ['user   item  time', 'u1   i1   2024-01-02', 'u1 \t i1 2024-01-02'].join('\n');
    const settings = { ...settingsFor(spaced), delimiter: 'whitespace' as const };
    const ws = expectSame(spaced, settings).result;
    expect(ws.badRows.map((b) => [b.line, b.reason, b.value])).toEqual([[3, 'duplicate', 'u1 i1 2024-01-02']]);
  });

  it('for a semicolon file with decimal commas and no order column (orders = customer × day)', () => {
    const text = [
      'customer;item;date;qty;price',
      'a;x;2024-03-01 10:00;1;1,50',
      'a;y;2024-03-01 11:00;2;1.234,50',
      'b;x;2024-03-02 10:00;1;€ 2,00',
      'b;x;2024-03-02 10:00;1;€ 2,00',
      'a;x;2024-03-03 10:00;1;2',
    ].join('\n');
    const settings = settingsFor(text);
    expect(settings.delimiter).toBe(';');
    expect(settings.mapping.order).toBeUndefined();
    const { result } = expectSame(text, settings);
    expect(result.dictionaries.orders).toEqual(['a 2024-03-01', 'b 2024-03-02', 'a 2024-03-03']);
    expect(result.report.badByReason).toEqual({ duplicate: 1 });
  });

  it('for an event log with an event-type column', () => {
    const text = ['user,item,ts,event', 'u1,i1,1700000000,view', 'u1,i1,1700000100,purchase', 'u2,i2,1700000200,zoom', 'u2,i2,1700000300,'].join('\n');
    const settings = settingsFor(text);
    expect(settings.mapping.eventType).toBe(3);
    const { result } = expectSame(text, settings);
    expect(result.unknownEventTypes).toEqual({ zoom: 1 });
  });

  it('for MovieLens-style ratings (one order per line)', () => {
    const text = ['userId,movieId,rating,timestamp', '1,10,4.0,964982703', '1,20,3.5,964981247', '2,10,5.0,964982224'].join('\n');
    const settings = settingsFor(text, 'ratings.csv');
    expect(settings.layout).toBe('movielens-ratings');
    const { result } = expectSame(text, settings);
    expect(result.dictionaries.orders).toEqual(['line 2', 'line 3', 'line 4']);
  });

  const dir = resolve(process.cwd(), '../shared/datasets');
  const has = existsSync(dir);
  if (!has) console.warn('skipping the real-file fast-path checks: ../shared/datasets absent');
  it.skipIf(!has)('on the real MovieLens u.data and bank files', () => {
    // Tab-separated, no header (CDNOW is whitespace-separated: no fast path there).
    const udata = readFileSync(resolve(dir, 'movielens-100k/u.data'), 'utf8');
    const { result } = expectSame(udata, settingsFor(udata, 'u.data'), 1 << 16);
    expect(result.report.rows).toBe(100_000);
    expect(result.stats.customers).toBe(943);
    expect(result.stats.items).toBe(1_682);
    // A comma file with a header and quoted cells, imported as a generic event table.
    const bank = readFileSync(resolve(dir, 'bank-marketing/bank-full.csv'), 'utf8');
    const s = settingsFor(bank, 'bank-full.csv');
    expectSame(bank, s, 1 << 16);
  });
});

describe('ByteRowSplitter', () => {
  const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

  /** [line, fields] of every record: through RowSplitter on the text, or ByteRowSplitter on its bytes in pieces. */
  function records(text: string, delimiter: ',' | 'whitespace', cuts: number[] | null): [number, string[]][] {
    const out: [number, string[]][] = [];
    if (cuts === null) {
      const splitter = new RowSplitter(delimiter, (fields, line) => out.push([line, fields]));
      splitter.push(text);
      splitter.end();
      return out;
    }
    const cells = new CellDecoder('utf-8');
    const splitter = new ByteRowSplitter(
      delimiter,
      'utf-8',
      (b, s, e, n, line) => out.push([line, Array.from({ length: n }, (_, f) => cells.text(b, s[f], e[f]))]),
    );
    const bytes = utf8(text);
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      // A fresh copy each time: the splitter must not keep a view of a piece.
      splitter.push(bytes.slice(at, Math.max(at, cut)));
      at = Math.max(at, cut);
    }
    splitter.end();
    return out;
  }

  it('cuts the same records as RowSplitter, with the same line numbers, however the bytes are cut', () => {
    const rng = new Random(5);
    const atoms = ['a', 'bb', ',', ',', '\n', '\r\n', '\r', '"', '"q,\nx"', ' ', '\t', '\u00e9', '\u00a0', '\ud83d\ude00', '""', ''];
    for (let t = 0; t < 2000; t++) {
      const text = (t % 7 === 0 ? '\ufeff' : '') + Array.from({ length: 5 + rng.int(60) }, () => atoms[rng.int(atoms.length)]).join('');
      const delimiter = t % 5 === 0 ? 'whitespace' : ',';
      const want = records(text, delimiter, null);
      const n = utf8(text).length;
      const cuts: number[] = [];
      for (let p = rng.int(12); p < n; p += 1 + rng.int(12)) cuts.push(p);
      expect(records(text, delimiter, []), JSON.stringify(text)).toEqual(want);
      expect(records(text, delimiter, cuts), JSON.stringify([text, cuts])).toEqual(want);
    }
  });

  it('treats a quoted field longer than the limit as a stray quote, as RowSplitter does', () => {
    const text = `a,"${'x'.repeat(MAX_QUOTED_CHARS + 10)}\nb,c\n`;
    const cuts = Array.from({ length: 4 }, (_, i) => (i + 1) * (1 << 19));
    expect(records(text, ',', cuts).map(([l, f]) => [l, f.length, f[f.length - 1].length])).toEqual(
      records(text, ',', null).map(([l, f]) => [l, f.length, f[f.length - 1].length]),
    );
  });

  it('reads Windows-1252 bytes, quoted fields and all', () => {
    const bytes = Uint8Array.from(Buffer.from('caf\u00e9,"1,5 \u00a3"\r\nna\u00efve,2\r\n', 'latin1'));
    const cells = new CellDecoder('windows-1252');
    const out: [number, string[]][] = [];
    const splitter = new ByteRowSplitter(
      ',',
      'windows-1252',
      (b, s, e, n, line) => out.push([line, Array.from({ length: n }, (_, f) => cells.text(b, s[f], e[f]))]),
    );
    splitter.push(bytes);
    splitter.end();
    expect(out).toEqual([
      [1, ['café', '1,5 £']],
      [2, ['naïve', '2']],
    ]);
  });

  it('refuses an encoding whose ASCII bytes are not ASCII', () => {
    expect(() => new ByteRowSplitter(',', 'utf-16le', () => undefined)).toThrow(/ASCII-compatible/);
  });

  it('reads a 300-field line (the span arrays grow)', () => {
    const line = Array.from({ length: 300 }, (_, i) => `f${i}`).join(',');
    // The first line is a quoted record whose first field has a doubled quote.
    const got = records(`"f""0"${line.slice(2)}\n${line}`, ',', []);
    expect(got.map(([l, f]) => [l, f.length, f[0], f[299]])).toEqual([
      [1, 300, 'f"0', 'f299'],
      [2, 300, 'f0', 'f299'],
    ]);
    const ws = records(`${line.replaceAll(',', ' \t')}\n`, 'whitespace', []);
    expect(ws.map(([l, f]) => [l, f.length, f[299]])).toEqual([[1, 300, 'f299']]);
    expect(ws[0][1]).toEqual(splitWhitespace(line.replaceAll(',', ' \t'), 0, line.length * 3));
  });
});

describe('byte helpers', () => {
  const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('Dictionary numbers keys by first appearance, by bytes or by string alike', () => {
    const d = new Dictionary();
    const bytes = ascii('x,apple,pear,apple,x');
    expect(d.idCodes(Uint16Array.from(bytes), 2, 7)).toBe(0); // apple
    expect(d.idCodes(Uint16Array.from(bytes), 8, 12)).toBe(1); // pear
    expect(d.id('apple')).toBe(0);
    expect(d.idCodes(Uint16Array.from(bytes), 13, 18)).toBe(0);
    expect(d.idCodes(Uint16Array.from(bytes), 0, 1)).toBe(2); // x
    expect(d.idCodes(Uint16Array.from(bytes), 19, 20)).toBe(2);
    expect(d.id('')).toBe(3);
    expect(d.append('pear')).toBe(4); // appended keys are not looked up
    expect(d.id('pear')).toBe(1);
    expect(d.values).toEqual(['apple', 'pear', 'x', '', 'pear']);
    expect(d.size).toBe(5);
  });

  it('Dictionary.idAscii finds the ids of id() and idCodes, declines non-ASCII bytes, and survives growth', () => {
    const d = new Dictionary();
    const bytes = ascii('x,apple,pear,apple,x');
    expect(d.idAscii(bytes, 2, 7)).toBe(0); // apple
    expect(d.id('pear')).toBe(1);
    expect(d.idAscii(bytes, 8, 12)).toBe(1);
    expect(d.idCodes(Uint16Array.from(bytes), 13, 18)).toBe(0);
    expect(d.idAscii(bytes, 13, 18)).toBe(0);
    expect(d.idAscii(bytes, 0, 1)).toBe(2); // x
    expect(d.idAscii(bytes, 1, 1)).toBe(3); // the empty key
    // 'é' as one code unit, 0xE9: the byte 0xE9 (UTF-8 lead byte, or Windows-1252 é) is not that
    // key's text; idAscii leaves it to the caller, adding nothing, also right after the key was used.
    expect(d.id('\u00e9')).toBe(4);
    expect(d.idAscii(Uint8Array.of(0xe9), 0, 1)).toBe(-1);
    expect(d.idAscii(Uint8Array.of(0x61, 0xe9), 0, 2)).toBe(-1);
    expect(d.size).toBe(5);
    // Many keys (table and pool growth), looked up by bytes and by string in turn.
    const rng = new Random(11);
    const ref = new Map<string, number>([...d.values].map((k, i) => [k, i]));
    for (let i = 0; i < 30_000; i++) {
      const k = `id-${Math.floor(rng.next() * 12_000)}`;
      if (!ref.has(k)) ref.set(k, ref.size);
      expect(i % 2 ? d.idAscii(ascii(k), 0, k.length) : d.id(k)).toBe(ref.get(k));
    }
    expect(d.values).toEqual([...ref.keys()]);
  });

  it('Dictionary gives the ids a Map gives for keys in runs, revisited, out of order, long, empty or non-ASCII', () => {
    // Invoice-like streams: numbers that mostly increase (with lines of one order repeated),
    // cancellations C… in their own increasing run, numbers growing a digit, old orders revisited,
    // late keys below their run's last, keys past the run length limit, the empty key and
    // non-ASCII keys; then random ids, which make the dictionary drop its runs mid-stream.
    const streams: string[][] = [];
    const rng = new Random(5);
    for (let t = 0; t < 12; t++) {
      const keys: string[] = [];
      let next = t % 3 === 0 ? 95 : 100_000;
      const seen: string[] = [];
      const randomFrom = t % 4 === 3 ? 300 : Infinity; // a stream that turns random part-way
      for (let i = 0; i < 2_000; i++) {
        const roll = rng.next();
        let k: string;
        if (i >= randomFrom) k = `r${rng.int(5_000)}`;
        else if (roll < 0.5 && seen.length > 0) k = seen[seen.length - 1];
        else if (roll < 0.55 && seen.length > 0) k = seen[rng.int(seen.length)];
        else if (roll < 0.6) k = `C${next - 1 - rng.int(3)}`;
        else if (roll < 0.63) k = String(next - 50 - rng.int(40)); // late, below the run's last
        else if (roll < 0.64) k = ['', 'é', 'x'.repeat(65 + rng.int(3)), '\u00e9t\u00e9'][rng.int(4)];
        else k = String(next++);
        keys.push(k);
        seen.push(k);
      }
      streams.push(keys);
    }
    const encoder = new TextEncoder();
    for (const [s, keys] of streams.entries()) {
      const d = new Dictionary(s % 2 ? 1_000 : 0);
      const ref = new Map<string, number>();
      for (const [i, k] of keys.entries()) {
        if (!ref.has(k)) ref.set(k, ref.size);
        const bytes = encoder.encode(`,${k};`);
        let id: number;
        if (i % 3 === 0) id = d.id(k);
        else if (i % 3 === 1) id = d.idCodes(Uint16Array.from(k, (c) => c.charCodeAt(0)), 0, k.length);
        else {
          id = d.idAscii(bytes, 1, bytes.length - 1);
          if (/[^\x00-\x7f]/.test(k)) {
            expect(id).toBe(-1); // declined, nothing added: the caller decodes
            id = d.id(k);
          }
        }
        expect(id, `stream ${s}, key ${i} "${k}"`).toBe(ref.get(k));
      }
      expect(d.values).toEqual([...ref.keys()]);
      // Every key is found again, in another order, by bytes and by string.
      for (const k of [...ref.keys()].reverse()) {
        const bytes = encoder.encode(k);
        const id = /[^\x00-\x7f]/.test(k) ? d.id(k) : d.idAscii(bytes, 0, bytes.length);
        expect(id).toBe(ref.get(k));
      }
      expect(d.size).toBe(ref.size);
    }
  });

  it('packs key lists into one text and lengths, and back, with every code unit', () => {
    const long = 'x'.repeat(300);
    const huge = 'y'.repeat(70_000);
    for (const keys of [[], [''], ['a', '', 'bc'], ['\ud800', 'é', '日本', '\ud83d\ude00', long], ['a', huge]]) {
      const packed = packKeys(keys);
      expect(packed.text).toBe(keys.join(''));
      expect(unpackKeys(packed)).toEqual(keys);
      const d = new Dictionary();
      for (const k of keys) d.append(k);
      expect(unpackKeys(d.packed())).toEqual(keys);
      expect(d.packed().lengths.constructor).toBe(packed.lengths.constructor);
    }
    expect(packKeys(['a', long]).lengths).toBeInstanceOf(Uint16Array);
    expect(packKeys(['a', huge]).lengths).toBeInstanceOf(Uint32Array);
    expect(packKeys(['a']).lengths).toBeInstanceOf(Uint8Array);
    expect(() => unpackKeys({ text: 'abc', lengths: Uint8Array.of(1, 1) })).toThrow(/2 characters of 3/);
  });

  it('Dictionary keeps every code unit (lone surrogates, non-Latin text) and survives growth', () => {
    const d = new Dictionary();
    const keys = ['\ud800', 'é', '日本', '\ud83d\ude00', 'a'.repeat(5000)];
    for (const k of keys) d.id(k);
    const ref = new Map<string, number>(keys.map((k, i) => [k, i]));
    const rng = new Random(7);
    const rand = (): number => rng.next();
    for (let i = 0; i < 50_000; i++) {
      const k = `k${Math.floor(rand() * 20_000)}`;
      if (!ref.has(k)) ref.set(k, ref.size);
      expect(d.id(k)).toBe(ref.get(k));
    }
    expect(d.values).toEqual([...ref.keys()]);
  });

  it('hashLine of a line equals hashFields of its fields, separates field boundaries, and declines other bytes', () => {
    const rng = new Random(3);
    const alphabet = 'ab,| 1~\0';
    for (let t = 0; t < 500; t++) {
      const n = 1 + rng.int(6);
      const fields = Array.from({ length: n }, () => Array.from({ length: rng.int(7) }, () => alphabet[rng.int(alphabet.length)]).join(''));
      // As a ';'-delimited line without quotes (no field holds the delimiter), inside other bytes.
      const bytes = ascii('>' + fields.join(';') + '<');
      expect(hashLine(bytes, 1, bytes.length - 1)).toBe(hashFields(fields, ';'));
    }
    const distinct = (rows: string[][], delimiter: string): void => {
      const hashes = rows.map((r) => hashFields(r, delimiter));
      expect(new Set(hashes).size, JSON.stringify(rows)).toBe(rows.length);
    };
    distinct([['ab', 'c'], ['a', 'bc'], ['abc'], ['', 'abc'], ['abc', ''], [''], ['', '']], ',');
    // Trailing NUL bytes are not padding: the length is mixed in.
    distinct([['ab'], ['ab\0'], ['ab\0\0'], ['ab\0\0\0'], ['ab\0\0\0\0']], ',');
    // Fields holding the delimiter (quoted in the file) join to the same text as other rows.
    distinct([['a,b', 'c'], ['a', 'b,c'], ['a', 'b', 'c'], ['a,b,c'], [',', ''], ['', ','], ['', '', '']], ',');
    distinct([['\u00e9,', 'x'], ['\u00e9', ',x'], ['\u00e9', '', 'x']], ',');
    // "é" in UTF-8 (each position of a 4-byte step, and in a tail): the caller must hash the decoded text instead.
    for (const text of ['\u00e9', 'a\u00e9', 'ab\u00e9', 'abc\u00e9', 'abcd\u00e9', 'abcde\u00e9', '\u00e9abcdefg']) {
      const bytes = new TextEncoder().encode(text);
      expect(hashLine(bytes, 0, bytes.length)).toBe(-1);
    }
    // One high byte (Windows-1252 "é") at each position of a step.
    for (let at = 0; at < 8; at++) {
      const bytes = Uint8Array.from({ length: 8 }, (_, i) => (i === at ? 0xe9 : 0x61));
      expect(hashLine(bytes, 0, 8)).toBe(-1);
    }
  });

  it('parsePlainDecimal reads plain decimals exactly as +s does, and nothing else', () => {
    const rng = new Random(11);
    const rand = (): number => rng.next();
    for (let t = 0; t < 20_000; t++) {
      const int = String(Math.floor(rand() * 10 ** Math.floor(rand() * 9)));
      const frac = String(Math.floor(rand() * 10 ** Math.floor(rand() * 7))).padStart(Math.floor(rand() * 7), '0');
      const s = (rand() < 0.3 ? '-' : '') + int + (rand() < 0.7 ? '.' + frac : '');
      expect(Object.is(parsePlainDecimal(ascii(`x${s}y`), 1, s.length + 1), +s)).toBe(true);
    }
    for (const s of ['0.1', '0.3', '1.', '.5', '-.5', '-0', '007', '123456789012345', '9007199.25474099']) {
      expect(Object.is(parsePlainDecimal(ascii(s), 0, s.length), +s)).toBe(true);
      expect(Object.is(parsePlainDecimal(ascii(s), 0, s.length), parseNumber(s, false))).toBe(true);
    }
    for (const s of ['', '-', '.', '1.2.3', ' 1', '1 ', '+1', '1e3', '0x10', '$1', '1,5', '1234567890123456', 'NaN', '\u00b9']) expect(parsePlainDecimal(ascii(s), 0, s.length)).toBeNaN();
  });

  it('DateParser.parseBytes equals parse on the decoded cell, also when parse calls come in between', () => {
    const p = new DateParser('iso');
    const q = new DateParser('iso');
    const cells = ['2024-01-02T10:00:00Z', '2024-01-02T10:00:00Z', ' 2024-02-29 ', '2023-02-29', 'x', '2024-01-02T10:00:00Z', '2024-01-02T10:00:00Z', '\u00a02024-03-01'];
    const text = cells.join('|');
    const bytes = new TextEncoder().encode(text);
    const decoder = new CellDecoder('utf-8');
    let at = 0;
    for (const c of cells) {
      const len = new TextEncoder().encode(c).length;
      expect(Object.is(p.parseBytes(bytes, at, at + len, decoder), q.parse(c)), c).toBe(true);
      // addRow's parse() on the same parser must not disturb parseBytes's memory of the last cell.
      p.parse('1999-12-31');
      at += len + 1;
    }
    expect(p.parseBytes(bytes, 0, 20, decoder)).toBe(Date.UTC(2024, 0, 2, 10));
  });

  it('DateParser.parseBytes reads YYYY-MM-DDTHH:MM:SSZ from the bytes exactly as parse does, and anything near it', () => {
    const rng = new Random(21);
    const decoder = new CellDecoder('utf-8');
    const digit = (): string => (rng.int(40) === 0 ? 'x/ :'[rng.int(4)] : String(rng.int(10)));
    const two = (max: number): string => (rng.int(8) === 0 ? digit() + digit() : String(rng.int(max + 1)).padStart(2, '0'));
    for (let t = 0; t < 20_000; t++) {
      // Mostly well-formed, with out-of-range fields (month 13, day 31 in April, 29 Feb, hour 24,
      // second 60), non-digits, and now and then another separator, zone or length.
      let cell = `${rng.int(3) === 0 ? digit() + digit() : '20'}${two(99)}-${two(13)}-${two(31)}T${two(24)}:${two(60)}:${two(60)}Z`;
      if (rng.int(10) === 0) cell = cell.slice(0, 19) + ['z', '+', ' ', 'Z0'][rng.int(4)];
      if (rng.int(20) === 0) cell = cell.replace('T', ' ');
      const bytes = new TextEncoder().encode(cell);
      const p = new DateParser('iso');
      const q = new DateParser('iso');
      expect(Object.is(p.parseBytes(bytes, 0, bytes.length, decoder), q.parse(cell)), cell).toBe(true);
    }
  });

  it('asciiText and CellDecoder make the strings TextDecoder makes', () => {
    const text = 'a,bc,def,ghij,klmno,pqrstu,vwxyz01,é,日本,\ud83d\ude00';
    const bytes = new TextEncoder().encode(text);
    const decoder = new CellDecoder('utf-8');
    let at = 0;
    for (const cell of text.split(',')) {
      const len = new TextEncoder().encode(cell).length;
      expect(decoder.text(bytes, at, at + len)).toBe(cell);
      if (cell.charCodeAt(0) < 128) expect(asciiText(bytes, at, at + len)).toBe(cell);
      at += len + 1;
    }
  });
});
