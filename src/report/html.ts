/**
 * The review rows as HTML text: one block per face (its crop, photo name and quality flags)
 * with a row per candidate case (case photo crop, case id and fields, score, false-match rates,
 * a same / not same / unsure choice). Shared by the CLI's report file and the browser demo.
 */
import type { CaseLead, FaceLead, LeadsDoc } from './leads.js';
import { issueWords, rateWords, scoreText } from './words.js';

export type DecisionValue = 'same' | 'not-same' | 'unsure';
export const DECISION_VALUES: readonly DecisionValue[] = ['same', 'not-same', 'unsure'];
const DECISION_LABELS: Record<DecisionValue, string> = { same: 'same', 'not-same': 'not same', unsure: 'unsure' };

/**
 * Crops as data: URLs, by `faceImageKey` / `caseImageKey`. A missing crop is replaced by the
 * file's name (always so with --no-photos).
 */
export type Images = Readonly<Record<string, string>>;

export const faceImageKey = (f: FaceLead) => `face:${f.id}`;
export const caseImageKey = (c: Pick<CaseLead, 'templateId'>) => `case:${c.templateId}`;

/** The key of one lead (a face and one candidate case), as decisions record it. */
export const leadKey = (f: FaceLead, c: CaseLead) => `${f.id}|${c.caseId}`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A data: URL is embedded only when it is an image; anything else is dropped. */
function safeImage(url: string | undefined): string | undefined {
  return url && /^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/.test(url) ? url : undefined;
}

function boxText(b: { x: number; y: number; width: number; height: number }): string {
  return `${b.width}x${b.height} at ${b.x},${b.y}`;
}

/**
 * Case crops repeat across faces (a case can be a candidate of many), so each is embedded once
 * as a CSS rule and shown through a class: the report stays small on large searches.
 */
export function caseCropStyles(doc: LeadsDoc, images: Images): { css: string; classOf: Map<string, string> } {
  const classOf = new Map<string, string>();
  const rules: string[] = [];
  for (const f of doc.faces) {
    for (const c of f.candidates) {
      const key = caseImageKey(c);
      const url = safeImage(images[key]);
      if (!url || classOf.has(key)) continue;
      const cls = `rf-c${classOf.size}`;
      classOf.set(key, cls);
      rules.push(`.${cls}::before{content:url(${url})}`);
    }
  }
  return { css: rules.join('\n'), classOf };
}

function decisionCell(f: FaceLead, c: CaseLead, name: string, chosen: DecisionValue | undefined): string {
  const options = DECISION_VALUES.map(
    (v) => `<label class="rf-d-${v}"><input type="radio" name="${name}" value="${v}"${chosen === v ? ' checked' : ''}> ${DECISION_LABELS[v]}</label>`,
  ).join('');
  return `<td class="rf-decision" aria-label="decision for ${escapeHtml(c.caseId)} and ${escapeHtml(f.id)}">${options}</td>`;
}

function fieldsText(c: CaseLead): string {
  const parts = Object.entries(c.fields).map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(String(v))}`);
  return parts.length ? `<div class="rf-fields">${parts.join('<br>')}</div>` : '';
}

function candidateRow(f: FaceLead, c: CaseLead, fi: number, cropClass: string | undefined, chosen: DecisionValue | undefined, pairs: LeadsDoc['calibrationPairs']): string {
  const photo = c.casePhoto ? escapeHtml(c.casePhoto) : 'case photo not recorded';
  const crop = cropClass
    ? `<span class="rf-crop ${cropClass}" role="img" aria-label="case photo ${photo}"></span>`
    : `<span class="rf-nocrop">${photo}</span>`;
  const issues = issueWords(c.caseIssues);
  const data = `data-lead="${escapeHtml(leadKey(f, c))}" data-face="${escapeHtml(f.id)}" data-photo="${escapeHtml(f.photo)}" data-face-index="${f.face}" data-case="${escapeHtml(c.caseId)}" data-score="${c.score.toFixed(4)}" data-rank="${c.rank}"`;
  return `<tr class="rf-cand${c.match ? ' rf-match' : ''}${chosen ? ` rf-decided-${chosen}` : ''}" ${data}>
