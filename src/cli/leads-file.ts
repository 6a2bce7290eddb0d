/** Reading back what `search --json` wrote and what a report page exported as decisions. */
import { MatcherError } from '../node.js';
import { readRegularFile } from '../platform/node-files.js';
import { DECISION_VALUES, LEADS_FORMAT, type DecisionValue, type LeadsDoc } from '../report/index.js';

async function readJson(path: string, what: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readRegularFile(path, what));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MatcherError('INVALID_ARGUMENT', `${path} is not JSON: ${(e as Error).message}`);
  }
}

export async function readLeads(path: string): Promise<LeadsDoc> {
  const doc = (await readJson(path, 'leads file')) as Partial<LeadsDoc> | null;
  if (!doc || doc.format !== LEADS_FORMAT || doc.version !== 1 || !Array.isArray(doc.faces)) {
    throw new MatcherError('INVALID_ARGUMENT', `${path} is not a leads file written by reunite-face search --json`);
  }
  return doc as LeadsDoc;
}

export interface LoadedDecisions {
  byLead: Map<string, DecisionValue>;
  /** Files exported from a report of another search (applied by lead anyway). */
  otherReport: string[];
}

/** Decisions exported from report pages; a later file wins for the same lead. */
export async function readDecisions(paths: string[], reportId: string): Promise<LoadedDecisions> {
  const out: LoadedDecisions = { byLead: new Map(), otherReport: [] };
  for (const path of paths) {
    const f = (await readJson(path, 'decisions file')) as { format?: string; report?: string; decisions?: { lead?: unknown; decision?: unknown }[] } | null;
    if (!f || f.format !== 'reunite-face-decisions' || !Array.isArray(f.decisions)) {
      throw new MatcherError('INVALID_ARGUMENT', `${path} is not a decisions file exported from a reunite-face report`);
    }
    if (f.report !== reportId) out.otherReport.push(path);
    for (const d of f.decisions) {
      if (typeof d.lead === 'string' && DECISION_VALUES.includes(d.decision as DecisionValue)) out.byLead.set(d.lead, d.decision as DecisionValue);
    }
  }
  return out;
}
