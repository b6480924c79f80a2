// `shoplens recommend FILE …`: train one recommender on an event or rating file and evaluate it with
// exact full-ranking top-N metrics on a split (or on a second file's pairs), as the studio does.

import { basename } from 'node:path';
import { importFileNode } from '../lib/data/read-file.node.ts';
import { buildInteractions, type Interactions } from '../lib/recommend/interactions';
import { externalTestSplit, leaveLastN, userRandomSplit, type Split } from '../lib/recommend/split';
import { evaluateTopN, type ScoreModel } from '../lib/recommend/evaluate';
import { ratingErrors } from '../lib/recommend/metrics';
import { popularityModel } from '../lib/recommend/popularity';
import { fitItemKnn, itemKnnScorer } from '../lib/recommend/itemknn';
import { factorScorer, fitImplicitAls } from '../lib/ml/als';
import { fitExplicitMf, predictRatings, type ExplicitMfModel } from '../lib/ml/mf';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';
import { nodeTf, type Tf } from './tf-node';

export const RECOMMEND_USAGE =
  'shoplens recommend FILE [--test FILE | --split user-random:F | --split last:N] --algo pop|itemknn|als|mf [--factors F] [--iters I] [--reg R] [--alpha A] [--k K] [--seed S] [--json]';

const ALGOS = ['pop', 'itemknn', 'als', 'mf'] as const;
type Algo = (typeof ALGOS)[number];

export interface RecommendSummary {
  file: string;
  algo: Algo;
  split: string;
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  mrr: number;
  coverage: number;
  meanPopularity: number;
  /** Users evaluated (with held-out items) and those excluded (none held out). */
  users: number;
  excludedUsers: number;
  heldOut: number;
  trainInteractions: number;
  items: number;
  /** Explicit MF on ratings only. */
  rmse?: number;
  mae?: number;
  /** --test only: pairs of the test file whose customer or item is not in FILE. */
  unmatchedPairs?: number;
  seconds: number;
  fitSeconds: number;
  backend: string;
}

