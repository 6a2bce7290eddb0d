/** `reunite-face report LEADS.json --out leads.html`: the report again, from a search's JSON, with decisions taken. */
import { posix, join } from 'node:path';
import { Matcher } from '../node.js';
import type { LeadsDoc } from '../report/index.js';
import { type Command, EXIT, UsageError, bool, str } from './command.js';
import { PRECISION_ONLY_HELP, matcherOptions } from './flags.js';
import { readDecisions, readLeads } from './leads-file.js';
import { writeLeads } from './leads-output.js';
import { reportImages } from './report-images.js';
import { printLeadsSummary } from './summary.js';

export const report: Command = {
  name: 'report',
  summary: 'the HTML report (and CSV) again from a search\'s JSON, with the decisions taken so far',
  help: `reunite-face report LEADS.json --out leads.html [--decisions FILE]... [--csv FILE] [--no-photos]

Renders the report of an earlier \`reunite-face search --json LEADS.json\` without searching
again: the faces are cut from the photos again (they must still be where they were). With
--decisions, the choices a reviewer exported from a report page (same / not same / unsure)
are shown ticked, and the CSV gets them in its decision column: that is how decisions are
kept and shared.

Options:
  --out FILE            the HTML report (one self-contained file, opens offline)
  --decisions FILE      decisions exported from a report page (JSON); may be repeated, later wins
  --csv FILE            the leads as CSV with a decision column (- for stdout)
  --no-photos           the report names the photos instead of showing the faces
  --cases DIR           where the case photos are now, if their folder moved
${PRECISION_ONLY_HELP}
                        (only to find the face in case photos whose face box was not recorded)
Reports and exports hold children's faces or names: they are written owner-only (0600).`,
  options: {
    out: { type: 'string', short: 'o' },
    decisions: { type: 'string', multiple: true },
    csv: { type: 'string' },
    'no-photos': { type: 'boolean' },
    cases: { type: 'string' },
    precision: { type: 'string' },
  },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`report takes one leads file written by search --json (got ${positionals.length})`);
    const out = str(values, 'out');
    const csv = str(values, 'csv');
    if (!out && !csv) throw new UsageError('report needs --out FILE (HTML) or --csv FILE');
    if (out === '-') throw new UsageError('--out needs a file name (the report is HTML)');
    const doc = await readLeads(positionals[0]!);
    const cases = str(values, 'cases');
    if (cases !== undefined) moveCasePhotos(doc, cases);
    const decisionFiles = (values['decisions'] as string[] | undefined) ?? [];
    const { byLead, otherReport } = await readDecisions(decisionFiles, doc.id);
    const notes = otherReport.map((f) => `${f} was exported from another report; its decisions were matched by photo, face and case`);
    let images = {};
    if (out && !bool(values, 'no-photos')) {
      let m: Matcher | undefined;
      try {
        const r = await reportImages(doc, async (bytes) => {
          m ??= await Matcher.create({ ...matcherOptions(values), threads: 1 });
          return (await m.detect(bytes, { crop: true }))[0]?.box;
        });
        images = r.images;
        notes.push(...r.notes);
      } finally {
        await m?.dispose();
      }
    }
    const written = await writeLeads(doc, { ...(out ? { report: out } : {}), ...(csv ? { csv } : {}) }, { images, decisions: byLead });
    if (decisionFiles.length) notes.push(`${byLead.size} decisions applied`);
    printLeadsSummary(doc, written, notes, csv === '-');
    return EXIT.OK;
  },
};

function moveCasePhotos(doc: LeadsDoc, dir: string): void {
  for (const f of doc.faces) {
    for (const c of f.candidates) if (c.casePhoto) c.casePhotoFile = posix.normalize(join(dir, c.casePhoto));
  }
}
