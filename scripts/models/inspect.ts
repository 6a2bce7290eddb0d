// Prints a summary of an ONNX graph: inputs, outputs, op counts, opsets, and shape-bearing nodes.
// Usage: npx tsx scripts/models/inspect.ts path/to/model.onnx [--nodes]
import { readFileSync } from 'node:fs';
import { decodeModel, dimsOf } from './onnx-io.js';

const file = process.argv[2];
if (!file) throw new Error('usage: inspect.ts model.onnx [--nodes]');
const model = decodeModel(readFileSync(file));
const g = model.graph!;
console.log(`ir_version ${model.irVersion} producer ${model.producerName} ${model.producerVersion}`);
console.log('opsets', (model.opsetImport ?? []).map((o) => `${o.domain || 'ai.onnx'}:${o.version}`).join(' '));
for (const i of g.input ?? []) console.log('input', i.name, JSON.stringify(dimsOf(i)));
for (const o of g.output ?? []) console.log('output', o.name, JSON.stringify(dimsOf(o)));
console.log('initializers', g.initializer?.length, 'value_info', g.valueInfo?.length);
const counts = new Map<string, number>();
for (const n of g.node ?? []) counts.set(n.opType!, (counts.get(n.opType!) ?? 0) + 1);
console.log('ops', JSON.stringify(Object.fromEntries([...counts].sort())));
if (process.argv.includes('--nodes')) {
  for (const n of g.node ?? []) console.log(n.opType, n.name, 'in:', (n.input ?? []).join(','), 'out:', (n.output ?? []).join(','),
    (n.attribute ?? []).map((a) => a.name).join(','));
}