function numberOption(value: string | undefined, name: string, opts: { integer?: boolean; min: number }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < opts.min || (opts.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${opts.integer ? 'an integer' : 'a number'} ≥ ${opts.min}, got "${value}"`);
  }
  return n;
}

function parseSplit(spec: string): { kind: 'user-random'; fraction: number } | { kind: 'last'; n: number } {
  const [kind, arg] = spec.split(':');
  const v = Number(arg);
  if (kind === 'user-random' && arg !== undefined && v > 0 && v < 1) return { kind, fraction: v };
  if (kind === 'last' && arg !== undefined && Number.isInteger(v) && v >= 1) return { kind, n: v };
  throw new UsageError(`--split must be user-random:F (0 < F < 1) or last:N (N ≥ 1), got "${spec}"`);
}

/** Ranking by μ + b_u + b_i + p_u·q_i, unclipped (clipping would create ties at the top rating). */
function mfScorer(m: ExplicitMfModel): ScoreModel {
  const f = m.factors;
  return {
    items: m.items,
    async scoreBatch(users) {
      const out = new Float32Array(users.length * m.items);
      users.forEach((u, b) => {
        for (let i = 0; i < m.items; i++) {
          let s = m.globalMean + m.userBias[u] + m.itemBias[i];
          for (let k = 0; k < f; k++) s += m.userFactors[u * f + k] * m.itemFactors[i * f + k];
          out[b * m.items + i] = s;
        }
      });
      return out;
    },
  };
}

export async function recommendCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['test', 'split', 'algo', 'factors', 'iters', 'reg', 'alpha', 'k', 'seed'], ['json']);
  const [path] = args.positionals;
  if (!path || args.positionals.length > 1) throw new UsageError(`usage: ${RECOMMEND_USAGE}`);
  const algo = args.options.get('algo');
  if (!algo || !(ALGOS as readonly string[]).includes(algo)) throw new UsageError(`--algo must be one of ${ALGOS.join(', ')}${algo ? `, got "${algo}"` : ''}`);
  const testPath = args.options.get('test');
  if (testPath && args.options.has('split')) throw new UsageError('give either --test FILE or --split, not both');
  const splitSpec = args.options.get('split') ?? 'user-random:0.25';
  const split = testPath ? null : parseSplit(splitSpec);
  const k = numberOption(args.options.get('k'), 'k', { integer: true, min: 1 }) ?? 10;
  const seed = numberOption(args.options.get('seed'), 'seed', { integer: true, min: 0 }) ?? 42;
  const factors = numberOption(args.options.get('factors'), 'factors', { integer: true, min: 1 });
  const iterations = numberOption(args.options.get('iters'), 'iters', { integer: true, min: 1 });
  const regularization = numberOption(args.options.get('reg'), 'reg', { min: 0 });
  const alpha = numberOption(args.options.get('alpha'), 'alpha', { min: 0 });

  const started = performance.now();
  // MF learns ratings; the others read every event (or rating) as implicit feedback.
  const kind = algo === 'mf' ? 'explicit' : 'implicit';
  const load = async (file: string) => {
    const { result, chunks } = await importFileNode(file);
    const inter = await buildInteractions(chunks, result.dictionaries, { kind });
    if (inter.matrix.idx.length === 0) throw new UsageError(`${basename(file)}: no ${kind === 'explicit' ? 'ratings' : 'interactions'} found`);
    return { inter, dict: result.dictionaries };
  };
  const main = await load(path);
  let data: Split & { unmatchedPairs?: number };
  if (testPath) {
    const test = await load(testPath);
    data = externalTestSplit(main.inter, main.dict, test.inter, test.dict);
  } else if (split?.kind === 'last') {
    data = leaveLastN(main.inter, split.n);
  } else {
    data = userRandomSplit(main.inter, split?.kind === 'user-random' ? split.fraction : 0.25, seed);
  }

  const tf = algo === 'pop' ? null : await nodeTf();
  const fitStart = performance.now();
  let model: ScoreModel;
  let errors: { rmse: number; mae: number } | null = null;
  if (algo === 'pop') model = popularityModel(data.train);
  else if (algo === 'itemknn') model = itemKnnScorer(await fitItemKnn(tf as Tf, data.train), data.train);
  else if (algo === 'als') model = factorScorer(tf as Tf, await fitImplicitAls(tf as Tf, data.train, { factors, iterations, regularization, alpha, seed }));
  else {
    const fitted = await fitExplicitMf(tf as Tf, data.train, { factors, iterations, regularization, seed });
    const users: number[] = [];
    const items: number[] = [];
    for (let u = 0; u < data.test.rows; u++) for (let e = data.test.ptr[u]; e < data.test.ptr[u + 1]; e++) { users.push(u); items.push(data.test.idx[e]); }
    errors = ratingErrors(predictRatings(fitted, users, items), data.test.val);
    model = mfScorer(fitted);
  }
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const evaluation = await evaluateTopN(model, data.train, data.test, { ks: [k] });
  const m = evaluation.metrics[0];
  const summary: RecommendSummary = {
    file: basename(path),
    algo: algo as Algo,
    split: testPath ? `test:${basename(testPath)}` : splitSpec,
    k,
    precision: m.precision,
    recall: m.recall,
    ndcg: m.ndcg,
    map: m.map,
    hitRate: m.hitRate,
    mrr: m.mrr,
    coverage: m.coverage,
    meanPopularity: m.meanPopularity,
    users: evaluation.users,
    excludedUsers: evaluation.excludedUsers,
    heldOut: data.test.idx.length,
    trainInteractions: data.train.idx.length,
    items: data.train.cols,
    ...(errors ? { rmse: errors.rmse, mae: errors.mae } : {}),
    ...(data.unmatchedPairs !== undefined ? { unmatchedPairs: data.unmatchedPairs } : {}),
    seconds: (performance.now() - started) / 1000,
    fitSeconds,
    backend: tf ? tf.getBackend() : 'js',
  };
  if (args.flags.has('json')) {
    io.out(JSON.stringify(summary) + '\n');
    return 0;
  }
  const f = (v: number) => v.toFixed(4);
  io.out(
    [
      `${summary.file}: ${main.inter.matrix.rows.toLocaleString('en-US')} customers × ${summary.items.toLocaleString('en-US')} items, ` +
        `${summary.trainInteractions.toLocaleString('en-US')} train / ${summary.heldOut.toLocaleString('en-US')} held-out (${summary.split})` +
        (summary.unmatchedPairs ? `; ${summary.unmatchedPairs} test pairs not in FILE` : ''),
      `${algo} @${k}: precision ${f(m.precision)}  recall ${f(m.recall)}  NDCG ${f(m.ndcg)}  MAP ${f(m.map)}  hit rate ${f(m.hitRate)}  MRR ${f(m.mrr)}`,
      `coverage ${f(m.coverage)}; mean popularity ${m.meanPopularity.toFixed(1)}; ${summary.users} users evaluated, ${summary.excludedUsers} without held-out items` +
        (errors ? `; RMSE ${f(errors.rmse)}, MAE ${f(errors.mae)}` : ''),
      `${summary.seconds.toFixed(2)} s (fit ${fitSeconds.toFixed(2)} s) on ${summary.backend}`,
    ].join('\n') + '\n',
  );
  return 0;
}
