import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Root folder of an installed package. Resolved through its main entry and
 * walked up to package.json, because some packages' "exports" hide
 * package.json and the subpaths we need (e.g. the *.node-wasm.js builds).
 */
export function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === name) return dir;
    } catch {
      // no package.json at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found`);
    dir = parent;
  }
}

export function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(name), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Loads a CommonJS file of a package by path, bypassing its "exports" map. */
export function requirePackageFile<T>(name: string, file: string): T {
  return require(join(packageRoot(name), file)) as T;
}
