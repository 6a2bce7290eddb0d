/**
 * Every benchmark in turn. `npm run bench -- --quick` is the CI mode: small sizes, and it fails
 * when the embed hot path is more than 1.5x a bare onnxruntime session (a ratio from one run).
 * Then `tsx bench/readme.ts` writes the README's benchmark section from bench/results/*.json.
 */
import { spawnSync } from 'node:child_process';

const quick = process.argv.includes('--quick');
const steps: [string, string[]][] = quick
  ? [
      ['bench/embed.ts', ['--quick', '--max-ratio', '1.5']],
      ['bench/e2e.ts', ['--quick', '--peers', 'none']],
      ['bench/search.ts', ['--quick']],
      ['bench/accuracy.ts', ['lfw', '--limit', '10']],
    ]
  : [
      ['bench/embed.ts', []],
      ['bench/e2e.ts', []],
      ['bench/search.ts', []],
      ['bench/accuracy.ts', ['lfw', 'lag-dev', 'cacd-vs']],
    ];

const t0 = Date.now();
for (const [script, args] of steps) {
  console.log(`\n## ${script} ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${script} failed (exit ${r.status})`);
    process.exit(1);
  }
}
console.log(`\nall benchmarks done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
