/**
 * How many impostor pairs stand behind the false-match rates the matcher reports (the shipped
 * models/calibration.json), so a report can say "1 in 3,000 or fewer" where no impostor of
 * the calibration scored as high, instead of a rate that looks measured.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Calibration, defaultModelsDir } from '../node.js';
import type { LeadsDoc } from '../report/index.js';

export async function calibrationPairs(embedderId: string, modelsDir = defaultModelsDir()): Promise<LeadsDoc['calibrationPairs']> {
  let all: Record<string, Calibration[]>;
  try {
    all = JSON.parse(await readFile(join(modelsDir, 'calibration.json'), 'utf8')) as Record<string, Calibration[]>;
  } catch {
    return undefined;
  }
  const list = all[embedderId] ?? [];
  // The sets Matcher reads falseMatchRate.adult and .childAdult from.
  const adult = list.find((c) => c.set === 'lfw')?.impostorPairs;
  const childAdult = list.find((c) => c.set === 'lag-dev')?.impostorPairs;
  return { ...(adult ? { adult } : {}), ...(childAdult ? { childAdult } : {}) };
}
