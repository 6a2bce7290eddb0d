/** The leads as CSV rows (one per face and candidate, same order as the report) and as JSON. */
import { type DecisionValue, leadKey } from './html.js';
import type { LeadsDoc } from './leads.js';

/** Quotes when needed; a text cell starting like a formula is defused for spreadsheets. */
export function csvField(v: string | number | boolean | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const LEADS_CSV_COLUMNS = [
  'order',
  'photo',
  'face',
  'face_box',
  'face_quality',
  'rank',
  'case_id',
  'score',
  'match',
  'false_match_rate_adult',
  'false_match_rate_child_adult',
  'case_photo',
  'decision',
] as const;

/** With `decisions` (by lead key), the reviewer's choice fills the last column. */
export function leadsCsv(doc: LeadsDoc, decisions: ReadonlyMap<string, DecisionValue> = new Map()): string {
  const lines: string[] = [LEADS_CSV_COLUMNS.join(',')];
  doc.faces.forEach((f, i) => {
    const box = `${f.box.x},${f.box.y},${f.box.width},${f.box.height}`;
    for (const c of f.candidates) {
      lines.push(
        [i + 1, f.photo, f.face, box, f.issues.join(' '), c.rank, c.caseId, c.score.toFixed(4), c.match, c.falseMatchRate.adult?.toExponential(2), c.falseMatchRate.childAdult?.toExponential(2), c.casePhoto, decisions.get(leadKey(f, c))]
          .map(csvField)
          .join(','),
      );
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}

export function leadsJson(doc: LeadsDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
