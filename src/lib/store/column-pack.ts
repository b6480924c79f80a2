// Stores an event column in fewer bytes when its values allow it, exactly: every value comes back
// bit for bit (NaN and -0 included). A dataset then takes well under half the disk (the 1M-line
// benchmark file: ~14 bytes an event instead of 37). Fewer bytes also make the import faster here:
// IndexedDB's structured clone of a chunk costs ~15 ms a MB on the importing thread (most of it
// first touches of fresh memory), more than these passes over the columns.

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
  | { kind: 'offset'; base: number; step: number; offsets: Offsets }
  /**
   * Runs of equal values: the run values (packed themselves, never as runs) and each run's
   * length. An order-lines export repeats the order, customer and time on each line of an order.
   */
  | { kind: 'runs'; values: PackedColumn; lengths: Offsets }
  /**
   * Decimals as whole units: value = units[i] / scale (scale 100: money in cents), each checked
   * to come back exact. The values that do not are kept as they are, at their indices: a line
   * amount such as 3 × 10.99 is not always the double nearest 32.97.
   */
  | { kind: 'scaled'; scale: number; units: PackedColumn; exceptions: { at: Offsets; values: Float64Array } };

/** Scale tried for a column of decimals: hundredths (cents). */
const SCALE = 100;

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

/** Whole units of a scaled column, for while the first scratch holds the column. */
let unitScratch = new Float64Array(0);
function unitScratchOf(n: number): Float64Array {
  if (unitScratch.length < n) unitScratch = new Float64Array(n);
  return unitScratch.subarray(0, n);
}

/** A second scratch (run values, then run lengths), for while the first holds the column. */
let runScratch = new Float64Array(0);
function runScratchOf(n: number): Float64Array {
  if (runScratch.length < 2 * n) runScratch = new Float64Array(2 * n);
  return runScratch.subarray(0, 2 * n);
}

function offsetsType(range: number): typeof Uint8Array | typeof Uint16Array | typeof Uint32Array | null {
  return range < 256 ? Uint8Array : range < 65_536 ? Uint16Array : range < 2 ** 32 ? Uint32Array : null;
}

export function packColumn(col: ColumnArray, allowRuns = true, allowScaled = true): PackedColumn {
  const n = col.length;
  if (n === 0) return { kind: 'raw', data: col };
  const v = scratchOf(n);
  v.set(col);
  // One pass finds what decides the form: min and max (NaN fails both comparisons), NaN, -0, a
  // fraction, and the runs of equal values (a leading NaN counts one run too many, but a column
  // with NaN is never stored as runs).
  let min = Infinity;
  let max = -Infinity;
  let hasNaN = false;
  let negativeZero = false;
  let fraction = false;
  let runs = 1;
  let longest = 1;
  let run = 0;
  let previous = v[0];
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x < min) min = x;
    if (x > max) max = x;
    if (x !== x) hasNaN = true;
    else if (x === 0 && 1 / x < 0) negativeZero = true;
    if (x !== Math.trunc(x)) fraction = true;
    if (x === previous) {
      if (++run > longest) longest = run;
    } else {
      runs++;
      run = 1;
    }
    previous = x;
  }
  if (min > max) return { kind: 'constant', value: NaN, length: n }; // every value NaN
  // -0 compares equal to 0; a column holding one is stored as it is.
  if (hasNaN || negativeZero) return { kind: 'raw', data: col };
  if (min === max) return { kind: 'constant', value: min, length: n };
  const integral = !fraction && Number.isSafeInteger(min) && Number.isSafeInteger(max);
  const step = integral ? largestStep(v, min) : 1;
  const Offsets = integral ? offsetsType((max - min) / step) : null;
  // Bytes a value takes without runs (offsets only when narrower than the column).
  const width = Offsets && Offsets.BYTES_PER_ELEMENT < col.BYTES_PER_ELEMENT ? Offsets.BYTES_PER_ELEMENT : col.BYTES_PER_ELEMENT;
  if (allowRuns) {
    const asRuns = packRuns(col, v, runs, longest, width, allowScaled);
    if (asRuns) return asRuns;
  }
  if (!integral && allowScaled) return packScaled(v, col.BYTES_PER_ELEMENT) ?? { kind: 'raw', data: col };
  if (Offsets === null || width === col.BYTES_PER_ELEMENT) return { kind: 'raw', data: col };
  for (let i = 0; i < n; i++) v[i] = (v[i] - min) / step;
  // set, not the constructor: converting from a Float64Array, `new Uint16Array(v)` is ~4× slower.
  const offsets = new Offsets(n);
  offsets.set(v);
  return { kind: 'offset', base: min, step, offsets };
}

/**
 * The column as `runs` runs (the longest `longest` values) when that is clearly smaller than
 * `width` bytes a value: run values and lengths are taken from v (the column, no NaN or -0 in
 * it), then the values packed.
 */
