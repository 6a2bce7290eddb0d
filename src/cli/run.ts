/** Finds the command, parses its flags, runs it, and turns every failure into one line and an exit code. */
import { parseArgs } from 'node:util';
import { MatcherError } from '../node.js';
import { type Command, type OptionSpec, EXIT, UsageError } from './command.js';

const TOOL = 'reunite-face';

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `${TOOL}: find a missing child's face among photos, offline

Usage: ${TOOL} COMMAND [options]      (${TOOL} COMMAND --help for its options)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Exit codes: 0 done, 1 ran to the end but found problems (listed), 2 could not run, 130 stopped by Ctrl-C.
Matches are leads for a person to review, never proof of identity.`;
}

/** The command `argv` names (two words first, for groups) and the arguments after its name. */
export function findCommand(commands: readonly Command[], argv: string[]): { command: Command; rest: string[] } {
  const [a, b] = argv;
  const two = commands.find((c) => c.name === `${a} ${b}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = commands.find((c) => c.name === a);
  if (one) return { command: one, rest: argv.slice(1) };
  const group = commands.filter((c) => c.name.startsWith(`${a} `));
  if (group.length > 0) {
    throw new UsageError(`"${a}" needs one of: ${group.map((c) => c.name).join(', ')}; see ${TOOL} --help`);
  }
  throw new UsageError(`unknown command "${a}" (commands: ${commands.map((c) => c.name).join(', ')}); see ${TOOL} --help`);
}

function parse(command: Command, rest: string[]) {
  const options: OptionSpec = { ...command.options, help: { type: 'boolean', short: 'h' } };
  try {
    return parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e, command));
  }
}

/** node:util's messages are long and suggest `--`; say what was wrong and where help is. */
function parseArgsMessage(e: unknown, command: Command): string {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message;
  const flag = /'([^']+)'/.exec(message)?.[1];
  const help = `see ${TOOL} ${command.name} --help`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag ?? message} for ${command.name}; ${help}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const m = /'(?:(-\w), )?(--[\w-]+)/.exec(message);
    const name = m?.[1] ?? m?.[2] ?? 'an option';
    return message.includes('argument missing') ? `${name} needs a value; ${help}` : `${name} takes no value; ${help}`;
  }
  return `${message.split('\n')[0]}; ${help}`;
}

/** One line: messages from zod or the OS may span several. */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, '; ').trim();
}

/** What the user sees for a failure (stderr), and the exit code. */
export function describeFailure(e: unknown, command?: Command): { line: string; code: number } {
  if (e instanceof UsageError) {
    const hint = command && !e.message.includes('--help') ? `; see ${TOOL} ${command.name} --help` : '';
    return { line: `error: ${oneLine(e.message)}${hint}`, code: EXIT.FAILED };
  }
  if (e instanceof MatcherError) return { line: `error [${e.code}]: ${oneLine(e.message)}`, code: EXIT.FAILED };
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) return { line: `error [${errno}]: ${oneLine((e as Error).message)}`, code: EXIT.FAILED };
  const message = e instanceof Error ? e.message : String(e);
  return { line: `error: unexpected failure: ${oneLine(message)} (REUNITE_FACE_DEBUG=1 shows where)`, code: EXIT.FAILED };
}

/**
 * Runs one command line. The first Ctrl-C aborts `ctx.signal` (long commands stop taking work
 * and keep what is done); a second one quits at once.
 */
export async function runCli(commands: readonly Command[], argv: string[]): Promise<number> {
  if (argv.length === 0) {
    console.error(mainHelp(commands));
    return EXIT.FAILED;
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    if (argv[0] === 'help' && argv.length > 1) return runCli(commands, [...argv.slice(1), '--help']);
    console.log(mainHelp(commands));
    return EXIT.OK;
  }
  let command: Command | undefined;
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.INTERRUPTED);
    process.stderr.write('\nStopping after the photos in progress; finished work is kept (Ctrl-C again to quit now).\n');
    abort.abort();
  };
  try {
    const found = findCommand(commands, argv);
    command = found.command;
    // --help wins over every other mistake on the line.
    if (found.rest.includes('--help') || found.rest.includes('-h')) {
      console.log(command.help);
      return EXIT.OK;
    }
    const { values, positionals } = parse(command, found.rest);
    process.on('SIGINT', onSigint);
    return await command.run({ values, positionals }, { signal: abort.signal });
  } catch (e) {
    const { line, code } = describeFailure(e, command);
    console.error(line);
    if (process.env['REUNITE_FACE_DEBUG']) console.error(e);
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
