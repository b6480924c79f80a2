// Packed storage of event columns (src/lib/store/column-pack.ts, chunk-codec.ts): every value comes
// back bit for bit, the narrow forms are picked where the values allow, and chunks stored before
// packing (plain typed arrays) still read.
import { describe, expect, it } from 'vitest';
import { packColumn, packedBytes, unpackColumn, type ColumnArray } from '../../src/lib/store/column-pack';
import { chunkBytes, fromChunkRecord, toChunkRecord } from '../../src/lib/store/chunk-codec';
import { EVENT_COLUMN_NAMES, type EventChunk } from '../../src/lib/data/schema';
import { Random } from '../../src/lib/random';

/** Bit patterns, so NaN payloads and -0 count. */
const bits = (a: ColumnArray): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

function roundTrip<T extends ColumnArray>(col: T, Type: new (n: number) => T): T {
  const out = unpackColumn(packColumn(col), Type);
  expect(out).toBeInstanceOf(Type);
  expect(bits(out)).toBe(bits(col));
  return out;
}

describe('packColumn / unpackColumn', () => {
  it('gives back every value exactly, whatever the values', () => {
    const rng = new Random(3);
    const specials = [0, -0, NaN, Infinity, -Infinity, 0.5, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 31, 1e300, 5e-324];
    for (let t = 0; t < 300; t++) {
      const n = 1 + rng.int(200);
      const pick = (): number => {
        const r = rng.int(5);
        if (r === 0) return specials[rng.int(specials.length)];
        if (r === 1) return 1_700_000_000_000 + 60_000 * rng.int(100_000);
        if (r === 2) return rng.int(70_000);
        if (r === 3) return (rng.int(20_000) / 100) * (rng.int(9) - 2); // amounts: quantity × price in cents
        return rng.next() * 100;
      };
      const pure = rng.int(4); // 0: mixed values, 1: one kind only (more packable), 2: all equal, 3: amounts
      const amount = (): number => (rng.int(20_000) / 100) * (rng.int(9) - 2);
      const values = Array.from({ length: n }, (_, i) => (pure === 3 ? amount() : pure === 2 ? 42 : pure === 1 ? 1_000 * (i % 300) : pick()));
      roundTrip(Float64Array.from(values), Float64Array);
      roundTrip(Float32Array.from(values), Float32Array);
      roundTrip(Uint32Array.from(values.map((v) => (Number.isFinite(v) ? Math.abs(Math.trunc(v)) % 2 ** 32 : 7))), Uint32Array);
      roundTrip(Uint8Array.from(values.map((v) => (Number.isFinite(v) ? Math.abs(Math.trunc(v)) % 256 : 1))), Uint8Array);
    }
    roundTrip(new Float64Array(0), Float64Array);
  });

  it('picks the narrow forms a shop file allows', () => {
    const ids = Uint32Array.from({ length: 1000 }, (_, i) => 50_000 + ((i * 37) % 60_000));
    expect(packColumn(ids)).toMatchObject({ kind: 'offset', base: 50_000, step: 1 });
    expect(packedBytes(packColumn(ids))).toBe(2000); // 16-bit offsets
    const minutes = Float64Array.from({ length: 1000 }, (_, i) => Date.UTC(2024, 0, 1) + i * 7 * 60_000);
    expect(packColumn(minutes)).toMatchObject({ kind: 'offset', step: 60_000 });
    expect(packedBytes(packColumn(minutes))).toBe(2000); // 6,993 minutes: 16-bit
    const days = Float64Array.from({ length: 100 }, (_, i) => Date.UTC(1997, 0, 1 + i));
    expect(packColumn(days)).toMatchObject({ kind: 'offset', step: 86_400_000 });
    expect(packedBytes(packColumn(days))).toBe(100); // 8-bit
    expect(packColumn(new Float32Array(500).fill(NaN))).toEqual({ kind: 'constant', value: NaN, length: 500 });
    // Prices in cents: 1.99 … 51.98 as hundredths, 16-bit offsets from 199, no exception.
    const prices = Float64Array.from({ length: 1000 }, (_, i) => (199 + ((i * 37) % 5000)) / 100);
    expect(packColumn(prices)).toMatchObject({ kind: 'scaled', scale: 100, units: { kind: 'offset', base: 199, step: 1 } });
    expect(packedBytes(packColumn(prices))).toBe(2000);
    // A line amount 5 × 19.99 is not the double nearest 99.95: kept as it is, at its index (16-bit).
    expect(5 * 19.99).not.toBe(99.95);
    const amounts = Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? 5 * 19.99 : ((i % 3) + 1) * 4.49));
    const packedAmounts = packColumn(amounts);
    expect(packedAmounts).toMatchObject({ kind: 'scaled', exceptions: { at: Uint16Array.of(500), values: Float64Array.of(5 * 19.99) } });
    expect(packedBytes(packedAmounts)).toBe(2000 + 2 + 8); // 449 … 9,995 hundredths: 16-bit
    roundTrip(amounts, Float64Array);
    // Fractions finer than hundredths, and offsets that would be no narrower than the column, stay as they are.
    expect(packColumn(Float64Array.from({ length: 100 }, (_, i) => i / 16 + 0.001)).kind).toBe('raw');
    expect(packColumn(Uint8Array.of(0, 4, 2)).kind).toBe('raw');
    expect(packColumn(Uint32Array.of(0, 2 ** 32 - 1)).kind).toBe('raw');
    expect(packColumn(Float64Array.of(-0, 1)).kind).toBe('raw');
  });

  it('stores runs of equal values as runs, exactly, whatever the type and the run lengths', () => {
    const rng = new Random(5);
    let asRuns = 0;
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(3000);
      const values: number[] = [];
      while (values.length < n) {
        const r = rng.int(3);
        const x = r === 0 ? rng.int(300) : r === 1 ? 1_700_000_000_000 + 60_000 * rng.int(50_000) : rng.next() * 50;
        const len = 1 + rng.int(rng.int(2) ? 6 : 400);
        for (let k = 0; k < len && values.length < n; k++) values.push(x);
      }
      const col = Float64Array.from(values);
      if (packColumn(col).kind === 'runs') asRuns++;
      roundTrip(col, Float64Array);
      roundTrip(Float32Array.from(values), Float32Array);
      roundTrip(Uint32Array.from(values.map((v) => Math.trunc(v) % 2 ** 32)), Uint32Array);
      roundTrip(Uint8Array.from(values.map((v) => Math.trunc(v) % 256)), Uint8Array);
    }
    expect(asRuns).toBeGreaterThan(50);
    // Run lengths of 8, 16 and 32 bits; run values that stay raw (fractions finer than hundredths) or pack (minutes).
    for (const [n, Lengths] of [[200, Uint8Array], [5_000, Uint16Array], [70_000, Uint32Array]] as const) {
      const col = Float64Array.from({ length: n }, (_, i) => (i < n - 3 ? 1.0625 : 2.03125));
      const packed = packColumn(col);
      expect(packed.kind === 'runs' && packed.lengths).toBeInstanceOf(Lengths);
      expect(packed.kind === 'runs' && packed.values.kind).toBe('raw');
      roundTrip(col, Float64Array);
    }
    const minutes = Float64Array.from({ length: 1000 }, (_, i) => Date.UTC(2024, 0, 1) + Math.floor(i / 3) * 60_000);
    const packed = packColumn(minutes);
    expect(packed).toMatchObject({ kind: 'runs', values: { kind: 'offset', step: 60_000 } });
    expect(packedBytes(packed)).toBe(334 * 2 + 334); // 16-bit minute offsets and 8-bit lengths
    roundTrip(minutes, Float64Array);
  });

  it('decides the edge cases of its pass order (NaN, -0, infinities, unsafe integers) exactly', () => {
    const cases: [number[], string][] = [
      [[NaN, NaN], 'constant'],
      [[1, NaN], 'raw'],
      [[NaN, 1], 'raw'],
      [[-0, -0], 'raw'],
      [[0, -0], 'raw'],
      [[-0, 3], 'raw'],
      [[0, 0], 'constant'],
      [[-3, 0, 3], 'offset'],
      [[Infinity, Infinity], 'constant'],
      [[-Infinity, 5], 'raw'],
      [[5, Infinity], 'raw'],
      [[2 ** 53 + 2, 2 ** 53 + 4], 'raw'],
      [[7, 7.5], 'scaled'],
      [[7, 7.5, 7.125, 7.0625], 'scaled'], // two exceptions (9 bytes each) and 8-bit hundredths: 22 of 32 bytes
      [[7, 7.125, 7.0625, 7.03125], 'raw'], // three exceptions: 27 bytes, over three quarters of 32
      [[-Infinity, 5.5], 'raw'],
    ];
    for (const [values, kind] of cases) {
      const col = Float64Array.from(values);
      expect(packColumn(col).kind, JSON.stringify(values.map(String))).toBe(kind);
      roundTrip(col, Float64Array);
    }
  });
});

