// Classic RFM scoring: recency, frequency and monetary quintile scores 1–5 and the usual named
// groups read off the recency × frequency grid.
//
// Quintiles: each column is ranked ascending (1..n) and a rank r gets the score
//   s = smallest b in 1..5 with r ≤ 1 + b·(n − 1)/5,
// i.e. pd.cut(rank, np.linspace(1, n, 6), labels=[1..5], include_lowest=True). With
// ties: 'first' (rank(method='first'), ties broken by row order) this is exactly the common
// marketing recipe pd.qcut(x.rank(method='first'), 5, labels=[1..5]); with the default
// ties: 'average' (rank(method='average')) equal values share one rank, hence one score, which is
// fairer when many customers share a value (e.g. frequency 1). Recency is reversed: the most
// recent customers score 5. Without a monetary column (data without amounts) m scores are 0.

import { type CustomerFeatures, featureIndex } from './customers';

/**
 * The R × F grid of the widely copied RFM segment map (e.g. the Kaggle/Medium "seg_map" of regexes
 * over R and F scores: [1-2][1-2] hibernating, [1-2][3-4] at risk, [1-2]5 can't loose, 3[1-2] about
 * to sleep, 33 need attention, [3-4][4-5] loyal, 41 promising, 51 new, [4-5][2-3] potential loyalists,
 * 5[4-5] champions). One change: R1·F1 — the oldest, least frequent — is split off as "Lost".
 * Rows are R = 1..5, columns F = 1..5; values index RFM_GROUPS.
 */
export const RFM_GROUPS = [
  'Champions',
  'Loyal',
  'Potential loyalists',
  'New',
  'Promising',
  'Need attention',
  'About to sleep',
  'At risk',
  "Can't lose them",
  'Hibernating',
  'Lost',
] as const;

const [CH, LO, PL, NE, PR, NA, AS, AR, CL, HI, LS] = RFM_GROUPS.map((_, i) => i);
export const RFM_GRID: readonly (readonly number[])[] = [
  /* R1 */ [LS, HI, AR, AR, CL],
  /* R2 */ [HI, HI, AR, AR, CL],
  /* R3 */ [AS, AS, NA, LO, LO],
  /* R4 */ [PR, PL, PL, LO, LO],
  /* R5 */ [NE, PL, PL, CH, CH],
];

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Index into groups per customer row. */
  group: Uint8Array;
  groups: string[];
}

/** Ascending ranks 1..n ('average': ties share their mean rank; 'first': ties by row order). */
export function ranks(x: ArrayLike<number>, ties: 'average' | 'first'): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const out = new Float64Array(n);
  for (let s = 0; s < n; ) {
    let e = s + 1;
    if (ties === 'average') while (e < n && x[order[e]] === x[order[s]]) e++;
    const rank = (s + 1 + e) / 2; // mean of ranks s+1..e
    for (let k = s; k < e; k++) out[order[k]] = rank;
    s = e;
  }
  return out;
}

/** Quintile scores 1..5 of x (see the header for the exact rule). */
export function quintileScores(x: ArrayLike<number>, ties: 'average' | 'first' = 'average'): Uint8Array {
  const n = x.length;
  const rk = ranks(x, ties);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let b = 1;
    // Small tolerance so that a rank exactly on an edge is not pushed up by rounding.
    while (b < 5 && rk[i] > 1 + (b * (n - 1)) / 5 + 1e-9) b++;
    out[i] = b;
  }
  return out;
}

function col(f: CustomerFeatures, key: string): Float64Array | null {
  const j = featureIndex(f, key);
  if (j < 0) return null;
  const out = new Float64Array(f.n);
  for (let k = 0; k < f.n; k++) out[k] = f.values[k * f.d + j];
  return out;
}

export function rfmScores(f: CustomerFeatures, options: { ties?: 'average' | 'first' } = {}): RfmScores {
  const ties = options.ties ?? 'average';
  const recency = col(f, 'recency');
  const frequency = col(f, 'frequency');
  if (!recency || !frequency) throw new Error('rfmScores: needs the recency and frequency features (the data has no time?)');
  // Most recent = 5: score the negated recency.
  const r = quintileScores(recency.map((v) => -v), ties);
  const fr = quintileScores(frequency, ties);
  const monetary = col(f, 'monetary');
  const m = monetary ? quintileScores(monetary, ties) : new Uint8Array(f.n);
  const group = new Uint8Array(f.n);
  for (let k = 0; k < f.n; k++) group[k] = RFM_GRID[r[k] - 1][fr[k] - 1];
  return { r, f: fr, m, group, groups: [...RFM_GROUPS] };
}

export interface RfmGroupSummary {
  name: string;
  customers: number;
  share: number;
  /** Sum of monetary (net spend) of the group; 0 without amounts. */
  revenue: number;
  revenueShare: number;
}

/** Customers and revenue per named group, in RFM_GROUPS order (empty groups included). */
export function rfmSummary(scores: RfmScores, f: CustomerFeatures): RfmGroupSummary[] {
  const monetary = col(f, 'monetary');
  const count = new Float64Array(scores.groups.length);
  const revenue = new Float64Array(scores.groups.length);
  let total = 0;
  for (let k = 0; k < f.n; k++) {
    const g = scores.group[k];
    count[g]++;
    const v = monetary ? monetary[k] : 0;
    revenue[g] += v;
    total += v;
  }
  return scores.groups.map((name, g) => ({
    name,
    customers: count[g],
    share: f.n > 0 ? count[g] / f.n : 0,
    revenue: revenue[g],
    revenueShare: total !== 0 ? revenue[g] / total : 0,
  }));
}
