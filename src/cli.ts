#!/usr/bin/env node
/** `reunite-face` command line: the commands are in src/cli/commands.ts, one module each. */
import { COMMANDS } from './cli/commands.js';
import { runCli } from './cli/run.js';

runCli(COMMANDS, process.argv.slice(2)).then(
  // Exit once stdout has taken everything (a large --json to a pipe), even if a handle lingers.
  (code) => process.stdout.write('', () => process.exit(code)),
  () => process.exit(2),
);
