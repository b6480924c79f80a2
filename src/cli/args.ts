// Minimal argv parsing shared by CLI commands: positionals, --flag and --key value / --key=value.

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

export class UsageError extends Error {}

/** `valued` lists the options that take a value; any other --name is a boolean flag. */
export function parseArgs(argv: readonly string[], valued: readonly string[], known: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (valued.includes(name)) {
      const v = eq === -1 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined) throw new UsageError(`option --${name} needs a value`);
      out.options.set(name, v);
    } else if (known.includes(name) && eq === -1) out.flags.add(name);
    else throw new UsageError(`unknown option --${name}`);
  }
  return out;
}