function packRuns(col: ColumnArray, v: Float64Array, runs: number, longest: number, width: number, allowScaled: boolean): PackedColumn | null {
  const n = v.length;
  const Lengths = offsetsType(longest) ?? Uint32Array;
  // Run values take at most `width` bytes each; keep runs only when they save a quarter or more.
  if (runs * (width + Lengths.BYTES_PER_ELEMENT) > 0.75 * n * width) return null;
  const both = runScratchOf(runs);
  const values = both.subarray(0, runs);
  const lengthsAsNumbers = both.subarray(runs);
  let r = 0;
  values[0] = v[0];
  lengthsAsNumbers[0] = 1;
  for (let i = 1; i < n; i++) {
    if (v[i] !== v[i - 1]) {
      values[++r] = v[i];
      lengthsAsNumbers[r] = 1;
    } else lengthsAsNumbers[r]++;
  }
  const lengths = new Lengths(runs);
  lengths.set(lengthsAsNumbers);
  // The run values in the column's own type, so they pack (or stay raw) as the column would.
  const typed = new (col.constructor as new (n: number) => ColumnArray)(runs);
  typed.set(values);
  return { kind: 'runs', values: packColumn(typed, false, allowScaled), lengths };
}

/**
 * The column (v: no NaN, no -0, not all integers) as whole units of 1/SCALE with exceptions, when
 * that takes at most three quarters of `width` bytes a value.
 */
function packScaled(v: Float64Array, width: number): PackedColumn | null {
  const n = v.length;
  const units = unitScratchOf(n);
  let exceptions = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    let u = Math.round(x * SCALE);
    if (!Number.isSafeInteger(u)) u = 0;
    else if (u / SCALE === x) {
      units[i] = u;
      continue;
    }
    // Not exact in units: an exception. Its unit is the nearest whole one, so the range stays tight.
    units[i] = u;
    exceptions++;
  }
  const At = offsetsType(n - 1) ?? Uint32Array;
  const budget = 0.75 * n * width;
  if (exceptions * (At.BYTES_PER_ELEMENT + 8) >= budget) return null;
  const at = new At(exceptions);
  const values = new Float64Array(exceptions);
  for (let i = 0, e = 0; e < exceptions; i++) {
    if (units[i] / SCALE === v[i]) continue;
    at[e] = i;
    values[e++] = v[i];
  }
  // Whole numbers: packed as an integer column (runs or offsets); raw would be no gain (and would
  // keep this scratch), nor would a form that leaves too little under the budget.
  const packed = packColumn(units, true, false);
  if (packed.kind === 'raw' || packedBytes(packed) + at.byteLength + values.byteLength > budget) return null;
  return { kind: 'scaled', scale: SCALE, units: packed, exceptions: { at, values } };
}

/** The column back, in a new array of `Type` (the in-memory type of that column). */
export function unpackColumn<T extends ColumnArray>(packed: PackedColumn, Type: new (n: number) => T): T {
  if (packed.kind === 'raw') {
    if (!(packed.data instanceof Type)) throw new Error(`stored column is a ${packed.data.constructor.name}, expected a ${Type.name}`);
    return packed.data;
  }
  if (packed.kind === 'constant') return new Type(packed.length).fill(packed.value) as T;
  if (packed.kind === 'runs') return expandRuns(packed, Type);
  if (packed.kind === 'scaled') return unscale(packed, Type);
  const { base, step, offsets } = packed;
  const v = scratchOf(offsets.length);
  v.set(offsets);
  for (let i = 0; i < v.length; i++) v[i] = base + step * v[i];
  const out = new Type(offsets.length);
  out.set(v);
  return out;
}

function expandRuns<T extends ColumnArray>(packed: { values: PackedColumn; lengths: Offsets }, Type: new (n: number) => T): T {
  const { lengths } = packed;
  // The run values as numbers (raw ones are in the column's type: converted natively).
  const values = packed.values.kind === 'raw' ? Float64Array.from(packed.values.data) : unpackColumn(packed.values, Float64Array);
  if (values.length !== lengths.length) throw new Error(`stored column has ${values.length} run values for ${lengths.length} runs`);
  let n = 0;
  for (let r = 0; r < lengths.length; r++) n += lengths[r];
  const v = scratchOf(n);
  let at = 0;
  for (let r = 0; r < values.length; r++) {
    const x = values[r];
    for (let end = at + lengths[r]; at < end; at++) v[at] = x;
  }
  const out = new Type(n);
  out.set(v);
  return out;
}

function unscale<T extends ColumnArray>(packed: { scale: number; units: PackedColumn; exceptions: { at: Offsets; values: Float64Array } }, Type: new (n: number) => T): T {
  const { scale, exceptions } = packed;
  const v = unpackColumn(packed.units, Float64Array);
  if (exceptions.at.length !== exceptions.values.length) throw new Error(`stored column has ${exceptions.at.length} exception indices for ${exceptions.values.length} values`);
  for (let i = 0; i < v.length; i++) v[i] /= scale;
  for (let e = 0; e < exceptions.at.length; e++) {
    const i = exceptions.at[e];
    if (i >= v.length) throw new Error(`stored column has an exception at ${i} of ${v.length} values`);
    v[i] = exceptions.values[e];
  }
  if (Type === (Float64Array as unknown)) return v as T;
  const out = new Type(v.length);
  out.set(v);
  return out;
}

/** Bytes the packed column takes in storage (its typed array; a constant is a few bytes). */
export function packedBytes(packed: PackedColumn): number {
  if (packed.kind === 'raw') return packed.data.byteLength;
  if (packed.kind === 'constant') return 8;
  if (packed.kind === 'runs') return packedBytes(packed.values) + packed.lengths.byteLength;
  if (packed.kind === 'scaled') return packedBytes(packed.units) + packed.exceptions.at.byteLength + packed.exceptions.values.byteLength;
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
