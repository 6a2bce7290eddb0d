/**
 * Every `reunite-face` command, in the order `--help` lists them. A new command is one module
 * exporting a `Command`, added here (a two-word name such as `sightings add` makes a group).
 */
import type { Command } from './command.js';
import { demo } from './demo.js';
import { enroll } from './enroll.js';
import { identify } from './identify.js';
import { report } from './report.js';
import { search } from './search.js';
import { sightingsAdd, sightingsGroups } from './sightings.js';
import { verify } from './verify.js';

export const COMMANDS: readonly Command[] = [enroll, search, report, sightingsAdd, sightingsGroups, demo, verify, identify];
