/**
 * `reunite-face/report`: the review of leads as HTML and data, shared by the CLI's report file
 * and the browser demo. Platform-independent: no Node and no DOM imports (installReview uses
 * the page's DOM when called).
 */
export { LEADS_FORMAT, calibrationPairsOf, caseLead, faceIssues, faceLeads, sortFaceLeads } from './leads.js';
export type { CaseLead, CasePhotoReader, FaceLead, LeadsDoc } from './leads.js';
export { DECISION_VALUES, caseCropStyles, caseImageKey, escapeHtml, faceImageKey, leadKey, renderFaces, renderUnmatched } from './html.js';
export type { DecisionValue, Images } from './html.js';
export { REPORT_CSP, renderHeader, renderReportDocument, renderReviewBar } from './document.js';
export type { ReportOptions } from './document.js';
export { installReview, reviewScript } from './review.js';
export type { ReviewDecision, ReviewHandle, ReviewOptions } from './review.js';
export { REPORT_CSS } from './style.js';
export { issueWords, rateWords, scoreExplanation } from './words.js';
export { LEADS_CSV_COLUMNS, csvField, leadsCsv, leadsJson } from './exports.js';
