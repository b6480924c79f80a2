// The timed fit shared by the Node and browser runners of bench/recommend.mjs: one warm-up iteration
// (wasm instantiation, kernel set-up), then a timed fit; seconds per iteration from the iteration
// callbacks (steady state: first to last report) and overall.
import type { Csr } from '../../src/lib/recommend/csr';
import { fitImplicitAls, type Tf } from '../../src/lib/ml/als';
import { fitExplicitMf } from '../../src/lib/ml/mf';

export async function timedFit(tf: Tf, m: Csr, algo: 'als' | 'mf', iterations: number, factors: number) {
  const fit = (its: number, stamps: number[]) =>
    algo === 'als'
      ? fitImplicitAls(tf, m, { factors, iterations: its, seed: 1, onIteration: () => void stamps.push(performance.now()) })
      : fitExplicitMf(tf, m, { factors, iterations: its, seed: 1, onIteration: () => void stamps.push(performance.now()) });
  await fit(1, []);
  const stamps: number[] = [];
  const t0 = performance.now();
  const model = await fit(iterations, stamps);
  const seconds = (performance.now() - t0) / 1000;
  const steady = stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1) : seconds;
  return { backend: tf.getBackend(), algo, seconds, secPerIter: seconds / iterations, steadySecPerIter: steady, loss: model.loss[model.loss.length - 1], numTensors: tf.memory().numTensors };
}
