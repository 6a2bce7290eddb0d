/**
 * The report as one self-contained HTML file: crops embedded as data: URLs, CSS and script
 * inline, and a Content-Security-Policy that lets the page load nothing from anywhere, so it
 * can be opened offline in any browser without reaching the network.
 */
import { type DecisionValue, type Images, caseCropStyles, escapeHtml, renderFaces, renderUnmatched } from './html.js';
import type { LeadsDoc } from './leads.js';
import { reviewScript } from './review.js';
import { REPORT_CSS } from './style.js';
import { scoreExplanation } from './words.js';

export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

export interface ReportOptions {
  images?: Images;
  /** Decisions taken earlier, by lead key (shown checked). */
  decisions?: ReadonlyMap<string, DecisionValue>;
  /** Download names for exported decisions. */
  baseName?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The header: what was searched, what a score means, that a person must check, and privacy. */
export function renderHeader(doc: LeadsDoc, photos: boolean): string {
  const s = doc.searched;
  const when = doc.generatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const searched = `${plural(s.photos, 'photo')} searched${s.photos < s.of ? ` of ${s.of.toLocaleString('en-US')}` : ''}${s.interrupted ? ' (stopped before the end)' : ''}`;
  return `<header class="rf-head">
<h1>Leads for review</h1>
<p class="rf-meta">Made ${escapeHtml(when)} from gallery ${escapeHtml(doc.gallery.name)} (${plural(doc.gallery.cases, 'case')}, ${plural(doc.gallery.photos, 'photo')}). ${searched}, ${plural(doc.faces.length, 'face')} found; the ${doc.k} closest cases for each face. Strongest leads first.</p>
<p class="rf-warn"><strong>Every lead needs a person to check it.</strong> A score, even a "match", is never proof that two photos show the same child: compare the faces, the case details and the circumstances before acting.</p>
<details class="rf-help" open><summary>What a score means</summary>${scoreExplanation(doc.threshold).map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</details>
<p class="rf-private"><strong>This file holds children's ${photos ? 'faces' : 'photo names and case details'}.</strong> It was written readable by your user account only. Do not e-mail it or copy it to a shared or cloud folder; delete it when the review is done.</p>
</header>`;
}

export function renderReviewBar(doc: LeadsDoc): string {
  const leads = doc.faces.reduce((n, f) => n + f.candidates.length, 0);
  return `<div class="rf-bar" role="region" aria-label="decisions">
<label>Reviewer <input class="rf-reviewer" type="text" autocomplete="off" size="14"></label>
<span class="rf-count" role="status">0 of ${leads} leads decided</span>
<button type="button" data-rf-export="json">Export decisions (JSON)</button>
<button type="button" data-rf-export="csv">Export decisions (CSV)</button>
<label class="rf-button">Load decisions&hellip; <input class="rf-load" type="file" accept=".json,application/json"></label>
</div>`;
}

/** The complete report page. */
export function renderReportDocument(doc: LeadsDoc, options: ReportOptions = {}): string {
  const images = options.images ?? {};
  const photos = Object.keys(images).length > 0;
  const { css, classOf } = caseCropStyles(doc, images);
  const title = `Leads for review: ${doc.gallery.name}, ${doc.generatedAt.slice(0, 10)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}
${css}</style>
</head>
<body>
<div id="rf-review" class="rf-review">
${renderHeader(doc, photos)}
${renderReviewBar(doc)}
<main class="rf-faces">
${renderFaces(doc, images, classOf, options.decisions)}
</main>
${renderUnmatched(doc)}
</div>
<script>${reviewScript('rf-review', { reportId: doc.id, ...(options.baseName ? { baseName: options.baseName } : {}) })}</script>
</body>
</html>
`;
}
