import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { importDemoShop } from './features-helpers';
import { computeFeatures, segmentCustomers } from '../../src/lib/segment/run';
import { makeJobContext } from '../../src/lib/compute/jobs';
import { ModelFormatError, runFromJson, runToJson } from '../../src/lib/segment/model-json';

describe('segmentation runs as JSON files', async () => {
  await tf.setBackend('cpu');
  const { result, chunks } = importDemoShop({ customers: 300, items: 40 });
  const features = await computeFeatures(chunks, result.dictionaries, result.stats.lastTime ?? 0);
  const run = await segmentCustomers(tf, features, { k: 3, nInit: 2, seed: 1 }, makeJobContext());

  it('round-trips a run exactly, typed arrays included', () => {
    const back = runFromJson(runToJson(run));
    expect(back).toEqual(run);
    expect(back.labels).toBeInstanceOf(Int32Array);
    expect(back.centers).toBeInstanceOf(Float32Array);
    expect(back.profiles[0].mean).toBeInstanceOf(Float64Array);
  });

  it('keeps the scaling, so the centres can be read in original units', () => {
    const d = run.params.prep.features.length;
    expect(run.scaling.center).toHaveLength(d);
    expect(run.scaling.scale.every((s) => s > 0)).toBe(true);
  });

  it('refuses other files with a reason', () => {
    expect(() => runFromJson('{"format":"other"}')).toThrow(ModelFormatError);
    expect(() => runFromJson('not json')).toThrow(/not JSON/);
    const doc = JSON.parse(runToJson(run));
    doc.run.labels.values[0] = run.k + 5;
    expect(() => runFromJson(JSON.stringify(doc))).toThrow(/labels" must lie in 0…k−1/);
    doc.run.labels.values[0] = 0;
    doc.version = 2;
    expect(() => runFromJson(JSON.stringify(doc))).toThrow(/version 2 is not supported/);
  });
});
