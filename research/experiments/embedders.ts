/**
 * Other embedders and fusions with ours for child-to-adult matching (issue 8).
 *   npm run bench:embedders -- prep lag-dev [--budget 540]   # detection + crops, resumable
 *   npm run bench:embedders -- run lag-dev cacd-vs lfw [--budget 540] [--only faceres,...]
 *     embeds with each embedder (cached per set; new embedding stops after the budget), evaluates
 * Prints a markdown table, writes bench/results/embedders.json.
 */
import { Matcher } from '../../src/node.js';
import { parseArgs } from '../../bench/lib/args.js';
import type { SetName } from '../../bench/lib/datasets.js';
import { prepareCrops } from './lib-crops.js';
import { experimentPairs, uniquePaths } from './lib-sets.js';

async function prep(sets: SetName[], budgetMs: number, lfwAll: boolean): Promise<void> {
  const m = await Matcher.create({ threshold: 0 });
  const t0 = performance.now();
  try {
    for (const set of sets) {
      const left = budgetMs - (performance.now() - t0);
      if (left <= 0) break;
      const idx = await prepareCrops(m, set, uniquePaths(experimentPairs(set, lfwAll)), left);
      process.stderr.write(`${set}: ${idx.done}/${idx.paths.length} images cropped, ${idx.ok.filter((x) => !x).length} without a face\n`);
    }
  } finally {
    await m.dispose();
  }
}

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const [cmd, ...rest] = positional;
  const sets = (rest.length ? rest : ['lag-dev', 'cacd-vs', 'lfw']) as SetName[];
  const lfwAll = Boolean(flags['lfw-all']);
  if (cmd === 'prep') return prep(sets, 1000 * Number(flags['budget'] ?? 540), lfwAll);
  if (cmd === 'run') {
    const only = typeof flags['only'] === 'string' ? flags['only'].split(',') : undefined;
    return (await import('./lib-embedders-run.js')).run(sets, lfwAll, 1000 * Number(flags['budget'] ?? 540), only);
  }
  throw new Error('usage: embedders.ts prep|run [sets...]');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
