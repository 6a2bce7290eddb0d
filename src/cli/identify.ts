/** `reunite-face identify --gallery DIR PHOTO...`: a one-off search against a folder, nothing kept. */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Matcher, MatcherError } from '../node.js';
import { type Command, EXIT, UsageError, bool, intFlag, str } from './command.js';
import { MATCHER_HELP, matcherFlags, matcherOptions } from './flags.js';
import { imagesIn } from './images.js';
import { progressBar } from './progress.js';

export const identify: Command = {
  name: 'identify',
  summary: 'one-off: rank the people of a folder for each face of some photos (nothing is kept)',
  help: `reunite-face identify --gallery DIR PHOTO... [-k N] [--crop] [--json]

Enrolls every photo of DIR (one sub-folder of photos per person, folder name = person) and
ranks those people for every face of each PHOTO. Nothing is saved: for a gallery kept between
runs, use \`reunite-face enroll\` and \`reunite-face search\`.

Options:
  --gallery DIR         one sub-folder of photos per person
  -k N                  candidates per face (default 5)
  --json                the results as JSON on stdout
${MATCHER_HELP}`,
  options: { gallery: { type: 'string' }, k: { type: 'string', short: 'k' }, json: { type: 'boolean' }, ...matcherFlags },
  async run({ values, positionals }) {
    const dir = str(values, 'gallery');
    if (!dir) throw new UsageError('identify needs --gallery DIR');
    if (positionals.length === 0) throw new UsageError('identify needs at least one photo');
    const k = intFlag(values, 'k', 5);
    const crop = bool(values, 'crop');
    const subjects = await subjectFolders(dir);
    const m = await Matcher.create(matcherOptions(values));
    try {
      const total = subjects.reduce((n, [, files]) => n + files.length, 0);
      const bar = progressBar(total, 'enrolling', { quiet: bool(values, 'json') });
      const skipped: { file: string; reason: string }[] = [];
      for (const [subject, files] of subjects) {
        for (const file of files) {
          try {
            await m.enroll(subject, file, { crop });
          } catch (e) {
            if (!(e instanceof MatcherError)) throw e;
            skipped.push({ file, reason: `${e.code}: ${e.message}` });
          }
          bar.tick();
        }
      }
      bar.done();
      const results = [];
      for (const photo of positionals) results.push({ photo, faces: await m.identify(photo, { k, crop }) });
      if (bool(values, 'json')) {
        console.log(JSON.stringify({ gallery: m.size, threshold: m.threshold, skipped, results }, null, 2));
        return EXIT.OK;
      }
      for (const s of skipped) console.error(`skipped ${s.file}: ${s.reason}`);
      console.log(`Gallery: ${m.size.subjects} subjects, ${m.size.templates} photos. Threshold ${m.threshold.toFixed(3)}.`);
      for (const { photo, faces } of results) {
        console.log(`\n${basename(photo)}: ${faces.length} face(s)`);
        faces.forEach((f, i) => {
          const b = f.face.box;
          console.log(`  face ${i + 1} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`);
          for (const c of f.candidates) console.log(`    ${c.match ? '*' : ' '} ${c.subjectId.padEnd(24)} ${c.score.toFixed(4)}`);
        });
      }
      console.log('\n* = at or above the threshold. Every candidate is a lead for human review.');
      return EXIT.OK;
    } finally {
      await m.dispose();
    }
  },
};

async function subjectFolders(dir: string): Promise<[string, string[]][]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    throw new MatcherError('FILE_NOT_FOUND', `gallery folder ${dir} does not exist or cannot be read`);
  }
  const subjects: [string, string[]][] = [];
  for (const name of names) {
    if ((await stat(join(dir, name))).isDirectory()) subjects.push([name, await imagesIn(join(dir, name))]);
  }
  if (subjects.length === 0) throw new UsageError(`${dir} has no sub-folders (one per person)`);
  return subjects;
}
