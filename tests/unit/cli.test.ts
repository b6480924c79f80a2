import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(process.cwd(), 'bin/shoplens.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
const dir = resolve(process.cwd(), '../shared/datasets');
const has = existsSync(dir);
if (!has) console.warn('skipping CLI dataset test: ../shared/datasets absent');

describe('shoplens CLI', () => {
  it.skipIf(!has)('inspect --json prints exactly one JSON object for u.data', () => {
    const r = run('inspect', resolve(dir, 'movielens-100k/u.data'), '--json');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      layout: 'movielens-udata',
      mapping: { customer: 'column 1', item: 'column 2', rating: 'column 3', timestamp: 'column 4' },
      rows: 100_000,
      customers: 943,
      items: 1682,
      firstDate: '1997-09-20T03:05:10.000Z',
      lastDate: '1998-04-22T23:10:38.000Z',
      badRows: {},
    });
  });

  it('inspect prints a readable report with bad rows by reason', () => {
    const r = run('inspect', resolve(process.cwd(), 'tests/fixtures/online-retail-small.csv'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Layout      Order lines (Online Retail style) (online-retail)');
    expect(r.stdout).toMatch(/Customer id\s+← CustomerID/);
    expect(r.stdout).toMatch(/Rows\s+6 events from 11 data lines/);
    expect(r.stdout).toMatch(/Exact duplicate row\s+1/);
    expect(r.stdout).toContain('First date  2010-12-01T08:26:00.000Z');
  });

  it('exits 2 with a message on stderr for an unknown command, a missing file or an ambiguous date', () => {
    const unknown = run('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const missing = run('inspect', '/no/such/file.csv', '--json');
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('cannot read file /no/such/file.csv');
    expect(run('inspect').status).toBe(2);
    const ambiguousFile = resolve(process.cwd(), 'tests/fixtures/ambiguous-dates.csv');
    const ambiguous = run('inspect', ambiguousFile);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain('pass --date-format mdy|dmy');
    const chosen = run('inspect', ambiguousFile, '--date-format', 'dmy', '--json');
    expect(chosen.status).toBe(0);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ rows: 2, firstDate: '2024-02-01T00:00:00.000Z', lastDate: '2024-04-03T00:00:00.000Z' });
    expect(run('inspect', 'x', '--bogus').stderr).toContain('unknown option --bogus');
  });
});
