// Choosing whom to contact from a model's scores: contact the N highest-scored customers and
// expect Σp conversions among them (each score is a probability of converting), worth
//   profit(N) = Σ_{i<N} p_i · margin − N · cost.
// Adding customer i changes profit by p_i·margin − cost, so on scores sorted high to low profit
// rises while p_i > cost / margin and falls after: the best N contacts exactly those customers.
// Pure and DOM-free; scores come in already sorted, highest first (sortScoresDescending).

export interface Economics {
  /** Money earned per conversion (after the cost of goods). */
  margin: number;
  /** Money spent per contacted customer. */
  cost: number;
}

export interface BudgetOutcome {
  /** Customers contacted (the top N). */
  n: number;
  /** n / all scored customers (0 when none). */
  share: number;
  /** Lowest score contacted; NaN when n = 0. */
  threshold: number;
  /** Σ p over the contacted customers. */
  expectedConversions: number;
  /** expectedConversions · margin − n · cost; null without economics. */
  expectedProfit: number | null;
}

/** A copy of the scores, highest first (NaN scores are dropped: they cannot be ranked). */
export function sortScoresDescending(scores: ArrayLike<number>): Float64Array {
  return Float64Array.from(scores)
    .filter((v) => !Number.isNaN(v))
    .sort()
    .reverse();
}

function checkEconomics(e: Economics): void {
  if (!(Number.isFinite(e.margin) && e.margin >= 0)) throw new RangeError(`The margin per conversion must be a number ≥ 0, got ${e.margin}.`);
  if (!(Number.isFinite(e.cost) && e.cost >= 0)) throw new RangeError(`The cost per contact must be a number ≥ 0, got ${e.cost}.`);
}

/** The outcome of contacting the top `n` of `sorted` (n is clamped to 0…length and rounded down). */
export function topN(sorted: ArrayLike<number>, n: number, economics?: Economics): BudgetOutcome {
  if (economics) checkEconomics(economics);
  if (Number.isNaN(n)) throw new RangeError('The number of customers to contact must be a number.');
  const total = sorted.length;
  const m = Math.max(0, Math.min(total, Math.floor(n)));
  let sum = 0;
  for (let i = 0; i < m; i++) sum += sorted[i];
  return {
    n: m,
    share: total > 0 ? m / total : 0,
    threshold: m > 0 ? sorted[m - 1] : NaN,
    expectedConversions: sum,
    expectedProfit: economics ? sum * economics.margin - m * economics.cost : null,
  };
}

/** The top `percent` % of customers, rounded to the nearest whole customer. */
export function topPercent(sorted: ArrayLike<number>, percent: number, economics?: Economics): BudgetOutcome {
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`The share to contact must be from 0 to 100 %, got ${percent}.`);
  return topN(sorted, Math.round((percent / 100) * sorted.length), economics);
}

/** The N with the highest expected profit (the smallest such N on ties; 0 when no contact pays). */
export function bestProfit(sorted: ArrayLike<number>, economics: Economics): BudgetOutcome {
  checkEconomics(economics);
  let best = 0;
  let bestProfitSoFar = 0;
  let profit = 0;
  for (let i = 0; i < sorted.length; i++) {
    profit += sorted[i] * economics.margin - economics.cost;
    if (profit > bestProfitSoFar) {
      bestProfitSoFar = profit;
      best = i + 1;
    }
  }
  return topN(sorted, best, economics);
}
