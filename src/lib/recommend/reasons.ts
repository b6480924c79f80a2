// Why an item is recommended: the items in the customer's history that add most to its item-kNN
// score ("because you bought X and Y"). Any model's recommendation can be explained this way, since
// the item–item similarities are a property of the data, not of the model that ranked the item.

import { similarity, type ItemKnn } from './itemknn';

export interface Reason {
  /** An item of the customer's history (column index). */
  item: number;
  /** Its contribution to the recommended item's score: w · sim(item → recommended). */
  contribution: number;
}

/**
 * The (up to) `count` history items contributing most to `item`, best first; ties go to the lower
 * item index; items that contribute nothing are left out, so the list may be empty.
 * `trainRow` is the user's row: item indices, and their strengths when the model is not binary.
 */
export function explain(knn: ItemKnn, trainRow: { idx: ArrayLike<number>; val?: ArrayLike<number> }, item: number, count = 2): Reason[] {
  const found: Reason[] = [];
  for (let e = 0; e < trainRow.idx.length; e++) {
    const i = trainRow.idx[e];
    if (i === item) continue;
    const w = knn.binary || !trainRow.val ? 1 : trainRow.val[e];
    const contribution = w * similarity(knn, i, item);
    if (contribution > 0) found.push({ item: i, contribution });
  }
  found.sort((a, b) => b.contribution - a.contribution || a.item - b.item);
  return found.slice(0, count);
}

/** "because you bought X and Y" (or "X" alone); '' when there is no reason to give. */
export function reasonText(names: readonly string[], verb = 'bought'): string {
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `because you ${verb} ${list}`;
}
