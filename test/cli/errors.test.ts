/**
 * What a user sees when something is wrong, for every command: --help works; a wrong flag, a
 * missing gallery, a wrong passphrase, an unreadable photo give one line naming the problem
 * and exit code 2 (could not run), or 1 when the command ran and lists what it could not do.
 * Never a stack trace.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { FIXTURES } from '../helpers/data.js';
import { type CliRun, cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-cli-errors-'));
const run = (args: string[]) => cli(args, { cwd: dir });

/** One line on stderr, nothing that looks like a stack, the expected exit code. */
function expectOneLineError(r: CliRun, code: number, pattern: RegExp): void {
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr + r.stdout).not.toMatch(/^\s+at .+[:(]/m);
}

describe('CLI errors', () => {
  beforeAll(async () => {
    mkdirSync(join(dir, 'cases', 'hopper'), { recursive: true });
    copyFileSync(join(FIXTURES, 'grace_hopper.jpg'), join(dir, 'cases', 'hopper', 'grace_hopper.jpg'));
    writeFileSync(join(dir, 'right.txt'), 'the right passphrase\n');
    writeFileSync(join(dir, 'wrong.txt'), 'not the passphrase\n');
    writeFileSync(join(dir, 'broken.jpg'), 'this is not a JPEG');
    const r = await run(['enroll', 'cases', '--gallery', 'g.rfg', '--passphrase-file', 'right.txt', '--json']);
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(COMMANDS.map((c) => c.name))('%s --help prints its usage and exits 0', async (name) => {
    const r = await run([...name.split(' '), '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(`reunite-face ${name}`)).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('--help lists every command', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
  });

  it.each(COMMANDS.map((c) => c.name))('%s with a wrong flag: one line naming it, exit 2', async (name) => {
    expectOneLineError(await run([...name.split(' '), '--no-such-flag']), 2, new RegExp(`^error: unknown option --no-such-flag for ${name}; see reunite-face ${name} --help$`));
  });

  it('a missing gallery, a missing case folder, a missing photo: exit 2', async () => {
    expectOneLineError(await run(['search', 'broken.jpg', '--gallery', 'nowhere.rfg']), 2, /gallery nowhere\.rfg does not exist/);
    expectOneLineError(await run(['enroll', 'no-such-folder', '--gallery', 'g2.rfg']), 2, /case folder no-such-folder does not exist/);
    expectOneLineError(await run(['search', 'no-such-photo.jpg', '--gallery', 'g.rfg', '--passphrase-file', 'right.txt']), 2, /no-such-photo\.jpg does not exist/);
  });

  it('a wrong or missing passphrase: exit 2', async () => {
    expectOneLineError(await run(['search', 'broken.jpg', '--gallery', 'g.rfg', '--passphrase-file', 'wrong.txt']), 2, /^error \[GALLERY_DECRYPT_FAILED\]: cannot open gallery g\.rfg: .*wrong passphrase/);
    expectOneLineError(await run(['search', 'broken.jpg', '--gallery', 'g.rfg']), 2, /^error \[GALLERY_PASSPHRASE_REQUIRED\]: gallery g\.rfg is encrypted: give its passphrase with --passphrase-file/);
    expectOneLineError(await run(['enroll', 'cases', '--gallery', 'g.rfg', '--passphrase-file', 'no-such-file.txt']), 2, /cannot read the passphrase file no-such-file\.txt: ENOENT/);
  });

  it('an unreadable photo: exit 2 when it is the input, 1 when a run lists it', async () => {
    expectOneLineError(await run(['verify', 'broken.jpg', join(FIXTURES, 'astronaut.png')]), 2, /^error \[IMAGE_DECODE_FAILED\]: broken\.jpg: not a readable image/);
    const searched = await run(['search', 'broken.jpg', join(FIXTURES, 'grace_hopper.jpg'), '--gallery', 'g.rfg', '--passphrase-file', 'right.txt']);
    expect(searched.status, searched.stderr).toBe(1);
    expect(searched.stdout).toMatch(/could not search broken\.jpg: not a readable image.*\[IMAGE_DECODE_FAILED\]/);
    expect(searched.stdout).toMatch(/grace_hopper\.jpg face 1: hopper \d\.\d+ match/);
    expect(searched.stderr + searched.stdout).not.toMatch(/^\s+at .+[:(]/m);

    copyFileSync(join(dir, 'broken.jpg'), join(dir, 'cases', 'hopper', 'broken.jpg'));
    const enrolled = await run(['enroll', 'cases', '--gallery', 'g.rfg', '--passphrase-file', 'right.txt']);
    expect(enrolled.status, enrolled.stderr).toBe(1);
    expect(enrolled.stdout).toMatch(/hopper\/broken\.jpg: not a readable image/);
    expect(enrolled.stdout).toMatch(/0 faces enrolled \(one per photo\), 1 already in the gallery/);
    expect(enrolled.stderr).toBe('');
  });
});
