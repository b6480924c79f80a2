// `shoplens segment FILE …`: customer segments from an event file (features computed as in the
// studio), or k-means on a numeric table with --table.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { importFileNode } from '../lib/data/read-file.node.ts';
import { RowSplitter } from '../lib/data/rows';
import type { CustomerFeatures } from '../lib/features/customers';
import { prepare, suggestPrep, type PrepSpec } from '../lib/features/prepare';
import { makeJobContext } from '../lib/compute/jobs';
import { clusterMatrix, computeFeatures, SEGMENT_DEFAULTS, type ClusterOptions } from '../lib/segment/run';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';
import { nodeTf } from './tf-node';

export const SEGMENT_USAGE =
  'shoplens segment FILE [--k K|auto] [--n-init N] [--max-iter I] [--seed S] [--features a,b,…] [--table [--scale]] [--json]';

export interface SegmentSummary {
  k: number;
  inertia: number;
  silhouette: number;
  silhouetteSample?: number;
  sizes: number[];
  iterations: number;
  seconds: number;
  backend: string;
  features: string[];
  suggestion: string;
  candidates: { k: number; inertia: number; silhouette: number; daviesBouldin: number }[];
}

function intOption(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/** A numeric CSV with a header → one point per row, columns as features. */
export function tableFeatures(text: string, file: string): CustomerFeatures {
  const rows: string[][] = [];
  const splitter = new RowSplitter(',', (fields) => rows.push(fields));
  splitter.push(text);
  splitter.end();
  const [header, ...data] = rows;
  if (!header || data.length === 0) throw new UsageError(`${file}: needs a header and at least one row`);
  const d = header.length;
  const values = new Float64Array(data.length * d);
  data.forEach((row, r) => {
    if (row.length !== d) throw new UsageError(`${file}, line ${r + 2}: expected ${d} fields, found ${row.length}`);
    row.forEach((cell, c) => {
      const v = Number(cell.trim());
      if (cell.trim() === '' || !Number.isFinite(v)) {
        throw new UsageError(`${file}, line ${r + 2}, column ${c + 1} (${header[c]}): "${cell}" is not a number`);
      }
      values[r * d + c] = v;
    });
  });
  return {
    referenceTime: 0,
    customers: Uint32Array.from(data.keys()),
    features: header.map((key) => ({ key: key.trim(), label: key.trim(), unit: 'ratio' as const, description: `column ${key.trim()}` })),
    values,
    n: data.length,
    d,
  };
}

export async function runSegment(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['k', 'n-init', 'max-iter', 'seed', 'features'], ['json', 'table', 'scale']);
  const [path] = args.positionals;
  if (!path || args.positionals.length > 1) throw new UsageError(`usage: ${SEGMENT_USAGE}`);
  const kOption = args.options.get('k') ?? 'auto';
  const options: ClusterOptions = {
    k: kOption === 'auto' ? 'auto' : intOption(kOption, 'k', 0, 1),
    kMin: SEGMENT_DEFAULTS.kMin,
    kMax: SEGMENT_DEFAULTS.kMax,
    nInit: intOption(args.options.get('n-init'), 'n-init', SEGMENT_DEFAULTS.nInit, 1),
    maxIter: intOption(args.options.get('max-iter'), 'max-iter', SEGMENT_DEFAULTS.maxIter, 1),
    seed: intOption(args.options.get('seed'), 'seed', SEGMENT_DEFAULTS.seed, 0),
    silhouetteSample: SEGMENT_DEFAULTS.silhouetteSample,
  };
  if (args.flags.has('scale') && !args.flags.has('table')) throw new UsageError('--scale applies to --table input only');

  const started = performance.now();
  let features: CustomerFeatures;
  let spec: PrepSpec;
  if (args.flags.has('table')) {
    features = tableFeatures(await readFile(path, 'utf8'), basename(path));
    spec = { features: features.features.map((f) => f.key), log1p: [], scaling: args.flags.has('scale') ? 'zscore' : 'none', clip: null };
  } else {
    const { result, chunks } = await importFileNode(path);
    if (result.stats.lastTime === null) throw new UsageError(`${basename(path)} has no dates: recency and tenure need them`);
    features = await computeFeatures(chunks, result.dictionaries, result.stats.lastTime);
    spec = suggestPrep(features);
  }
  const chosen = args.options.get('features');
  if (chosen) spec = { ...spec, features: chosen.split(',').map((f) => f.trim()), log1p: spec.log1p.filter((f) => chosen.split(',').includes(f)) };
  const prepared = prepare(features, spec);

  const tf = await nodeTf();
  const clustering = await clusterMatrix(tf, prepared.matrix, prepared.n, prepared.d, options, makeJobContext());
  const sizes = new Array<number>(clustering.fit.k).fill(0);
  for (const label of clustering.fit.labels) sizes[label]++;
  const summary: SegmentSummary = {
    k: clustering.fit.k,
    inertia: clustering.fit.inertia,
    silhouette: clustering.silhouette,
    ...(clustering.silhouetteSample !== null ? { silhouetteSample: clustering.silhouetteSample } : {}),
    sizes,
    iterations: clustering.fit.nIter,
    seconds: (performance.now() - started) / 1000,
    backend: tf.getBackend(),
    features: spec.features,
    suggestion: clustering.suggestion.reason,
    candidates: clustering.candidates.map(({ k, inertia, silhouette, daviesBouldin }) => ({ k, inertia, silhouette, daviesBouldin })),
  };
  if (args.flags.has('json')) {
    io.out(JSON.stringify(summary) + '\n');
    return 0;
  }
  io.out(
    [
      `${basename(path)}: ${prepared.n.toLocaleString('en-US')} ${args.flags.has('table') ? 'points' : 'customers'}, features ${spec.features.join(', ')}` +
        (spec.scaling !== 'none' ? ` (${spec.scaling}${spec.log1p.length ? `, log1p: ${spec.log1p.join(', ')}` : ''})` : ''),
      ...summary.candidates.map(
        (c) => `  k=${String(c.k).padStart(2)}  inertia ${c.inertia.toPrecision(6).padStart(12)}  silhouette ${c.silhouette.toFixed(4)}  Davies–Bouldin ${c.daviesBouldin.toFixed(4)}`,
      ),
      `k = ${summary.k}: ${summary.suggestion}`,
      `sizes ${sizes.join(', ')}; inertia ${summary.inertia.toPrecision(6)}; silhouette ${summary.silhouette.toFixed(4)}` +
        (summary.silhouetteSample ? ` (sample of ${summary.silhouetteSample})` : '') +
        `; ${summary.iterations} iterations; ${summary.seconds.toFixed(2)} s on ${summary.backend}`,
    ].join('\n') + '\n',
  );
  return 0;
}
