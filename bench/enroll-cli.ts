/**
 * `reunite-face enroll` on LFW photos (a case folder of one sub-folder per person) against the
 * two baselines on the same photos in the same run: one matcher on 2 ONNX Runtime threads, and
 * the README's worker recipe (2 workers x 1 thread). The CLI runs as a user runs it, in its own
 * process (dist/cli.js when built and fresh, otherwise src/cli.ts through tsx).
 *   npm run bench:enroll-cli [-- --photos 300] [--rounds 3]
 * Prints a markdown table, writes bench/results/enroll-cli.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnrollSummary } from '../src/cli/enroll-cases.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { facesRoot, hasSet } from './lib/datasets.js';
import { oneMatcherRate, workerRecipeRate } from './lib/enroll-throughput.js';
import { lfwEnrollPhotos, linkCaseFolder } from './lib/lfw-cases.js';

const newest = (dir: string): number =>
  Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));

/** The built CLI when it is at least as new as src/, else the source through tsx. */
function cliCommand(): { argv: string[]; label: string } {
  const built = ['dist/cli.js', 'dist/cli-worker.js'].every((f) => existsSync(f) && statSync(f).mtimeMs >= newest('src'));
  return built ? { argv: ['dist/cli.js'], label: 'node dist/cli.js' } : { argv: ['--import', 'tsx', 'src/cli.ts'], label: 'node --import tsx src/cli.ts' };
}

async function runCli(argv: string[], casesDir: string, gallery: string): Promise<{ wallS: number; summary: EnrollSummary }> {
  const t0 = performance.now();
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [...argv, 'enroll', casesDir, '--gallery', gallery, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`reunite-face enroll exited ${code}: ${err}`);
  return { wallS: (performance.now() - t0) / 1000, summary: JSON.parse(out) as EnrollSummary };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const n = Number(flags['photos'] ?? 300);
  const rounds = Number(flags['rounds'] ?? 3);
  if (!hasSet('lfw')) throw new Error(`LFW not found under ${facesRoot()}`);
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  const photos = lfwEnrollPhotos(join(facesRoot(), 'lfw'), n);
  const dir = mkdtempSync(join(tmpdir(), 'rf-bench-enroll-'));
  const cli = cliCommand();
  const one: number[] = [];
  const recipe: number[] = [];
  const cliPhase: number[] = [];
  const cliWhole: number[] = [];
  let cases = 0;
  try {
    cases = linkCaseFolder(photos, join(dir, 'cases'));
    // Rounds interleave the three so that a change in machine load hits them alike.
    for (let r = 0; r < rounds; r++) {
      one.push(await oneMatcherRate(photos));
      recipe.push(await workerRecipeRate(photos));
      const gallery = join(dir, `g${r}.rfg`);
      const { wallS, summary } = await runCli(cli.argv, join(dir, 'cases'), gallery);
      if (summary.enrolled + summary.noFace.length !== n) throw new Error(`enroll did ${summary.enrolled} photos, ${summary.noFace.length} without a face, of ${n}`);
      cliPhase.push(summary.photosPerSecond);
      cliWhole.push(n / wallS);
      console.error(`round ${r + 1}: one matcher ${one.at(-1)!.toFixed(1)}, worker recipe ${recipe.at(-1)!.toFixed(1)}, enroll ${cliPhase.at(-1)!.toFixed(1)} (whole command ${cliWhole.at(-1)!.toFixed(1)}) photos/s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = [
    { name: 'one matcher, 2 ORT threads (Matcher.embed in a loop)', photosPerSecond: median(one) },
    { name: 'worker recipe: 2 workers x 1 ORT thread (start-up included)', photosPerSecond: median(recipe) },
    { name: 'reunite-face enroll: enrolling (workers, merging, saves)', photosPerSecond: median(cliPhase) },
    { name: 'reunite-face enroll: whole command (Node start, models, hashing, last save)', photosPerSecond: median(cliWhole) },
  ];
  const base = median(recipe);
  console.log(`\nEnrolling ${n} LFW photos (${cases} case folders), median of ${rounds} rounds; CLI run as \`${cli.label}\`\n`);
  console.log('| how | photos/s | vs worker recipe |\n|---|--:|--:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.photosPerSecond.toFixed(1)} | ${(r.photosPerSecond / base).toFixed(2)} |`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/enroll-cli.json',
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        command: `npm run bench:enroll-cli -- ${process.argv.slice(2).join(' ')}`.trim(),
        machine: await machineInfo(),
        loadAverageAtStart: loadAtStart.join(','),
        photos: n,
        cases,
        rounds,
        cli: cli.label,
        rows,
        samples: { oneMatcher: one, workerRecipe: recipe, cliEnrolling: cliPhase, cliWhole },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
