/** Finding the photos a command was pointed at. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { MatcherError } from '../node.js';

export const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic']);

export function isImageName(name: string): boolean {
  return IMAGE_EXT.has(extname(name).toLowerCase()) && !name.startsWith('.');
}

/** Image files in `dir` and its sub-folders, sorted, hidden files and folders left out. */
export async function imagesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // A symbolic link counts as what it points to (folders of links to photos kept elsewhere).
    const target = e.isSymbolicLink() ? await stat(p).catch(() => undefined) : e;
    if (target?.isDirectory()) out.push(...(await imagesUnder(p)));
    else if (target?.isFile() && isImageName(e.name)) out.push(p);
  }
  return out;
}

/** Image files directly in `dir`, sorted. */
export async function imagesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter(isImageName).sort().map((f) => join(dir, f));
}

/**
 * The photos named on the command line: files as given (whatever their extension), folders
 * walked for images. A path that does not exist is an error naming it.
 */
export async function photosFrom(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new MatcherError('FILE_NOT_FOUND', `${p} does not exist`);
    }
    for (const f of s.isDirectory() ? await imagesUnder(p) : [p]) {
      // A photo named twice (a file and its folder) is searched once.
      if (!seen.has(resolve(f))) out.push(f);
      seen.add(resolve(f));
    }
  }
  return out;
}

/** The same error with the file it is about in front, so a one-line message says which photo. */
export function aboutFile(e: unknown, file: string): unknown {
  return e instanceof MatcherError && !e.message.includes(file) ? new MatcherError(e.code, `${file}: ${e.message}`, { cause: e }) : e;
}

/** ENOENT, EACCES... for a file that could not be read, or the message when there is no code. */
export function errnoText(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
