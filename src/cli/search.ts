/** `reunite-face search PHOTO_OR_FOLDER... --gallery FILE`: rank the cases for every face found. */
import { type Command, EXIT, UsageError, bool, intFlag, str } from './command.js';
import { MATCHER_HELP, matcherFlags, matcherOptions } from './flags.js';
import { photosFrom } from './images.js';
import { OUTPUT_HELP, type LeadsOutputs, usesStdout, writeLeads } from './leads-output.js';
import { PASSPHRASE_HELP, readPassphrase } from './passphrase.js';
import { progressBar } from './progress.js';
import { reportImages } from './report-images.js';
import { searchPhotos } from './search-photos.js';
import { printLeadsSummary } from './summary.js';

export const search: Command = {
  name: 'search',
  summary: 'rank the gallery\'s cases for every face in photos or folders; HTML report, JSON, CSV',
  help: `reunite-face search PHOTO_OR_FOLDER... --gallery FILE [--report leads.html] [--json F] [--csv F] [-k 10]

Finds every face in the photos (folders are searched with their sub-folders) and ranks the
gallery's cases for each, strongest leads first. The report shows each street face beside
the best-matching photo of each candidate case, with the score, what it means and the
false-match rates, and lets a reviewer mark each lead same / not same / unsure and export
those decisions. Every lead needs a person to check it: a match is never proof of identity.

Options:
  --gallery FILE        the gallery made by \`reunite-face enroll\`
${PASSPHRASE_HELP}
${OUTPUT_HELP}
  -k N                  candidate cases per face (default 10)
  --cases DIR           where the case photos are now, if their folder moved since enroll
  --workers N           worker threads (default: one per core)
${MATCHER_HELP}

Exit code: 0 done, 1 done but some photos could not be read (listed), 2 could not run,
130 stopped by Ctrl-C (the outputs hold the photos searched so far).`,
  options: {
    gallery: { type: 'string' },
    'passphrase-file': { type: 'string' },
    report: { type: 'string' },
    json: { type: 'string' },
    csv: { type: 'string' },
    'no-photos': { type: 'boolean' },
    k: { type: 'string', short: 'k' },
    cases: { type: 'string' },
    workers: { type: 'string' },
    ...matcherFlags,
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length === 0) throw new UsageError('search needs at least one photo or folder');
    const gallery = str(values, 'gallery');
    if (!gallery) throw new UsageError('search needs --gallery FILE (made by reunite-face enroll)');
    const outputs: LeadsOutputs = {};
    for (const o of ['report', 'json', 'csv'] as const) {
      const v = str(values, o);
      if (v !== undefined) outputs[o] = v;
    }
    if (outputs.report === '-') throw new UsageError('--report needs a file name (the report is HTML)');
    if (outputs.json === '-' && outputs.csv === '-') throw new UsageError('only one of --json and --csv can go to stdout');
    const quiet = usesStdout(outputs);
    const k = intFlag(values, 'k', 10, 1, 1000);
    const workers = str(values, 'workers') === undefined ? undefined : intFlag(values, 'workers', 1, 1, 256);
    const cases = str(values, 'cases');
    const passphrase = await readPassphrase(str(values, 'passphrase-file'));
    const photos = await photosFrom(positionals);
    const { doc, matcher } = await searchPhotos({
      photos,
      gallery,
      ...(passphrase === undefined ? {} : { passphrase }),
      options: matcherOptions(values),
      crop: bool(values, 'crop'),
      k,
      ...(workers === undefined ? {} : { workers }),
      ...(cases === undefined ? {} : { cases }),
      signal: ctx.signal,
      progress: (total) => progressBar(total, 'searching', { quiet }),
    });
    try {
      const withPhotos = outputs.report !== undefined && !bool(values, 'no-photos');
      const { images, notes } = withPhotos
        ? await reportImages(doc, async (bytes) => (await matcher.detect(bytes, { crop: true }))[0]?.box)
        : { images: {}, notes: [] };
      const written = await writeLeads(doc, outputs, { images });
      printLeadsSummary(doc, written, notes, quiet);
    } finally {
      await matcher.dispose();
    }
    if (doc.searched.interrupted) return EXIT.INTERRUPTED;
    return doc.problems.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
  },
};
