// Item names and categories for the explorer and the item map, fetched from the data worker once
// per item and kept per dataset (names are untrusted: shown as text only).

import { callData } from '../../client/ingest';

export interface ItemLabel {
  id: string;
  name: string;
  category: string;
}

export function useItemLabels(datasetId: () => string) {
  let known = $state.raw(new Map<number, ItemLabel>());
  let forDataset = '';
  return {
    /** Fetches the labels of `items` not yet known. */
    async want(items: number[]): Promise<void> {
      const id = datasetId();
      if (id !== forDataset) {
        forDataset = id;
        known = new Map();
      }
      const missing = [...new Set(items)].filter((i) => !known.has(i));
      if (missing.length === 0) return;
      const got = await callData((api) => api.itemLabels(id, missing));
      const next = new Map(known);
      for (const g of got) next.set(g.item, { id: g.id, name: g.name, category: g.category });
      known = next;
    },
    name(item: number): string {
      const l = known.get(item);
      return l ? l.name || l.id : `item ${item}`;
    },
    get(item: number): ItemLabel | undefined {
      return known.get(item);
    },
  };
}