<td class="rf-rank">${c.rank}</td>
<td class="rf-casecrop">${crop}</td>
<td class="rf-case"><strong class="rf-caseid">${escapeHtml(c.caseId)}</strong>${fieldsText(c)}<div class="rf-casephoto">${photo}${issues.length ? ` <span class="rf-flags">(${escapeHtml(issues.join(', '))})</span>` : ''}</div></td>
<td class="rf-score"><span class="rf-scorevalue">${scoreText(c.score)}</span>${c.match ? ' <span class="rf-badge">match</span>' : ''}</td>
<td class="rf-fmr">adults: ${rateWords(c.falseMatchRate.adult, pairs?.adult)}<br>child vs adult: ${rateWords(c.falseMatchRate.childAdult, pairs?.childAdult)}</td>
${decisionCell(f, c, `rf-d${fi}-${c.rank}`, chosen)}
</tr>`;
}

function faceBlock(f: FaceLead, fi: number, images: Images, classOf: Map<string, string>, decisions: ReadonlyMap<string, DecisionValue>, pairs: LeadsDoc['calibrationPairs']): string {
  const url = safeImage(images[faceImageKey(f)]);
  const name = `${escapeHtml(f.photo)}, face ${f.face}`;
  const crop = url
    ? `<img class="rf-facecrop" src="${url}" width="112" height="112" alt="${name}">`
    : `<div class="rf-nocrop rf-facecrop">${escapeHtml(f.photo)}<br>face ${f.face}: ${boxText(f.box)}</div>`;
  const issues = issueWords(f.issues);
  const rows = f.candidates.map((c) => candidateRow(f, c, fi, classOf.get(caseImageKey(c)), decisions.get(leadKey(f, c)), pairs)).join('\n');
  return `<article class="rf-face" id="rf-face-${fi + 1}" data-face="${escapeHtml(f.id)}">
<div class="rf-street">${crop}<div class="rf-photo">${escapeHtml(f.photo)}</div><div class="rf-facepos">face ${f.face}, ${boxText(f.box)}</div>${issues.length ? `<div class="rf-flags">${escapeHtml(issues.join(', '))}</div>` : ''}</div>
${
  f.candidates.length
    ? `<table class="rf-cands"><thead><tr><th>#</th><th>case photo</th><th>case</th><th>score</th><th>false-match rate</th><th>decision</th></tr></thead><tbody>
${rows}
</tbody></table>`
    : '<p class="rf-empty">The gallery is empty: no candidate.</p>'
}
</article>`;
}

/** The rows of every face, strongest lead first, with the decisions already taken checked. */
export function renderFaces(doc: LeadsDoc, images: Images, classOf: Map<string, string>, decisions: ReadonlyMap<string, DecisionValue> = new Map()): string {
  return doc.faces.map((f, i) => faceBlock(f, i, images, classOf, decisions, doc.calibrationPairs)).join('\n');
}

/** Photos with no face and photos that could not be searched, named. */
export function renderUnmatched(doc: LeadsDoc): string {
  const parts: string[] = [];
  if (doc.noFace.length) {
    parts.push(`<h2>No face found (${doc.noFace.length} photo${doc.noFace.length === 1 ? '' : 's'})</h2><ul class="rf-list">${doc.noFace.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`);
  }
  if (doc.problems.length) {
    parts.push(`<h2>Could not be searched (${doc.problems.length})</h2><ul class="rf-list">${doc.problems.map((p) => `<li>${escapeHtml(p.photo)}: ${escapeHtml(p.problem)}</li>`).join('')}</ul>`);
  }
  return parts.join('\n');
}
