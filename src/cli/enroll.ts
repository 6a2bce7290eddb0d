/** `reunite-face enroll CASES_DIR --gallery FILE`: add case photos to a gallery kept between runs. */
import { type Command, EXIT, UsageError, bool, intFlag, str } from './command.js';
import { type EnrollSummary, enrollCases } from './enroll-cases.js';
import { MATCHER_HELP, matcherFlags, matcherOptions } from './flags.js';
import { PASSPHRASE_HELP, readPassphrase } from './passphrase.js';
import { progressBar } from './progress.js';

export const enroll: Command = {
  name: 'enroll',
  summary: 'add a folder of case photos to a gallery file (photos already in it are skipped)',
  help: `reunite-face enroll CASES_DIR --gallery FILE [--passphrase-file F] [--crop] [--face RULE] [--json]

Adds the photos of CASES_DIR to the gallery FILE (created if missing). CASES_DIR holds one
sub-folder per case; the folder name is the case id, every photo in it (sub-folders too) is
a photo of that child, and an optional case.json in it holds fields shown with every lead,
e.g. {"name": "...", "missing_since": "2019-04", "region": "north"} (flat values only).

The largest face of each photo is enrolled; a photo with a second face at least half its
area is not (it is listed: say which face is meant, or pass --face). A photo already in the
gallery (same case, same content, whatever its name) is skipped, so running the command
again after adding photos, or after a crash or Ctrl-C, only does what is left; the gallery
is saved every few seconds.
The gallery records each photo's path relative to the gallery file, its SHA-256 and the
case.json fields, so that reports can show the case photo next to a lead.

Options:
  --gallery FILE        the gallery file (written owner-only, 0600)
${PASSPHRASE_HELP}
                        (without it the gallery is not encrypted)
  --face RULE           which face of a photo with several is the case: largest, or central
                        (the one nearest the middle: centred portraits)
  --workers N           worker threads (default: one per core)
  --save-every S        seconds between saves while enrolling (default 10)
  --json                the summary as JSON on stdout (no progress bar)
${MATCHER_HELP}

Exit code: 0 done, 1 done but some photos had no face or could not be read (listed),
2 could not run, 130 stopped by Ctrl-C (what was finished is saved: run again to continue).`,
  options: {
    gallery: { type: 'string' },
    'passphrase-file': { type: 'string' },
    workers: { type: 'string' },
    'save-every': { type: 'string' },
    face: { type: 'string' },
    json: { type: 'boolean' },
    ...matcherFlags,
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new UsageError(`enroll takes one case folder (got ${positionals.length})`);
    const gallery = str(values, 'gallery');
    if (!gallery) throw new UsageError('enroll needs --gallery FILE (the gallery to create or add to)');
    const json = bool(values, 'json');
    const workers = str(values, 'workers') === undefined ? undefined : intFlag(values, 'workers', 1, 1, 256);
    const face = str(values, 'face');
    if (face !== undefined && face !== 'largest' && face !== 'central') throw new UsageError(`--face must be largest or central (got "${face}")`);
    const passphrase = await readPassphrase(str(values, 'passphrase-file'));
    const s = await enrollCases({
      dir: positionals[0]!,
      gallery,
      ...(passphrase === undefined ? {} : { passphrase }),
      options: matcherOptions(values),
      crop: bool(values, 'crop'),
      ...(face === undefined ? {} : { face }),
      ...(workers === undefined ? {} : { workers }),
      saveEvery: intFlag(values, 'save-every', 10, 1, 86_400),
      signal: ctx.signal,
      progress: (total) => progressBar(total, 'enrolling', { quiet: json }),
    });
    if (json) console.log(JSON.stringify(s, null, 2));
    else printSummary(s);
    if (s.interrupted) return EXIT.INTERRUPTED;
    return s.noFace.length > 0 || s.ambiguous.length > 0 || s.problems.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
  },
};

function printSummary(s: EnrollSummary): void {
  const lines = [
    `${s.interrupted ? 'Stopped' : 'Done'} in ${s.seconds.toFixed(1)} s: ${s.photos} photos in ${s.cases} case folders; ` +
      `${s.enrolled} faces enrolled (one per photo)${s.enrolled ? ` at ${s.photosPerSecond.toFixed(1)} photos/s on ${s.workers} worker${s.workers === 1 ? '' : 's'}` : ''}, ` +
      `${s.alreadyEnrolled} already in the gallery.`,
    `Gallery ${s.gallery}: ${s.galleryCases} cases, ${s.galleryPhotos} photos${s.encrypted ? ', encrypted' : ', NOT encrypted (use --passphrase-file)'}.`,
  ];
  if (s.interrupted) lines.push('Stopped by Ctrl-C: what was enrolled is saved; run the same command again to continue.');
  if (s.noFace.length) {
    lines.push(`No face found in ${s.noFace.length} photo(s) (if they are tight face crops, run again with --crop):`);
    for (const f of s.noFace) lines.push(`  ${f}`);
  }
  if (s.ambiguous.length) {
    lines.push(`Several faces of similar size in ${s.ambiguous.length} photo(s), not enrolled (crop the photo to the child, or run again with --face central|largest):`);
    for (const f of s.ambiguous) lines.push(`  ${f}`);
  }
  if (s.problems.length) {
    lines.push(`Problems (${s.problems.length}):`);
    for (const p of s.problems) lines.push(`  ${p.file}: ${p.problem}`);
  }
  console.log(lines.join('\n'));
}
