// Command registry of the `shoplens` CLI: one entry in COMMANDS per command, each in its own module.

import { INSPECT_USAGE, runInspect } from './inspect';
import { SEGMENT_USAGE, runSegment } from './segment';
import { PROPENSITY_USAGE, propensityCommand } from './propensity';
import { RECOMMEND_USAGE, recommendCommand } from './recommend';
import { UsageError } from './args';
import { processIO, type CliIO } from './io';

interface Command {
  usage: string;
  summary: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  inspect: {
    usage: INSPECT_USAGE,
    summary: 'detect the layout of a file and import it: rows, customers, items, dates, bad rows',
    run: runInspect,
  },
  segment: {
    usage: SEGMENT_USAGE,
    summary: 'customer segments with k-means (k chosen on silhouette and Davies–Bouldin), or k-means on a numeric table',
    run: runSegment,
  },
  propensity: {
    usage: PROPENSITY_USAGE,
    summary: 'purchase propensity with L2 logistic regression: a customer table with a yes/no column, or a leakage-free event target',
    run: propensityCommand,
  },
  recommend: {
    usage: RECOMMEND_USAGE,
    summary: 'top-N recommendations (popularity, item-to-item, implicit ALS, explicit MF) evaluated with full ranking on one split',
    run: recommendCommand,
  },
};

export function usage(): string {
  return ['usage: shoplens <command> [options]', '', 'commands:', ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n             ${c.usage}`)].join('\n') + '\n';
}

/** Runs one command; returns the exit code (0 ok, 1 failure, 2 usage or input error). */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(`shoplens: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`shoplens ${name}: ${e.message}\n`);
      return 2;
    }
    io.err(`shoplens ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
