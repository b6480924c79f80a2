// The timed fit shared by the Node and browser runners of bench/recommend.mjs: one warm-up iteration
// (wasm instantiation, kernel set-up), then a timed fit; seconds per iteration from the iteration
// callbacks (steady state: first to last report) and overall. Under Node it also reports the process's
// CPU seconds per steady iteration: on a shared, loaded machine that moves far less than wall time
// (single-threaded wasm: CPU ≈ wall when the machine is idle).
import type { Csr } from '../../src/lib/recommend/csr';
import { fitImplicitAls, type Tf } from '../../src/lib/ml/als';
import { fitExplicitMf } from '../../src/lib/ml/mf';

export async function timedFit(tf: Tf, m: Csr, algo: 'als' | 'mf', iterations: number, factors: number) {
  type Proc = { cpuUsage(): { user: number; system: number } } | undefined;
  const fit = (its: number, stamps: number[], cpu: number[] = [], proc?: Proc) => {
    const onIteration = () => {
      stamps.push(performance.now());
      const c = proc?.cpuUsage();
      if (c) cpu.push((c.user + c.system) / 1e6);
    };
    return algo === 'als' ? fitImplicitAls(tf, m, { factors, iterations: its, seed: 1, onIteration }) : fitExplicitMf(tf, m, { factors, iterations: its, seed: 1, onIteration });
  };
  await fit(1, []);
  const stamps: number[] = [];
  const cpu: number[] = [];
  const proc = (globalThis as { process?: { cpuUsage(): { user: number; system: number } } }).process;
  const t0 = performance.now();
  const model = await fit(iterations, stamps, cpu, proc);
  const seconds = (performance.now() - t0) / 1000;
  const steady = stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1) : seconds;
  const cpuSecPerIter = cpu.length > 1 ? (cpu[cpu.length - 1] - cpu[0]) / (cpu.length - 1) : null;
  return { backend: tf.getBackend(), algo, seconds, secPerIter: seconds / iterations, steadySecPerIter: steady, cpuSecPerIter, loss: model.loss[model.loss.length - 1], numTensors: tf.memory().numTensors };
}
