// Recovery: segmenting the demo shop with the default preparation finds the customer segments the
// generator planted (the bar: adjusted Rand index ≥ 0.9 with k = 6, nInit 10, seed 0).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { importDemoShop } from './features-helpers';
import { computeFeatures, segmentCustomers, type SegmentationResult } from '../../src/lib/segment/run';
import { adjustedRandIndex } from '../../src/lib/eval/clustering';
import { makeJobContext } from '../../src/lib/compute/jobs';

interface Recovery {
  ari: number;
  run: SegmentationResult;
  /** planted × found customer counts. */
  table: number[][];
  segmentNames: readonly string[];
}

async function recover(seed?: number): Promise<Recovery> {
  await tf.setBackend('wasm');
  const { shop, result, chunks } = importDemoShop(seed === undefined ? {} : { seed });
  const features = await computeFeatures(chunks, result.dictionaries, result.stats.lastTime ?? 0);
  const k = shop.truth.segmentNames.length;
  const run = await segmentCustomers(tf, features, { k, nInit: 10, seed: 0 }, makeJobContext());
  // Customer ids are C00001… in generator order; rows are customer indices of the dataset.
  const planted = Array.from(features.customers, (c) => shop.truth.segmentOf[Number(result.dictionaries.customers[c].slice(1)) - 1]);
  const table = shop.truth.segmentNames.map(() => new Array<number>(run.k).fill(0));
  planted.forEach((p, i) => table[p][run.labels[i]]++);
  return { ari: adjustedRandIndex(planted, run.labels), run, table, segmentNames: shop.truth.segmentNames };
}

function describeRecovery(label: string, r: Recovery): string {
  const head = `${''.padEnd(20)}${r.run.names.map((n) => n.slice(0, 13).padStart(14)).join('')}`;
  const rows = r.table.map((row, p) => `${r.segmentNames[p].padEnd(20)}${row.map((x) => String(x).padStart(14)).join('')}`);
  return [
    `${label}: k ${r.run.k}, ARI ${r.ari.toFixed(3)}, silhouette ${r.run.silhouette.toFixed(3)}, features ${r.run.params.prep.features.join(', ')} (log1p: ${r.run.params.prep.log1p.join(', ')})`,
    'planted \\ found',
    head,
    ...rows,
  ].join('\n');
}

describe('segmenting the demo shop', () => {
  it('recovers the planted segments (adjusted Rand index ≥ 0.9) and names them', async () => {
    const r = await recover();
    console.log(describeRecovery('demo shop (seed 42)', r));
    expect(r.ari).toBeGreaterThanOrEqual(0.9);
    expect(new Set(r.run.names).size).toBe(r.run.k);
    // Every planted segment has a found segment holding most of it.
    for (const row of r.table) expect(Math.max(...row)).toBeGreaterThan(0.8 * row.reduce((a, b) => a + b, 0));
    // The automatic names read the planted behaviour the way a marketer would.
    const nameOf = (planted: string) => {
      const row = r.table[r.segmentNames.indexOf(planted)];
      return r.run.names[row.indexOf(Math.max(...row))];
    };
    expect(nameOf('loyal big spenders')).toBe('Champions');
    expect(nameOf('lapsed customers')).toBe('At risk');
    expect(nameOf('one-time buyers')).toBe('Hibernating');
    expect(nameOf('new customers')).toBe('New');
    expect(nameOf('bargain hunters')).toBe('Bargain hunters');
  });

  it('recovers them for other generator seeds too (ARI ≥ 0.85)', async () => {
    for (const seed of [1, 2]) {
      const r = await recover(seed);
      console.log(describeRecovery(`demo shop (seed ${seed})`, r));
      expect(r.ari).toBeGreaterThanOrEqual(0.85);
    }
  });
});
