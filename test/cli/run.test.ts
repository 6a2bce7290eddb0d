/** The command table and dispatcher, in-process with stand-in commands (no models). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Command, EXIT, UsageError, intFlag } from '../../src/cli/command.js';
import { describeFailure, findCommand, mainHelp, runCli } from '../../src/cli/run.js';
import { MatcherError } from '../../src/node.js';

const calls: unknown[] = [];
const cmd = (name: string, run?: Command['run']): Command => ({
  name,
  summary: `does ${name}`,
  help: `help of ${name}`,
  options: { n: { type: 'string', short: 'n' }, flag: { type: 'boolean' } },
  run:
    run ??
    (async (args) => {
      calls.push([name, args.values, args.positionals]);
      return EXIT.OK;
    }),
});
const table = [cmd('enroll'), cmd('sightings add'), cmd('sightings groups')];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
  calls.length = 0;
});

describe('command table', () => {
  it('finds one- and two-word commands and passes their flags', async () => {
    expect(findCommand(table, ['sightings', 'add', 'x']).command.name).toBe('sightings add');
    expect(findCommand(table, ['enroll', 'sightings']).rest).toEqual(['sightings']);
    capture();
    expect(await runCli(table, ['sightings', 'groups', '-n', '3', 'a', '--flag'])).toBe(0);
    expect(calls).toEqual([['sightings groups', { n: '3', flag: true }, ['a']]]);
  });

  it('lists every command in --help, and --help of a command wins over a wrong flag', async () => {
    const { out } = capture();
    expect(await runCli(table, ['--help'])).toBe(EXIT.OK);
    expect(out[0]).toContain('sightings groups');
    expect(mainHelp(table)).toContain('does enroll');
    expect(await runCli(table, ['enroll', '--nope', '--help'])).toBe(EXIT.OK);
    expect(out[1]).toBe('help of enroll');
    expect(calls).toEqual([]);
  });

  it('turns every mistake into one line and exit code 2', async () => {
    const { err } = capture();
    expect(await runCli(table, ['enroll', '--nope'])).toBe(EXIT.FAILED);
    expect(await runCli(table, ['enroll', '-n'])).toBe(EXIT.FAILED);
    expect(await runCli(table, ['enroll', '--flag=yes'])).toBe(EXIT.FAILED);
    expect(await runCli(table, ['sightings'])).toBe(EXIT.FAILED);
    expect(await runCli(table, ['nothing'])).toBe(EXIT.FAILED);
    expect(err).toEqual([
      'error: unknown option --nope for enroll; see reunite-face enroll --help',
      'error: -n needs a value; see reunite-face enroll --help',
      'error: --flag takes no value; see reunite-face enroll --help',
      'error: "sightings" needs one of: sightings add, sightings groups; see reunite-face --help',
      'error: unknown command "nothing" (commands: enroll, sightings add, sightings groups); see reunite-face --help',
    ]);
  });

  it('reports a failing command in one line, without a stack', async () => {
    const { err } = capture();
    const boom = cmd('boom', async () => {
      throw new Error('first line\n    at somewhere (file.ts:1:1)');
    });
    expect(await runCli([boom], ['boom'])).toBe(EXIT.FAILED);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: unexpected failure: first line; at somewhere/);
    expect(describeFailure(new MatcherError('GALLERY_DECRYPT_FAILED', 'wrong passphrase')).line).toBe('error [GALLERY_DECRYPT_FAILED]: wrong passphrase');
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT' });
    expect(describeFailure(enoent).line).toBe("error [ENOENT]: ENOENT: no such file or directory, open 'x'");
  });

  it('checks whole-number flags', () => {
    expect(intFlag({ k: '7' }, 'k', 5)).toBe(7);
    expect(intFlag({}, 'k', 5)).toBe(5);
    expect(() => intFlag({ k: '0' }, 'k', 5)).toThrow(UsageError);
    expect(() => intFlag({ workers: '1.5' }, 'workers', 1)).toThrow('--workers takes a whole number');
  });
});