describe('chunk records', () => {
  const chunk = (rows: number): EventChunk => ({
    index: 3,
    rows,
    customer: Uint32Array.from({ length: rows }, (_, i) => (i * 13) % 4000),
    order: Uint32Array.from({ length: rows }, (_, i) => 90_000 + (i >> 2)),
    item: Uint32Array.from({ length: rows }, (_, i) => (i * 7) % 300),
    time: Float64Array.from({ length: rows }, (_, i) => Date.UTC(2024, 5, 1) + (i >> 2) * 60_000),
    quantity: Float32Array.from({ length: rows }, (_, i) => 1 + (i % 3)),
    amount: Float64Array.from({ length: rows }, (_, i) => (1 + (i % 3)) * 4.49),
    rating: new Float32Array(rows).fill(NaN),
    eventType: Uint8Array.from({ length: rows }, (_, i) => (i % 50 === 0 ? 4 : 0)),
  });

  it('round-trips a chunk exactly in about half the bytes', () => {
    const c = chunk(65_536);
    const rec = toChunkRecord('d', c);
    const back = fromChunkRecord(structuredClone(rec));
    expect(back.index).toBe(3);
    expect(back.rows).toBe(65_536);
    for (const name of EVENT_COLUMN_NAMES) expect(bits(back[name]), name).toBe(bits(c[name]));
    // customer and item 2 each + quantity 1 + amount 2 (hundredths 449, 898, 1,347 as 16-bit
    // offsets) = 7 a row (of 37), and the all-NaN rating one constant (8). Order 90,000 + (i >> 2) and time (a minute per 4 rows) as 16,384 runs of 4:
    // 16-bit run values and 8-bit lengths, 3 a run each. eventType (4 every 50th row, else 0) as
    // 2,622 runs, raw 8-bit values and 8-bit lengths.
    expect(rec.columns.order.kind).toBe('runs');
    expect(rec.columns.time.kind).toBe('runs');
    expect(rec.columns.amount.kind).toBe('scaled');
    expect(chunkBytes(rec)).toBe(65_536 * 7 + 8 + 2 * 16_384 * 3 + 2_622 * 2);
  });

  it('reads a chunk stored before packing (plain typed arrays)', () => {
    const c = chunk(10);
    const plain = { datasetId: 'd', ...c };
    const back = fromChunkRecord(structuredClone(plain));
    for (const name of EVENT_COLUMN_NAMES) expect(bits(back[name]), name).toBe(bits(c[name]));
    expect(chunkBytes(plain)).toBe(10 * 37);
  });
});
