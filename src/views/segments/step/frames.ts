// The step mode's frames: each traced step plays as (a) its assignment, then (b) its update, except
// the last, which has no update. Pure (no DOM, no Svelte): a frame list, its words and the inertia
// series the chart draws.

import type { KMeansTraceResult, TraceStop } from '../../../lib/segment/trace';

export interface Frame {
  /** Index into trace.steps. */
  step: number;
  phase: 'assign' | 'update';
  /** Inertia once this frame's change is made. */
  inertia: number;
  /** Position on the inertia chart's x axis: iteration for an assignment, iteration + ½ for an update. */
  x: number;
}

type Trace = Pick<KMeansTraceResult, 'steps' | 'stop' | 'nIter' | 'maxIter' | 'k'>;

export function framesOf(trace: Trace): Frame[] {
  const out: Frame[] = [];
  trace.steps.forEach((s, i) => {
    out.push({ step: i, phase: 'assign', inertia: s.inertia, x: s.iteration });
    if (s.inertiaAfterUpdate !== null) out.push({ step: i, phase: 'update', inertia: s.inertiaAfterUpdate, x: s.iteration + 0.5 });
  });
  return out;
}

const fmt = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
const count = (v: number) => v.toLocaleString('en-US');

function stopText(stop: TraceStop, nIter: number, maxIter: number): string {
  if (stop === 'unchanged') return `Converged after ${nIter} iterations: no customer changed cluster, so the means — the centres — stay where they are.`;
  if (stop === 'tolerance') return `Converged after ${nIter} iterations: the centres moved less than the tolerance; the points are assigned once more to the final centres.`;
  return `Stopped at the limit of ${maxIter} iterations before converging; the points are assigned once more to the last centres.`;
}

/** One or two sentences saying what this frame shows. */
export function frameText(trace: Trace, f: Frame, n: number): string {
  const s = trace.steps[f.step];
  const last = f.step === trace.steps.length - 1;
  if (f.phase === 'update') {
    return `Update: each centre moves to the mean of the points assigned to it (arrows: old → new). Total squared movement ${fmt(s.shift ?? 0)}; inertia falls to ${fmt(f.inertia)}.`;
  }
  const head =
    f.step === 0
      ? `Assignment to the ${trace.k} k-means++ starting centres: each of the ${count(n)} points takes the colour of its nearest centre. Inertia ${fmt(f.inertia)}.`
      : `Assignment: ${count(s.changed)} point${s.changed === 1 ? '' : 's'} changed to a nearer centre. Inertia ${fmt(f.inertia)}.`;
  return last ? `${head} ${stopText(trace.stop, trace.nIter, trace.maxIter)}` : head;
}

/** "Iteration 3 · assignment" or "Final assignment". */
export function frameTitle(trace: Trace, f: Frame): string {
  const s = trace.steps[f.step];
  if (s.iteration > trace.nIter) return 'Final assignment';
  return `Iteration ${s.iteration} of ${trace.nIter} · ${f.phase === 'assign' ? '(a) assignment' : '(b) update'}`;
}
