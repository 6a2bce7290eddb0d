/**
 * How many impostor pairs stand behind the false-match rates the matcher reports (the shipped
 * models/calibration.json), so a report can say "1 in 3,000 or fewer" where no impostor of
 * the calibration scored as high, instead of a rate that looks measured.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultModelsDir } from '../node.js';
import { type LeadsDoc, calibrationPairsOf } from '../report/index.js';

export async function calibrationPairs(embedderId: string, modelsDir = defaultModelsDir()): Promise<LeadsDoc['calibrationPairs']> {
  try {
    return calibrationPairsOf(JSON.parse(await readFile(join(modelsDir, 'calibration.json'), 'utf8')), embedderId);
  } catch {
    return undefined;
  }
}
