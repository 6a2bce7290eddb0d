/**
 * `reunite-face sightings add` and `sightings groups`: street photos go into the gallery file's
 * sightings, grouped by child, so a reviewer sees one row per child with where it was seen.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { MatcherError, type Matcher, type SightingGroup } from '../node.js';
import { type Command, EXIT, type FlagValues, UsageError, bool, intFlag, str } from './command.js';
import { MATCHER_HELP, matcherFlags, matcherOptions } from './flags.js';
import { openGallery } from './gallery-file.js';
import { photosFrom } from './images.js';
import { PASSPHRASE_HELP, readPassphrase } from './passphrase.js';
import { progressBar } from './progress.js';

async function open(values: FlagValues, create: boolean): Promise<{ matcher: Matcher; gallery: string; passphrase: string | undefined }> {
  const gallery = str(values, 'gallery');
  if (!gallery) throw new UsageError('needs --gallery FILE');
  const passphrase = await readPassphrase(str(values, 'passphrase-file'));
  const { matcher } = await openGallery(gallery, { ...matcherOptions(values), create, ...(passphrase === undefined ? {} : { passphrase }) });
  return { matcher, gallery, passphrase };
}

export const sightingsAdd: Command = {
  name: 'sightings add',
  summary: 'add street photos to the gallery file\'s sightings and group them by child',
  help: `reunite-face sightings add PHOTO_OR_FOLDER... --gallery FILE [--place P] [--source S] [--json]

Adds every face of each photo (folders are walked with their sub-folders) to the sightings of
the gallery FILE (created if missing), and updates the groups of faces that look like one
child. A photo already in the gallery (same content) is skipped, so the command can be run
again on a folder that grew. Each sighting records the photo's path (relative to the gallery
file), its modification time, and --place / --source if given.

Options:
  --gallery FILE        the gallery file (written owner-only, 0600)
${PASSPHRASE_HELP}
  --place P             where the photos were taken (kept with each sighting)
  --source S            who took them (kept with each sighting)
  --json                the summary as JSON on stdout (no progress bar)
${MATCHER_HELP}

Exit code: 0 done, 1 done but some photos had no face or could not be read (listed),
2 could not run, 130 stopped by Ctrl-C (the photos added so far are saved).`,
  options: { gallery: { type: 'string' }, 'passphrase-file': { type: 'string' }, place: { type: 'string' }, source: { type: 'string' }, json: { type: 'boolean' }, ...matcherFlags },
  async run({ values, positionals }, ctx) {
    if (positionals.length === 0) throw new UsageError('sightings add needs at least one photo or folder');
    const photos = await photosFrom(positionals);
    const { matcher: m, gallery, passphrase } = await open(values, true);
    const json = bool(values, 'json');
    const extra = Object.fromEntries((['place', 'source'] as const).flatMap((k) => (str(values, k) === undefined ? [] : [[k, str(values, k)!]])));
    const problems: { photo: string; reason: string }[] = [];
    let added = 0;
    let faces = 0;
    let skipped = 0;
    try {
      const bar = progressBar(photos.length, 'adding sightings', { quiet: json });
      for (const photo of photos) {
        if (ctx.signal.aborted) break;
        try {
          const bytes = new Uint8Array(await readFile(photo));
          const sightingId = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
          if (m.sightings.has(sightingId)) skipped++;
          else {
            const metadata = { file: relative(dirname(resolve(gallery)), resolve(photo)), fileModified: (await stat(photo)).mtime.toISOString(), ...extra };
            const r = await m.addSighting(bytes, { sightingId, metadata, crop: bool(values, 'crop') });
            added++;
            faces += r.faces.length;
          }
        } catch (e) {
          if (!(e instanceof MatcherError) && !(e as NodeJS.ErrnoException).code) throw e;
          problems.push({ photo, reason: e instanceof MatcherError ? `${e.code}: ${e.message}` : (e as Error).message });
        }
        bar.tick();
      }
      bar.done();
      await m.saveToFile(gallery, passphrase === undefined ? {} : { passphrase });
      const groups = await m.groupSightings();
      const summary = { gallery, added, faces, skipped, problems, sightings: m.sightings, groups: groups.length, groupsWithSeveralPhotos: groups.filter((g) => new Set(g.faces.map((f) => f.sightingId)).size > 1).length };
      if (json) console.log(JSON.stringify(summary, null, 2));
      else {
        for (const p of problems) console.error(`skipped ${p.photo}: ${p.reason}`);
        console.log(`Added ${added} photo(s) with ${faces} face(s); ${skipped} already in the gallery. Sightings: ${m.sightings.size} photos, ${m.sightings.faces} faces in ${summary.groups} groups (${summary.groupsWithSeveralPhotos} seen in several photos).`);
        console.log(`See them with: reunite-face sightings groups --gallery ${gallery}`);
      }
      if (ctx.signal.aborted) return EXIT.INTERRUPTED;
      return problems.length ? EXIT.PROBLEMS : EXIT.OK;
    } finally {
      await m.dispose();
    }
  },
};

export const sightingsGroups: Command = {
  name: 'sightings groups',
  summary: 'list the gallery\'s sightings grouped by child, with where and when each was seen',
  help: `reunite-face sightings groups --gallery FILE [--min-photos N] [--json]

Lists the groups of sightings (faces that look like one child), largest first: for each, its
photos with place and time, and the faces held most loosely marked "check" (outlier).
With --json, the groups as the library returns them (groupId, faces, representative).

Options:
  --gallery FILE        the gallery file
${PASSPHRASE_HELP}
  --min-photos N        only groups seen in at least N photos (default 1)
  --json                the groups as JSON on stdout`,
  options: { gallery: { type: 'string' }, 'passphrase-file': { type: 'string' }, 'min-photos': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const minPhotos = intFlag(values, 'min-photos', 1, 1, 1_000_000);
    const { matcher: m } = await open(values, false);
    try {
      const photos = (g: SightingGroup) => new Set(g.faces.map((f) => f.sightingId)).size;
      const groups = (await m.groupSightings()).filter((g) => photos(g) >= minPhotos).sort((a, b) => photos(b) - photos(a));
      if (bool(values, 'json')) {
        console.log(JSON.stringify(groups, null, 2));
        return EXIT.OK;
      }
      console.log(`${m.sightings.size} sightings, ${m.sightings.faces} faces; ${groups.length} group(s) seen in at least ${minPhotos} photo(s).`);
      for (const g of groups) {
        console.log(`\n${g.groupId}: ${g.faces.length} face(s) in ${photos(g)} photo(s)`);
        for (const f of g.faces) {
          const where = [f.metadata['place'], f.metadata['takenAt'] ?? f.metadata['fileModified'], f.metadata['file']].filter((x) => x !== undefined && x !== null).join('  ');
          console.log(`  ${f.outlier ? 'check' : '     '} ${f.sightingId.slice(0, 12)}#${f.faceIndex}  ${where}`);
        }
      }
      return EXIT.OK;
    } finally {
      await m.dispose();
    }
  },
};
