import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// import.meta.url rather than __dirname: scripts run this under tsx as ES modules.
const HERE = dirname(fileURLToPath(import.meta.url));

/** ../shared/data/faces from the project root (research-only data, read in place). */
export const FACES = process.env['REUNITE_FACE_DATA'] ?? resolve(HERE, '..', '..', '..', 'shared', 'data', 'faces');
export const PUBLIC_DOMAIN = join(FACES, 'public-domain');
export const FIXTURES = resolve(HERE, '..', '..', 'fixtures', 'demo');

/**
 * Whether a data folder is there. In CI the data is always provided, so a missing folder
 * fails the run instead of silently skipping the tests that need it.
 */
export function hasData(sub: string): boolean {
  const ok = existsSync(join(FACES, sub));
  if (!ok && process.env['CI']) throw new Error(`CI is set but ${join(FACES, sub)} is missing: the evaluation data must be present`);
  return ok;
}
