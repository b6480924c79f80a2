// Stores an event column in fewer bytes when its values allow it, exactly: every value comes back
// bit for bit (NaN and -0 included). A dataset then takes about half the disk (the 1M-line
// benchmark file: ~18 bytes an event instead of 37). The import is no faster for it: the smaller
// structured clone and IndexedDB write are paid back by the passes over each column here.

/** The typed arrays an event column can be. */
export type ColumnArray = Uint32Array | Float64Array | Float32Array | Uint8Array;

/** Unsigned offsets from a base, in units of `step`. */
type Offsets = Uint8Array | Uint16Array | Uint32Array;

export type PackedColumn =
  /** Stored as it is (values that fit no narrower form). */
  | { kind: 'raw'; data: ColumnArray }
  /** Every value the same (also all NaN). */
  | { kind: 'constant'; value: number; length: number }
  /** value = base + step × offsets[i], each checked to come back exact. */
  | { kind: 'offset'; base: number; step: number; offsets: Offsets };

/** Steps tried for integer columns, largest first: days, hours, minutes, seconds (times in ms); else 1. */
const STEPS = [86_400_000, 3_600_000, 60_000, 1_000];

/**
 * A Float64Array of at least n values, reused across calls. Every loop below reads and writes only
 * this one array type: a loop over the four column types would be polymorphic, each element access
 * a generic lookup (measured: packing a 65,536-event chunk took ~18 ms that way, ~1 ms this way).
 * Typed-array copies between types (set, constructors) are native conversions, exact for every
 * value a column can hold.
 */
let scratch = new Float64Array(0);
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch.subarray(0, n);
}

export function packColumn(col: ColumnArray): PackedColumn {
  const n = col.length;
  if (n === 0) return { kind: 'raw', data: col };
  const v = scratchOf(n);
  v.set(col);
  // Cheap passes first, each only when the ones before leave the question open: most columns are
  // decided by min and max (NaN fails both comparisons), a non-integer column at its first
  // fraction, and only a column whose range holds 0 is searched for -0.
  let min = Infinity;
  let max = -Infinity;
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x < min) min = x;
    if (x > max) max = x;
    if (x !== x) hasNaN = true;
  }
  if (min > max) return { kind: 'constant', value: NaN, length: n }; // every value NaN
  if (hasNaN) return { kind: 'raw', data: col };
  // -0 compares equal to 0; a column holding one is stored as it is.
  if (min <= 0 && max >= 0 && hasNegativeZero(v)) return { kind: 'raw', data: col };
  if (min === max) return { kind: 'constant', value: min, length: n };
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || !allIntegers(v)) return { kind: 'raw', data: col };
  const step = largestStep(v, min);
  const range = (max - min) / step;
  const Offsets = range < 256 ? Uint8Array : range < 65_536 ? Uint16Array : range < 2 ** 32 ? Uint32Array : null;
  if (Offsets === null || Offsets.BYTES_PER_ELEMENT >= col.BYTES_PER_ELEMENT) return { kind: 'raw', data: col };
  for (let i = 0; i < n; i++) v[i] = (v[i] - min) / step;
  // set, not the constructor: converting from a Float64Array, `new Uint16Array(v)` is ~4× slower.
  const offsets = new Offsets(n);
  offsets.set(v);
  return { kind: 'offset', base: min, step, offsets };
}

function hasNegativeZero(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] === 0 && 1 / v[i] < 0) return true;
  return false;
}

/** Every value an integer (the caller checked min and max are finite). */
function allIntegers(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== Math.trunc(v[i])) return false;
  return true;
}

/** The column back, in a new array of `Type` (the in-memory type of that column). */
export function unpackColumn<T extends ColumnArray>(packed: PackedColumn, Type: new (n: number) => T): T {
  if (packed.kind === 'raw') {
    if (!(packed.data instanceof Type)) throw new Error(`stored column is a ${packed.data.constructor.name}, expected a ${Type.name}`);
    return packed.data;
  }
  if (packed.kind === 'constant') return new Type(packed.length).fill(packed.value) as T;
  const { base, step, offsets } = packed;
  const v = scratchOf(offsets.length);
  v.set(offsets);
  for (let i = 0; i < v.length; i++) v[i] = base + step * v[i];
  const out = new Type(offsets.length);
  out.set(v);
  return out;
}

/** Bytes the packed column takes in storage (its typed array; a constant is a few bytes). */
export function packedBytes(packed: PackedColumn): number {
  if (packed.kind === 'raw') return packed.data.byteLength;
  if (packed.kind === 'constant') return 8;
  return packed.offsets.byteLength;
}

/** The largest of STEPS dividing every v[i] − min (integers below 2^53, so the remainders are exact). */
function largestStep(v: Float64Array, min: number): number {
  for (const step of STEPS) {
    let divides = true;
    // floor(d / step) × step === d exactly when step divides d (integers below 2^53: the product
    // is exact, and a quotient rounded up only overshoots d); a division is cheaper than %.
    for (let i = 0; i < v.length && divides; i++) {
      const d = v[i] - min;
      divides = Math.floor(d / step) * step === d;
    }
    if (divides) return step;
  }
  return 1;
}
