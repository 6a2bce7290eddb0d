/**
 * The reviewer's side of the page: same / not same / unsure per lead, kept in the page,
 * exported as JSON or CSV, and loaded back from an earlier export. The browser demo calls
 * `installReview` directly; the report file inlines its source (`reviewScript`), so it must
 * stay self-contained: no imports, nothing from outside its own body.
 */

export interface ReviewDecision {
  lead: string;
  photo: string;
  face: number;
  caseId: string;
  rank: number;
  score: number;
  decision: string;
  reviewer: string;
  decidedAt: string;
}

export interface ReviewOptions {
  /** The review's id (LeadsDoc.id): written into exports, checked when loading one. */
  reportId: string;
  /** Download names: `${baseName}-decisions.json` / `.csv`. */
  baseName?: string;
}

export interface ReviewHandle {
  decisions(): ReviewDecision[];
  json(): string;
  csv(): string;
  /** Applies an export; returns how many leads were found in this page. */
  load(text: string): { applied: number; missing: number; otherReport: boolean };
  /** Stops listening to the window (the root's own listeners go with the element). */
  dispose(): void;
}

export function installReview(root: HTMLElement, options: ReviewOptions): ReviewHandle {
  const state = new Map<string, ReviewDecision>();
  let unsaved = false;
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const rows = () => Array.from(root.querySelectorAll<HTMLTableRowElement>('tr.rf-cand'));
  const reviewer = () => q<HTMLInputElement>('.rf-reviewer')?.value.trim() ?? '';

  function record(tr: HTMLTableRowElement, value: string, at: string): void {
    const d = tr.dataset;
    state.set(d['lead'] ?? '', {
      lead: d['lead'] ?? '',
      photo: d['photo'] ?? '',
      face: Number(d['faceIndex']),
      caseId: d['case'] ?? '',
      rank: Number(d['rank']),
      score: Number(d['score']),
      decision: value,
      reviewer: reviewer(),
      decidedAt: at,
    });
    for (const v of ['same', 'not-same', 'unsure']) tr.classList.toggle(`rf-decided-${v}`, v === value);
  }

  function refresh(message?: string): void {
    const counts = { same: 0, 'not-same': 0, unsure: 0 } as Record<string, number>;
    for (const d of state.values()) counts[d.decision] = (counts[d.decision] ?? 0) + 1;
    const total = rows().length;
    const el = q<HTMLElement>('.rf-count');
    if (el) {
      el.textContent =
        `${state.size} of ${total} leads decided: ${counts['same']} same, ${counts['not-same']} not same, ${counts['unsure']} unsure` +
        (unsaved ? ' (not exported yet)' : '') +
        (message ? `. ${message}` : '');
    }
  }

  function csvField(v: string | number): string {
    let s = String(v);
    // A spreadsheet runs a cell starting with = + - @ as a formula.
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function list(): ReviewDecision[] {
    return [...state.values()].sort((a, b) => a.lead.localeCompare(b.lead));
  }

  function json(): string {
    return JSON.stringify(
      { format: 'reunite-face-decisions', version: 1, report: options.reportId, exportedAt: new Date().toISOString(), decisions: list() },
      null,
      2,
    );
  }

  function csv(): string {
    const head = ['report', 'photo', 'face', 'case_id', 'rank', 'score', 'decision', 'reviewer', 'decided_at'];
    const lines = list().map((d) => [options.reportId, d.photo, d.face, d.caseId, d.rank, d.score, d.decision, d.reviewer, d.decidedAt].map(csvField).join(','));
    return `${[head.join(','), ...lines].join('\r\n')}\r\n`;
  }

  function download(text: string, ext: string, type: string): void {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${options.baseName ?? 'leads'}-decisions.${ext}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    unsaved = false;
    refresh();
  }

  function load(text: string): { applied: number; missing: number; otherReport: boolean } {
    const data = JSON.parse(text) as { format?: string; report?: string; decisions?: ReviewDecision[] };
    if (data.format !== 'reunite-face-decisions' || !Array.isArray(data.decisions)) throw new Error('not a decisions file exported from a reunite-face report');
    const byLead = new Map(rows().map((tr) => [tr.dataset['lead'], tr]));
    let applied = 0;
    for (const d of data.decisions) {
      const tr = byLead.get(d.lead);
      if (!['same', 'not-same', 'unsure'].includes(d.decision)) continue;
      const input = tr?.querySelector<HTMLInputElement>(`input[value="${d.decision}"]`);
      if (!tr || !input) continue;
      input.checked = true;
      record(tr, d.decision, d.decidedAt);
      applied++;
    }
    refresh();
    return { applied, missing: data.decisions.length - applied, otherReport: data.report !== options.reportId };
  }

  for (const tr of rows()) {
    const checked = tr.querySelector<HTMLInputElement>('input[type=radio]:checked');
    if (checked) record(tr, checked.value, '');
  }
  root.addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    if (input.matches('.rf-load')) {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      void file
        .text()
        .then((text) => {
          const r = load(text);
          unsaved = true;
          refresh(`Loaded ${r.applied} decisions${r.missing ? `, ${r.missing} not in this report` : ''}${r.otherReport ? ' (exported from another report)' : ''}`);
        })
        .catch((err: Error) => refresh(`Could not load: ${err.message}`));
      return;
    }
    const tr = input.closest<HTMLTableRowElement>('tr.rf-cand');
    if (!tr || input.type !== 'radio') return;
    record(tr, input.value, new Date().toISOString());
    unsaved = true;
    refresh();
  });
  root.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLElement>('[data-rf-export]');
    if (!button) return;
    if (button.dataset['rfExport'] === 'csv') download(csv(), 'csv', 'text/csv');
    else download(json(), 'json', 'application/json');
  });
  const onUnload = (e: BeforeUnloadEvent) => {
    if (unsaved) e.preventDefault();
  };
  window.addEventListener('beforeunload', onUnload);
  refresh();
  return { decisions: list, json, csv, load, dispose: () => window.removeEventListener('beforeunload', onUnload) };
}

/**
 * `installReview` as a classic script for a standalone page. Dev tools (tsx) compile nested
 * functions with calls to esbuild's `__name` helper; the page defines it as a no-op.
 */
export function reviewScript(rootId: string, options: ReviewOptions): string {
  const opts = JSON.stringify(options).replace(/</g, '\\u003c');
  const source = installReview.toString();
  if (/<\/script/i.test(source)) throw new Error('installReview cannot be inlined: its source contains </script');
  return `"use strict";var __name=function(f){return f};\nwindow.reuniteReview=(${source})(document.getElementById(${JSON.stringify(rootId)}),${opts});`;
}
