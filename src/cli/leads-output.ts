/** Writing what a search found: the HTML report, JSON and CSV, owner-only (they name and show children). */
import { basename, extname } from 'node:path';
import { type DecisionValue, type Images, type LeadsDoc, leadsCsv, leadsJson, renderReportDocument } from '../report/index.js';
import { writePrivateFile } from './private-files.js';

export interface LeadsOutputs {
  report?: string;
  /** A file, or `-` for stdout. */
  json?: string;
  csv?: string;
}

export const OUTPUT_HELP = `  --report FILE         the HTML report: one self-contained file, opens offline in any browser
  --json FILE           the leads as JSON (- for stdout), e.g. for \`reunite-face report\`
  --csv FILE            the leads as CSV, one row per face and candidate (- for stdout)
  --no-photos           the report names the photos instead of showing the faces
Reports and exports hold children's faces or names: they are written owner-only (0600).`;

export function usesStdout(o: LeadsOutputs): boolean {
  return o.json === '-' || o.csv === '-';
}

async function put(target: string, text: string): Promise<void> {
  if (target === '-') process.stdout.write(text);
  else await writePrivateFile(target, text);
}

/** Writes every output asked for; returns the files written. */
export async function writeLeads(
  doc: LeadsDoc,
  o: LeadsOutputs,
  render: { images?: Images; decisions?: ReadonlyMap<string, DecisionValue> } = {},
): Promise<string[]> {
  const written: string[] = [];
  if (o.report) {
    const baseName = basename(o.report, extname(o.report));
    await writePrivateFile(o.report, renderReportDocument(doc, { ...render, baseName }));
    written.push(o.report);
  }
  if (o.json) {
    await put(o.json, leadsJson(doc));
    if (o.json !== '-') written.push(o.json);
  }
  if (o.csv) {
    await put(o.csv, leadsCsv(doc, render.decisions));
    if (o.csv !== '-') written.push(o.csv);
  }
  return written;
}
