/** The few lines a search or report prints: best lead per face and what was written where. */
import type { LeadsDoc } from '../report/index.js';

export function printLeadsSummary(doc: LeadsDoc, written: string[], notes: string[], toStderr: boolean): void {
  const out: string[] = [];
  const s = doc.searched;
  out.push(`${s.photos} of ${s.of} photos searched${s.interrupted ? ' (stopped by Ctrl-C)' : ''}: ${doc.faces.length} faces, ${doc.noFace.length} photos without a face, ${doc.problems.length} unreadable.`);
  const top = doc.faces.slice(0, 10);
  if (top.length) out.push('Strongest leads (every lead needs a person to check it):');
  for (const f of top) {
    const c = f.candidates[0];
    out.push(`  ${f.photo} face ${f.face}: ${c ? `${c.caseId} ${c.score.toFixed(3)}${c.match ? ' match' : ''}` : 'no candidate'}`);
  }
  if (doc.faces.length > top.length) out.push(`  ... ${doc.faces.length - top.length} more faces in the outputs`);
  for (const p of doc.problems) out.push(`could not search ${p.photo}: ${p.problem}`);
  for (const n of notes) out.push(`note: ${n}`);
  for (const w of written) out.push(`wrote ${w} (owner-only)`);
  (toStderr ? console.error : console.log)(out.join('\n'));
}
