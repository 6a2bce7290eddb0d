/** What every `reunite-face` command is: a name, its help, its flags and a run function. */
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Flag values as node:util parseArgs returns them. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandArgs {
  values: FlagValues;
  positionals: string[];
}

/** Exit codes: 0 done, 1 ran to the end but found problems (listed), 2 could not run, 130 interrupted. */
export const EXIT = { OK: 0, PROBLEMS: 1, FAILED: 2, INTERRUPTED: 130 } as const;

export interface CliContext {
  /** Aborted on the first Ctrl-C: long commands stop taking new work, keep what is finished and return INTERRUPTED. */
  signal: AbortSignal;
}

export interface Command {
  /** What the user types: one word (`enroll`) or two for a group (`sightings add`). */
  name: string;
  /** One line for `reunite-face --help`. */
  summary: string;
  /** The whole `--help` text: usage, arguments, options, what the output holds. */
  help: string;
  /** Flags (node:util parseArgs); `--help`/`-h` is added to every command. */
  options: OptionSpec;
  run(args: CommandArgs, ctx: CliContext): Promise<number>;
}

/** A mistake in how the command was called (wrong flag, missing argument): exit 2 with a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The string value of a flag, or undefined. */
export function str(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(values: FlagValues, name: string): boolean {
  return values[name] === true;
}

/** A flag that must be a whole number in [min, max]. */
export function intFlag(values: FlagValues, name: string, fallback: number, min = 1, max = 1_000_000): number {
  const raw = str(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flagName(name)} takes a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** `-k` for one letter, `--gallery` otherwise: as the user typed it. */
export function flagName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
