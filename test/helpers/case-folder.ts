/**
 * A case folder of public-domain portraits and a "street" folder of degraded copies of them,
 * named `<case>--<n>.<ext>` so a test knows which case each one shows.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { degradedCopies } from '../../src/cli/degrade.js';
import { FIXTURES, PUBLIC_DOMAIN, hasData } from './data.js';

export interface CaseFolder {
  cases: string;
  street: string;
  /** Street photo file name -> the case it shows. */
  expected: Map<string, string>;
  caseIds: string[];
}

export function portraits(fixturesOnly = false): Record<string, string> {
  const p: Record<string, string> = { collins: join(FIXTURES, 'astronaut.png'), hopper: join(FIXTURES, 'grace_hopper.jpg') };
  if (!fixturesOnly && hasData('public-domain')) {
    p['obama'] = join(PUBLIC_DOMAIN, 'obama.jpg');
    p['biden'] = join(PUBLIC_DOMAIN, 'biden.jpg');
  }
  return p;
}

const ext = (b: Uint8Array) => (b[0] === 0x89 ? 'png' : 'jpg');

export async function makeCaseFolder(dir: string, options: { fixturesOnly?: boolean } = {}): Promise<CaseFolder> {
  const cases = join(dir, 'cases');
  const street = join(dir, 'street');
  mkdirSync(street, { recursive: true });
  const expected = new Map<string, string>();
  const all = portraits(options.fixturesOnly);
  for (const [id, photo] of Object.entries(all)) {
    mkdirSync(join(cases, id), { recursive: true });
    copyFileSync(photo, join(cases, id, basename(photo)));
    const copies = await degradedCopies(photo);
    copies.forEach((c, i) => {
      const name = `${id}--${i + 1}.${ext(c.bytes)}`;
      writeFileSync(join(street, name), c.bytes);
      expected.set(name, id);
    });
  }
  writeFileSync(join(cases, 'collins', 'case.json'), JSON.stringify({ name: 'Eileen (public-domain fixture)', missing_since: '2019-04' }));
  if (!options.fixturesOnly && all['obama']) {
    // Another photo of the same man, not a copy of the enrolled one.
    copyFileSync(join(PUBLIC_DOMAIN, 'obama2.jpg'), join(street, 'obama--other-photo.jpg'));
    expected.set('obama--other-photo.jpg', 'obama');
  }
  return { cases, street, expected, caseIds: Object.keys(all) };
}

/** RFC 4180 rows (quoted fields with commas, doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
