/** The review's CSS: system fonts only (nothing to fetch), readable on screen and on paper. */
export const REPORT_CSS = `
.rf-review{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d232a;max-width:1200px;margin:0 auto;padding:0 12px}
.rf-review h1{font-size:1.6em;margin:.6em 0 .2em}
.rf-review h2{font-size:1.15em;margin:1.4em 0 .4em}
.rf-meta{color:#4a5561;margin:.2em 0}
.rf-warn{background:#fff4d6;border:1px solid #e2b740;border-radius:6px;padding:.5em .8em}
.rf-private{background:#fde8e8;border:1px solid #d98181;border-radius:6px;padding:.5em .8em}
.rf-help p{margin:.3em 0}
.rf-bar{position:sticky;top:0;z-index:2;background:#f3f5f7;border:1px solid #c9d1d9;border-radius:6px;padding:.5em .8em;margin:.8em 0;display:flex;flex-wrap:wrap;gap:.6em;align-items:center}
.rf-bar button,.rf-button{font:inherit;padding:.25em .7em;border:1px solid #8a96a3;border-radius:4px;background:#fff;cursor:pointer}
.rf-button input{display:none}
.rf-count{flex:1 1 18em}
.rf-face{display:flex;gap:14px;align-items:flex-start;border-top:2px solid #c9d1d9;padding:12px 0;break-inside:avoid;page-break-inside:avoid}
.rf-street{flex:0 0 150px;font-size:.85em;overflow-wrap:anywhere}
.rf-facecrop{display:block;width:112px;height:112px;border-radius:4px;background:#e8ecef}
div.rf-facecrop{height:auto;min-height:3em;padding:4px;box-sizing:border-box}
.rf-photo{font-weight:600;margin-top:4px}
.rf-facepos{color:#4a5561}
.rf-flags{color:#a4400b;font-weight:600}
.rf-cands{border-collapse:collapse;flex:1;font-size:.9em}
.rf-cands th{text-align:left;font-weight:600;color:#4a5561;border-bottom:1px solid #c9d1d9;padding:2px 6px}
.rf-cands td{vertical-align:top;padding:4px 6px;border-bottom:1px solid #e3e8ec}
.rf-casecrop{width:112px}
.rf-crop{display:block;width:112px;height:112px;overflow:hidden;border-radius:4px}
.rf-nocrop{display:block;font-size:.85em;color:#4a5561;overflow-wrap:anywhere;max-width:150px}
.rf-caseid{font-size:1.05em}
.rf-fields,.rf-casephoto{font-size:.85em;color:#4a5561;overflow-wrap:anywhere}
.rf-score{white-space:nowrap}
.rf-scorevalue{font-size:1.15em;font-variant-numeric:tabular-nums;font-weight:600}
.rf-badge{display:inline-block;background:#12734a;color:#fff;border-radius:3px;padding:0 .4em;font-size:.8em;font-weight:600}
.rf-fmr{font-size:.85em;color:#333c45}
.rf-decision label{display:block;white-space:nowrap;cursor:pointer}
tr.rf-decided-same{background:#e3f5ea}
tr.rf-decided-not-same{background:#f1f1f1;color:#6b7580}
tr.rf-decided-unsure{background:#fff6dd}
.rf-list{font-size:.9em;columns:2}
@media print{
.rf-bar,.rf-load{display:none}
.rf-review{max-width:none;font-size:11px}
.rf-decision input{display:none}
.rf-decision label{display:none}
.rf-decision label:has(input:checked){display:block;font-weight:600}
.rf-help{display:block}
}
`;
