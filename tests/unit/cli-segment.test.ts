// `shoplens segment --table` against scikit-learn's figures for the same points
// (tests/fixtures/sklearn/kmeans-fixtures.json, made by make_kmeans_fixtures.py).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Case { name: string; n: number; d: number; k: number; x: number[]; trueLabels: number[]; nInit10Inertia: number; silhouetteTrue: number }
const fixtures = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/sklearn/kmeans-fixtures.json'), 'utf8')) as { cases: Case[] };
const blobs = fixtures.cases.find((c) => c.name === 'blobs-300-d3-k3');
if (!blobs) throw new Error('fixture blobs-300-d3-k3 missing');

function tableFile(c: Case): string {
  const lines = [Array.from({ length: c.d }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < c.n; i++) lines.push(c.x.slice(i * c.d, (i + 1) * c.d).join(','));
  const path = join(mkdtempSync(join(tmpdir(), 'shoplens-cli-')), `${c.name}.csv`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const run = (...args: string[]) =>
  spawnSync(process.execPath, [resolve(process.cwd(), 'bin/shoplens.mjs'), 'segment', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('shoplens segment --table', () => {
  const path = tableFile(blobs);

  it('matches scikit-learn on well-separated blobs and prints one JSON object', () => {
    const r = run(path, '--table', '--k', '3', '--n-init', '10', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['k', 'inertia', 'silhouette', 'sizes', 'iterations', 'seconds', 'backend']));
    expect(out.k).toBe(3);
    expect(out.inertia).toBeLessThanOrEqual(blobs.nInit10Inertia * 1.005);
    const trueSizes = [0, 1, 2].map((l) => blobs.trueLabels.filter((t) => t === l).length).sort((a, b) => a - b);
    expect([...out.sizes].sort((a: number, b: number) => a - b)).toEqual(trueSizes);
    expect(Math.abs(out.silhouette - blobs.silhouetteTrue)).toBeLessThan(1e-4);
  });

  it('chooses k = 3 on the evidence with --k auto', () => {
    const r = run(path, '--table', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).k).toBe(3);
  });

  it('names the file, line and column of a non-numeric cell', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'shoplens-cli-')), 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,x\n');
    const r = run(bad, '--table');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.csv, line 3, column 2 (b): "x" is not a number');
  });
});
