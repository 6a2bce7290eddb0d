// `npm run models:convert [-- name ...]`: converts human-models graph models to build/converted/<name>.onnx
// and reports the ops each graph uses.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { convertGraphModel } from './convert.js';
import { loadGraphModel } from './graph-model.js';
import { CONVERTED_DIR, HUMAN_MODELS_DIR } from './paths.js';

const DEFAULT_MODELS = ['mobilefacenet', 'faceres', 'faceres-deep', 'facemesh-detection-full', 'facemesh-detection-short', 'blazeface', 'mobileface'];

interface ModelReport {
  model: string;
  ok: boolean;
  error?: string;
  convertMs?: number;
  bytes?: number;
  inputs?: Array<{ name: string; dims: unknown }>;
  outputs?: Array<{ name: string; dims: unknown }>;
  tfOps?: Record<string, number>;
  onnxOps?: Record<string, number>;
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const models = names.length ? names : DEFAULT_MODELS;
  await mkdir(CONVERTED_DIR, { recursive: true });
  const reports: ModelReport[] = [];
  for (const model of models) {
    const t0 = performance.now();
    try {
      const loaded = await loadGraphModel(join(HUMAN_MODELS_DIR, `${model}.json`));
      const res = convertGraphModel(loaded, { graphName: model });
      const convertMs = performance.now() - t0;
      await writeFile(join(CONVERTED_DIR, `${model}.onnx`), res.bytes);
      reports.push({
        model,
        ok: true,
        convertMs: Math.round(convertMs),
        bytes: res.bytes.byteLength,
        inputs: res.inputs.map((i) => ({ name: i.name, dims: i.dims })),
        outputs: res.outputs.map((o) => ({ name: o.name, dims: o.dims })),
        tfOps: Object.fromEntries(res.tfOps),
        onnxOps: Object.fromEntries(res.onnxOps),
      });
    } catch (e) {
      reports.push({ model, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  console.log('| model | ok | convert ms | ONNX bytes | inputs | outputs |');
  console.log('|---|---|---|---|---|---|');
  for (const r of reports) {
    const io = (xs?: Array<{ name: string; dims: unknown }>) => (xs ?? []).map((x) => `${x.name} ${JSON.stringify(x.dims)}`).join('<br>');
    console.log(`| ${r.model} | ${r.ok ? 'yes' : `NO: ${r.error}`} | ${r.convertMs ?? ''} | ${r.bytes ?? ''} | ${io(r.inputs)} | ${io(r.outputs)} |`);
  }
  console.log('\nTF ops per model (nodes the outputs depend on):');
  for (const r of reports) if (r.tfOps) console.log(`- ${r.model}: ${Object.entries(r.tfOps).map(([k, v]) => `${k}×${v}`).join(', ')}`);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/tfjs2onnx-convert.json', `${JSON.stringify(reports, null, 2)}\n`);
  if (reports.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
